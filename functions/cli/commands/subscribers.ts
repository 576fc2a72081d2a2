import { createReadStream } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import type { Cadence, Config } from '../../core/config/schema.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { decodeChunks, ENCODING_SAMPLE_BYTES } from '../../core/import/decode.ts';
import { detectFormat, headerKey, IMPORT_FORMATS, type ImportFormat } from '../../core/import/index.ts';
import type { ListStatus } from '../../ports/subscriber-store.ts';
import type { ImportReport } from '../../use-cases/import-subscribers.ts';
import type { App } from '../../wiring/app.ts';
import { cliApp, type TargetFlags } from '../../wiring/cli.ts';
import { progress } from '../delivery-ui.ts';
import { withTarget } from '../target-options.ts';

interface Connection extends TargetFlags {
  readonly config?: string;
}

const CADENCES = ['instant', 'daily', 'weekly'] as const;
const STATUSES = ['pending', 'subscribed', 'unsubscribed'] as const;

/**
 * Where the subscribers live, by the one target resolver (wiring/cli.ts): `--stack` (the deployed
 * table), `--endpoint` (a local DynamoDB such as the dev stack's dynalite, fake credentials), `--table`
 * alone (DynamoDB on AWS with the default credentials), or by default the running `tidings dev` stack.
 * TIDINGS_DYNAMODB_ENDPOINT and TIDINGS_TABLE stand in for the flags.
 */
async function connect(options: Connection): Promise<{ app: App; config: Config }> {
  const { config } = await loadConfig(options.config);
  const { app } = await cliApp(options, { config });
  return { app, config };
}

