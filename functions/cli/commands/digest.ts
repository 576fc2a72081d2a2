import type { Command } from 'commander';
import { loadConfig } from '../../adapters/local/config-file.ts';
import { findDevStack, wireAgainstDevStack } from '../../adapters/local/local-stack.ts';
import { loadTemplates } from '../../adapters/local/templates.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { systemClock } from '../../ports/clock.ts';
import { makeRenderFn } from '../../use-cases/edition-message/compile.ts';
import type { DigestResult } from '../../use-cases/run-digest.ts';
import { countOf, outcomeLine, watchEditions } from '../delivery-ui.ts';

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description("send a list's digest: every post since its last digest, to its daily or weekly subscribers")
    .requiredOption('--list <id>', 'the list')
    .option('--cadence <cadence>', 'daily or weekly (default: both, one after the other)')
    .option('--no-wait', 'return once planned, without waiting for the sends')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(
      async (options: { list: string; cadence?: string; wait: boolean; json?: boolean; config?: string }) => {
        if (options.cadence !== undefined && options.cadence !== 'daily' && options.cadence !== 'weekly') {
          throw new InvalidInputError(
            'CADENCE_INVALID',
            `--cadence ${options.cadence}: must be daily or weekly`,
          );
        }
        const cadences: ('daily' | 'weekly')[] = options.cadence ? [options.cadence] : ['daily', 'weekly'];
        const { config } = await loadConfig(options.config);
        const stack = await findDevStack();
        const app = wireAgainstDevStack(stack, {
          config,
          render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
        });
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
