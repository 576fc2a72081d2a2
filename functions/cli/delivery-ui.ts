import cliProgress from 'cli-progress';
import type { EditionStatusView } from '../use-cases/edition-status.ts';

/** A progress display: a bar on a TTY, a plain line every 10 % otherwise (logs, CI). */
export interface Progress {
  update(done: number, total: number, note?: string): void;
  stop(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `  ${label.padEnd(34)} {bar} {value}/{total} {note}`,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        stream,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, note = '') {
        if (!started) {
          bar.start(Math.max(total, 1), done, { note });
          started = true;
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { note });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastDecile = -1;
  let lastDone = -1;
  return {
    update(done, total, note = '') {
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile === lastDecile || done === lastDone) return;
      lastDecile = decile;
      lastDone = done;
      stream.write(`  ${label}: ${done}/${total}${note ? ` ${note}` : ''}\n`);
    },
    stop() {},
  };
}

/** `1 recipient`, `2 recipients`, `? recipients` when the count is unknown. */
export function countOf(n: number | undefined, singular: string, plural = `${singular}s`): string {
  return `${n ?? '?'} ${n === 1 ? singular : plural}`;
}

/** `sent 812 · skipped 31 (unsubscribed 20, suppressed 11) · failed 1 (invalid-address 1)` */
export function outcomeLine(v: Pick<EditionStatusView, 'counters'>): string {
  const c = v.counters;
  const reasons = (r: Readonly<Record<string, number>>) => {
    const parts = Object.entries(r)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`);
    return parts.length ? ` (${parts.join(', ')})` : '';
  };
  return `sent ${c.sent} · skipped ${c.skipped}${reasons(c.skippedReasons)} · failed ${c.failed}${reasons(c.failedReasons)}`;
}

/** Several lines describing one edition, for `tidings status <edition>`. */
export function describeEdition(v: EditionStatusView): string {
  const state = v.complete
    ? `complete at ${v.completedAt ?? '(now)'}`
    : v.planningDone
      ? 'sending'
      : 'planning';
  return [
    `${v.id}  (${v.kind} → ${v.listId}, ${v.cadences.join('/')})`,
    ...(v.subject ? [`  subject   ${v.subject}`] : []),
    `  posts     ${v.posts.join(', ')}`,
    `  state     ${state}; created ${v.createdAt}`,
    `  planned   ${v.counters.planned}${v.remaining ? ` (${v.remaining} still to send)` : ''}`,
    `  outcome   ${outcomeLine(v)}`,
    ...(v.paused
      ? [
          `  paused    ${v.paused.by} paused (${v.paused.reason}) since ${v.paused.at}: \`${v.paused.resume}\``,
        ]
      : []),
    ...(v.waves && v.waves.length > 0
      ? [
          `  waves     ${v.waves.length} (local-time delivery; ${wavesDone(v.waves)})`,
          ...v.waves.map(
            (w) =>
              `    ${w.at}  ${String(w.readers).padStart(6)} readers  ${w.state.padEnd(9)}  ${w.zones.join(', ')}`,
          ),
        ]
      : []),
  ].join('\n');
}

/** A wave still waiting for its time: the edition completes only then. */
export function waitsForWaves(v: EditionStatusView): boolean {
  return (v.waves ?? []).some((w) => w.state === 'pending' || w.state === 'sending');
}

/** How many waves are sent, and cancelled if any: `3 sent` or `3 sent, 1 cancelled`. */
export function wavesDone(waves: readonly { readonly state: string }[]): string {
  const cancelled = waves.filter((w) => w.state === 'cancelled').length;
  return `${waves.filter((w) => w.state === 'sent').length} sent${cancelled ? `, ${cancelled} cancelled` : ''}`;
}

/** Waits for editions to complete, showing one progress display per edition; returns their final views. */
export async function watchEditions(
  status: (id: string) => Promise<EditionStatusView>,
  ids: readonly string[],
  options: { readonly timeoutMs?: number; readonly intervalMs?: number } = {},
): Promise<EditionStatusView[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  const out: EditionStatusView[] = [];
  for (const id of ids) {
    const bar = progress(id);
    let view = await status(id);
    try {
      // A paused edition waits for an operator: stop watching and say so (describeEdition shows how to resume).
      // Likewise an edition whose waves wait for their local time: `status` shows them.
      while (!view.complete && !view.paused && !waitsForWaves(view) && Date.now() < deadline) {
        const c = view.counters;
        bar.update(c.sent + c.failed + c.skipped, c.planned, view.planningDone ? '' : '(planning)');
        await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
        view = await status(id);
      }
      const c = view.counters;
      bar.update(c.sent + c.failed + c.skipped, c.planned);
    } finally {
      bar.stop();
    }
    out.push(view);
  }
  return out;
}
