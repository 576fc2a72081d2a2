// An edition end to end on the local stack, as a user waits for it: publish → the last message in the SES
// emulator's store, for 2,000 readers at a configured rate of 200/s and of 2,000/s (the emulator's quota
// set to match), beside the ideal N ÷ rate measured against the same clock. The emulators run in child
// processes (the SES one apart), as `npm start` runs them. `npm run bench -- e2e`.
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import { readSesStore } from '../../functions/local/emulators.ts';
import { startLocalStack } from '../../functions/local/local-stack.ts';
import { systemClock } from '../../functions/ports/clock.ts';
import { makeRenderFn } from '../../functions/use-cases/edition-message/compile.ts';
import { aKeyRing, anExampleConfig, aPost } from '../helpers/factories.ts';
import { manySubscribers } from '../integration/delivery/stack.ts';
import type { BenchFigure } from './run.ts';

const READERS = 2_000;

async function edition(rate: number): Promise<{ seconds: number; rssMb: number }> {
  const base = anExampleConfig();
  const config = { ...base, sending: { ...base.sending, maxRate: rate } };
  const stack = await startLocalStack({
    config,
    keyRing: aKeyRing(),
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
    emulatorProcess: 'split',
    emulators: { sendQuota: { maxSendRate: rate, max24HourSend: 1e9 }, captureRawMime: false },
    senders: 4,
    wiring: { sendRate: rate / 4 },
  });
  try {
    const readers = manySubscribers(READERS, 'podcast', 'instant');
    for (let i = 0; i < readers.length; i += 500)
      await stack.adapters.subscribers.putMany(readers.slice(i, i + 500));
    let rss = process.memoryUsage().rss;
    const started = performance.now();
    const published = await stack.app.publish(
      aPost({ id: `ep-e2e-${rate}`, slug: `ep-e2e-${rate}`, lists: ['podcast'] }),
    );
    const planned = published.lists[0];
    if (planned?.action !== 'planned') throw new Error(`expected a planned edition, got ${planned?.action}`);
    for (;;) {
      rss = Math.max(rss, process.memoryUsage().rss);
      const store = await readSesStore(stack.emulators.sesStoreUrl);
      if (store.filter((m) => m.tags.edition === planned.editionId).length >= READERS) break;
      if (performance.now() - started > 120_000) throw new Error('the edition did not finish within 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { seconds: (performance.now() - started) / 1000, rssMb: rss / 1024 / 1024 };
  } finally {
    await stack.stop();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const [rate, floor] of [
    [200, 0.9 * 200],
    [2_000, 500],
  ] as const) {
    const { seconds, rssMb } = await edition(rate);
    const achieved = READERS / seconds;
    figures.push(
      {
        name: `e2e: ${READERS.toLocaleString('en')} readers at a configured ${rate}/s, publish → last message`,
        value: achieved,
        unit: 'msg/s',
        higherIsBetter: true,
        baseline: { name: `ideal (${READERS} ÷ ${rate}/s = ${(READERS / rate).toFixed(1)} s)`, value: rate },
        budget: { text: `≥ ${floor} msg/s`, ok: achieved >= floor },
      },
      {
        name: `e2e: RSS of the process running the runner and the app (peak), ${rate}/s`,
        value: rssMb,
        unit: 'MB',
        higherIsBetter: false,
      },
    );
  }
  return figures;
}
