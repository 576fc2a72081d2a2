import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { cliApp, type TargetFlags } from '../../wiring/cli.ts';
import { withTarget } from '../target-options.ts';

/** `tidings scheduled [cancel <id>]`: the posts waiting for their time. */
export function registerScheduled(program: Command): void {
  const scheduled = program
    .command('scheduled')
    .description('the posts waiting for their time (publish --at, front matter sendAt): list, cancel');
  withTarget(scheduled.command('list', { isDefault: true }))
    .description('the waiting sends, soonest first (the default)')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(async (options: TargetFlags & { json?: boolean; config?: string }) => {
      const { config } = await loadConfig(options.config);
      const { app } = await cliApp(options, { config });
      try {
        const sends = await app.scheduled.list();
        if (options.json) {
          const rows = sends.map(({ post, ...s }) => ({ ...s, title: post.title, lists: post.lists }));
          process.stdout.write(`${JSON.stringify({ scheduled: rows }, null, 2)}\n`);
          return;
        }
        if (sends.length === 0) {
          process.stdout.write(
            'nothing is scheduled: `tidings publish <post.md> --at <time>` schedules a post\n',
          );
          return;
        }
        for (const s of sends) {
          const what = s.list ? ` (list ${s.list})` : '';
          const state = s.state === 'firing' ? 'going out now' : 'waiting';
          process.stdout.write(`${s.at}  ${s.id.padEnd(32)} ${state.padEnd(13)} ${s.post.title}${what}\n`);
        }
      } finally {
        app.destroy();
      }
    });
  withTarget(scheduled.command('cancel'))
    .description('cancel a waiting send (one that already started goes out)')
    .argument('<id>', 'the post id, as `tidings scheduled` lists it')
    .option('--config <file>', 'the config file')
    .action(async (id: string, options: TargetFlags & { config?: string }) => {
      const { config } = await loadConfig(options.config);
      // On a stack, cancelling also deletes the send's one-time schedule.
      const { app } = await cliApp(options, { config }, { timer: true });
      try {
        const outcome = await app.scheduled.cancel(id);
        process.stdout.write(
          outcome === 'cancelled'
            ? `${id}: cancelled; nothing was sent\n`
            : `${id}: already going out, too late to cancel; \`tidings status\` shows its editions\n`,
        );
      } finally {
        app.destroy();
      }
    });
}