function listDefaults(config: Config): Record<string, Cadence> {
  return Object.fromEntries(config.lists.map((l) => [l.id, l.defaultCadence]));
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError('OPTION_INVALID', `${flag} ${value}: use one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function withConnection(cmd: Command): Command {
  return withTarget(cmd.option('--config <file>', 'the config file'), { tables: true });
}

async function using<T>(
  options: Connection,
  fn: (c: Awaited<ReturnType<typeof connect>>) => Promise<T>,
): Promise<T> {
  const c = await connect(options);
  try {
    return await fn(c);
  } finally {
    c.app.destroy();
  }
}

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

export function registerSubscribers(program: Command): void {
  const subscribers = program
    .command('subscribers')
    .description('add, import, export, list and remove subscribers');

  withConnection(
    subscribers
      .command('add')
      .description('subscribe one address to a list')
      .argument('<email>', 'the address')
      .requiredOption('--list <id>', 'the list')
      .option('--name <name>', 'their name')
      .option('--cadence <cadence>', 'instant, daily or weekly (default: the list default)')
      .option('--json', 'print one JSON document'),
  ).action(
    async (
      email: string,
      o: Connection & { list: string; name?: string; cadence?: string; json?: boolean },
    ) => {
      const cadence = oneOf(o.cadence, CADENCES, '--cadence');
      await using(o, async ({ app, config }) => {
        const r = await app.subscribers.add({
          email,
          listId: o.list,
          lists: listDefaults(config),
          ...(o.name ? { name: o.name } : {}),
          ...(cadence ? { cadence } : {}),
        });
        if (o.json) return out(JSON.stringify(r));
        const m = r.subscriber.lists[o.list];
        out(
          `${r.outcome === 'created' ? 'added' : r.outcome === 'updated' ? 'updated' : 'already there:'} ${r.subscriber.email} → ${o.list} (${m?.status}, ${m?.cadence})`,
        );
        if (r.suppression) {
          out(
            `warning: ${r.subscriber.email} is suppressed (${r.suppression.reason} since ${r.suppression.at}); nothing will be sent to it. Lift it with: tidings subscribers remove ${r.subscriber.email} --unsuppress`,
          );
        }
      });
    },
  );

  withConnection(
    subscribers
      .command('import')
      .description(
        `import a CSV export (${IMPORT_FORMATS.join(', ')}); the format is detected from the header row`,
      )
      .argument('<file>', 'the CSV file')
      .option(
        '--list <id>',
        'the list rows go to; optional for a generic file with a lists column (rows without one go to the first list)',
      )
      .option('--format <format>', `auto or one of: ${IMPORT_FORMATS.join(', ')}`, 'auto')
      .option('--dry-run', 'report what would change, write nothing')
      .option(
        '--skip-bad-rows',
        'import the good rows of a file that has bad ones, and list the bad ones (default: one bad row refuses the whole file)',
      )
      .option('--json', 'print one JSON document'),
  ).action(
    async (
      file: string,
      o: Connection & {
        list?: string;
        format: string;
        dryRun?: boolean;
        skipBadRows?: boolean;
        json?: boolean;
      },
    ) => {
      const format = oneOf<ImportFormat | 'auto'>(o.format, ['auto', ...IMPORT_FORMATS], '--format');
      // A dry run writes nothing and is how a big export gets checked, often on a laptop: it trades about
      // a third of its speed for half its peak memory (V8's smaller heap growth; a 50 MB export peaked at
      // 232 MB without it, 139 MB with it). A real import keeps the defaults: the same flag cost it 25-40 %
      // of its rows/s (docs/architecture.md, "Subscriber import").
      if (o.dryRun) setFlagsFromString('--optimize-for-size');
      // The file streams through the import (twice: validate, then write); only its start is read here.
      let text = '';
      try {
        const handle = await open(file);
        try {
          const sample = Buffer.alloc(ENCODING_SAMPLE_BYTES);
          const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
          for await (const t of decodeChunks([sample.subarray(0, bytesRead)])) text += t;
        } finally {
          await handle.close();
        }
      } catch (cause) {
        throw new InvalidInputError('IMPORT_FILE', `${file}: cannot read it (${(cause as Error).message})`, {
          cause,
        });
      }
      if (!o.list) requireListsColumn(text, file);
      await using(o, async ({ app, config }) => {
        const bar = o.json ? undefined : progress(`import ${basename(file)}`);
        let report: ImportReport;
        try {
          report = await app.subscribers.import({
            read: () => createReadStream(file, { highWaterMark: 256 * 1024 }),
            source: basename(file),
            listId: o.list ?? config.lists[0]?.id ?? '',
            lists: listDefaults(config),
            ...(format ? { format } : {}),
            ...(o.dryRun ? { dryRun: true } : {}),
            ...(o.skipBadRows ? { skipBadRows: true } : {}),
            onProgress: ({ done, total }) => bar?.update(done, total),
          });
        } finally {
          bar?.stop();
        }
        if (o.json) return out(JSON.stringify(report, null, 2));
        out(describeImport(report));
      });
    },
  );

  withConnection(
    subscribers
      .command('export')
      .description('write the members of a list as CSV (the generic import format)')
      .requiredOption('--list <id>', 'the list')
      .option('--out <file>', 'write here instead of stdout'),
  ).action(async (o: Connection & { list: string; out?: string }) => {
    await using(o, async ({ app, config }) => {
      if (!config.lists.some((l) => l.id === o.list)) {
        throw new InvalidInputError('LIST_UNKNOWN', `--list ${o.list}: no such list in the config`);
      }
      const { columns, rows } = await app.subscribers.export({ listId: o.list });
      const csv = stringify(rows, { header: true, columns, bom: false });
      if (o.out) {
        await writeFile(o.out, csv);
        process.stderr.write(`wrote ${rows.length} members of ${o.list} to ${o.out}\n`);
      } else {
        process.stdout.write(csv);
      }
    });
  });

  withConnection(
    subscribers
      .command('list')
      .description('list the members of a list, or every suppressed address')
      .option('--list <id>', 'the list')
      .option('--status <status>', `only ${STATUSES.join(', ')}`)
      .option('--suppressed', 'list suppressed addresses instead (global)')
      .option('--json', 'print one JSON document'),
  ).action(
    async (o: Connection & { list?: string; status?: string; suppressed?: boolean; json?: boolean }) => {
      const status = oneOf<ListStatus>(o.status, STATUSES, '--status');
      await using(o, async ({ app }) => {
        if (o.suppressed) {
          const all = [];
          for await (const s of app.subscribers.suppressions()) all.push(s);
          if (o.json) return out(JSON.stringify({ suppressions: all }, null, 2));
          for (const s of all)
            out(`${s.email.padEnd(40)} ${s.reason.padEnd(12)} ${s.at}${s.detail ? `  ${s.detail}` : ''}`);
          return out(`${all.length} suppressed`);
        }
        if (!o.list)
          throw new InvalidInputError('LIST_REQUIRED', 'subscribers list: give --list <id>, or --suppressed');
        const members = [];
        for await (const m of app.subscribers.list({ listId: o.list, ...(status ? { status } : {}) }))
          members.push(m);
        if (o.json) return out(JSON.stringify({ list: o.list, members }, null, 2));
        for (const m of members) {
          out(
            `${m.email.padEnd(40)} ${m.membership.status.padEnd(12)} ${m.membership.cadence.padEnd(8)} ${m.name ?? ''}`,
          );
        }
        out(`${members.length} member(s) of ${o.list}${status ? ` (${status})` : ''}`);
      });
    },
  );

  withConnection(
    subscribers
      .command('remove')
      .description(
        'delete a subscriber (profile, memberships, address); --unsuppress also lifts a suppression',
      )
      .argument('<email>', 'the address')
      .option('--unsuppress', 'lift a suppression of the address too (logged)')
      .option('--json', 'print one JSON document'),
  ).action(async (email: string, o: Connection & { unsuppress?: boolean; json?: boolean }) => {
    await using(o, async ({ app }) => {
      const r = await app.subscribers.remove({ email, ...(o.unsuppress ? { unsuppress: true } : {}) });
      if (o.json) return out(JSON.stringify(r));
      if (r.removed) out(`removed ${r.removed.email} (${r.removed.id})`);
      if (r.unsuppressed)
        out(
          `lifted the ${r.unsuppressed.reason} suppression of ${r.unsuppressed.email} (since ${r.unsuppressed.at})`,
        );
    });
  });
}

/** Without --list, only a generic file that names each row's lists can be imported. */
function requireListsColumn(text: string, file: string): void {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const header = firstLine.split(',').map(headerKey);
  if (detectFormat(header) === 'generic' && (header.includes('lists') || header.includes('list'))) return;
  throw new InvalidInputError(
    'LIST_REQUIRED',
    `${file}: give --list <id>: the file does not say which list each row belongs to`,
  );
}

/** The human summary of an import. */
export function describeImport(r: ImportReport): string {
  const lines = [
    `${r.dryRun ? 'would import' : 'imported'} ${r.source} (${r.format}): ${r.records} records, ${r.rows} good rows in ${(r.elapsedMs / 1000).toFixed(1)} s`,
    `  subscribers: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged`,
    `  memberships: ${r.statuses.subscribed} subscribed, ${r.statuses.pending} pending, ${r.statuses.unsubscribed} unsubscribed`,
    `  suppressions: ${r.suppressions.added} added, ${r.suppressions.alreadySuppressed} already there`,
  ];
  if (r.problems.length > 0) {
    const conflicts = r.problems.length - Math.min(r.badRows, r.problems.length);
    lines.push(
      `  ${r.badRows} bad row(s), not imported${conflicts > 0 ? `; ${conflicts} conflict(s) between rows of one address, the more protective status kept` : ''}:`,
    );
    for (const p of r.problems.slice(0, 50)) lines.push(`    line ${p.line}: ${p.code}: ${p.message}`);
    const unlisted = r.badRows + conflicts - Math.min(50, r.problems.length);
    if (unlisted > 0)
      lines.push(`    … and ${unlisted} more (--json lists the first ${r.problems.length} of them)`);
  }
  return lines.join('\n');
}
