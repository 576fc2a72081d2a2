import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { cliApp, type TargetFlags } from '../../wiring/cli.ts';
import { describeEdition, outcomeLine, waitsForWaves, wavesDone } from '../delivery-ui.ts';
import { withTarget } from '../target-options.ts';

export function registerStatus(program: Command): void {
  withTarget(program.command('status'))
    .description("an edition's progress: planned, sent, skipped and failed with reasons, completion")
    .argument('[edition]', 'an edition id (default: the recent editions of every list)')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(
      async (edition: string | undefined, options: TargetFlags & { json?: boolean; config?: string }) => {
        const { config } = await loadConfig(options.config);
        const { app } = await cliApp(options, { config });
        try {
          if (edition) {
            const view = await app.status(edition);
            process.stdout.write(
              options.json ? `${JSON.stringify(view, null, 2)}\n` : `${describeEdition(view)}\n`,
            );
            return;
          }
          const views = await app.recent(10);
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ editions: views }, null, 2)}\n`);
            return;
          }
          if (views.length === 0)
            process.stdout.write('no editions yet: publish a post with `tidings publish <post.md>`\n');
          for (const v of views) {
            const state = v.complete ? 'complete' : v.planningDone ? 'sending ' : 'planning';
            const waves = v.waves?.length
              ? `  waves ${v.waves.length}: ${wavesDone(v.waves)}${waitsForWaves(v) ? `, next ${v.waves.find((w) => w.state === 'pending' || w.state === 'sending')?.at}` : ''}`
              : '';
            process.stdout.write(
              `${v.id.padEnd(34)} ${state}  planned ${String(v.counters.planned).padStart(5)}  ${outcomeLine(v)}${waves}\n`,
            );
          }
        } finally {
          app.destroy();
        }
      },
    );
}
