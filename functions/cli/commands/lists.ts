import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import type { App } from '../../wiring/app.ts';
import { cliApp, type TargetFlags } from '../../wiring/cli.ts';
import { withTarget } from '../target-options.ts';

interface PauseOptions extends TargetFlags {
  readonly json?: boolean;
  readonly config?: string;
}

/** Builds the app on the target, runs `fn`, closes it. */
async function onTarget(options: PauseOptions, fn: (app: App) => Promise<void>): Promise<void> {
  const { config } = await loadConfig(options.config);
  const { app } = await cliApp(options, { config });
  try {
    await fn(app);
  } finally {
    app.destroy();
  }
}

function print(options: PauseOptions, json: unknown, line: string): void {
  process.stdout.write(options.json ? `${JSON.stringify(json)}\n` : `${line}\n`);
}

const WAIT_NOTE = 'its batches wait on the send queue and go out within 15 minutes of the resume';

/**
 * `tidings lists pause|resume <list>` and `tidings editions resume <edition>`: a list paused by its
 * bounce or complaint rate (or by hand), or an edition paused because SES refused its sender, sends again.
 */
export function registerLists(program: Command): void {
  const lists = program.command('lists').description('pause or resume sending to a list');
  withTarget(lists.command('pause'), { tables: true })
    .description('stop sending to a list: nothing is claimed or sent until `tidings lists resume`')
    .argument('<list>', 'the list id')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action((listId: string, options: PauseOptions) =>
      onTarget(options, async (app) => {
        const { paused, pause } = await app.pauses.pauseList(listId);
        print(
          options,
          { listId, paused, pause },
          paused
            ? `list ${listId} paused; ${WAIT_NOTE} (\`tidings lists resume ${listId}\`)`
            : `list ${listId} was already paused (${pause.reason} since ${pause.at})`,
        );
      }),
    );
  withTarget(lists.command('resume'), { tables: true })
    .description('send to a paused list again (paused by its bounce or complaint rate, or by hand)')
    .argument('<list>', 'the list id')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action((listId: string, options: PauseOptions) =>
      onTarget(options, async (app) => {
        const lifted = await app.pauses.resumeList(listId);
        print(
          options,
          { listId, resumed: Boolean(lifted), ...(lifted ? { pause: lifted } : {}) },
          lifted
            ? `list ${listId} resumed (it was paused for ${lifted.reason} since ${lifted.at}); ${WAIT_NOTE}`
            : `list ${listId} was not paused: nothing to resume`,
        );
      }),
    );

  const editions = program.command('editions').description('resume an edition the sender paused');
  withTarget(editions.command('resume'), { tables: true })
    .description('send an edition again after SES refused its sender (fix the identity or account first)')
    .argument('<edition>', 'the edition id (see `tidings status`)')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action((editionId: string, options: PauseOptions) =>
      onTarget(options, async (app) => {
        const lifted = await app.pauses.resumeEdition(editionId);
        print(
          options,
          { editionId, resumed: Boolean(lifted), ...(lifted ? { pause: lifted } : {}) },
          lifted
            ? `edition ${editionId} resumed (paused at ${lifted.at}: ${lifted.reason}); ${WAIT_NOTE}`
            : `edition ${editionId} was not paused: nothing to resume`,
        );
      }),
    );
}
