import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { loadTemplates } from '../../adapters/fs/templates.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { systemClock } from '../../ports/clock.ts';
import { makeRenderFn } from '../../use-cases/edition-message/compile.ts';
import type { DigestResult } from '../../use-cases/run-digest.ts';
import { cliApp, type TargetFlags } from '../../wiring/cli.ts';
import { countOf, outcomeLine, watchEditions } from '../delivery-ui.ts';
import { withTarget } from '../target-options.ts';

export function registerDigest(program: Command): void {
  withTarget(program.command('digest'))
    .description("send a list's digest: every post since its last digest, to its daily or weekly subscribers")
    .requiredOption('--list <id>', 'the list')
    .option('--cadence <cadence>', 'daily or weekly (default: both, one after the other)')
    .option('--no-wait', 'return once planned, without waiting for the sends')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(
      async (
        options: TargetFlags & {
          list: string;
          cadence?: string;
          wait: boolean;
          json?: boolean;
          config?: string;
        },
      ) => {
        if (options.cadence !== undefined && options.cadence !== 'daily' && options.cadence !== 'weekly') {
          throw new InvalidInputError(
            'OPTION_INVALID',
            `--cadence ${options.cadence}: must be daily or weekly`,
          );
        }
        const cadences: ('daily' | 'weekly')[] = options.cadence ? [options.cadence] : ['daily', 'weekly'];
        const { config } = await loadConfig(options.config);
        const { app } = await cliApp(
          options,
          { config, render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }) },
          { queue: true },
        );
        try {
          const results: DigestResult[] = [];
          for (const cadence of cadences) results.push(await app.digest(options.list, cadence));
          const ids = results.flatMap((r) => (r.action === 'planned' ? [r.editionId] : []));
          const finals = options.wait && ids.length ? await watchEditions((id) => app.status(id), ids) : [];
          if (options.json) {
            process.stdout.write(
              `${JSON.stringify({ list: options.list, digests: results, editions: finals }, null, 2)}\n`,
            );
            return;
          }
          for (const r of results) {
            if (r.action === 'nothing-new') {
              process.stdout.write(
                `${options.list} ${r.cadence} digest: no new posts${r.since ? ` since ${r.since}` : ''}; nothing sent\n`,
              );
              continue;
            }
            const final = finals.find((f) => f.id === r.editionId);
            process.stdout.write(
              `${options.list} ${r.cadence} digest ${r.editionId}: ${countOf(r.postIds.length, 'post')} (${r.postIds.join(', ')}), ${countOf(r.plan.enqueued, 'recipient')}${final ? `; ${outcomeLine(final)}` : ''}\n`,
            );
          }
        } finally {
          app.destroy();
        }
      },
    );
}
