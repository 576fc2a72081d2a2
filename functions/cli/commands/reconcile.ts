import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { loadOrCreateLocalKeyRing } from '../../adapters/fs/keyring-file.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { quietObservability } from '../../handlers/observability.ts';
import { reconcileOnce } from '../../local/dev-timers.ts';
import { cliApp, type TargetFlags } from '../../wiring/cli.ts';
import { withTarget } from '../target-options.ts';

/**
 * `tidings reconcile`: one reconcile pass now on the local stack, as the deployed schedule makes every 5
 * minutes (with the local window, DEV_RECONCILE_WINDOW_MS).
 */
export function registerReconcile(program: Command): void {
  withTarget(program.command('reconcile'))
    .description(
      'reconcile now: stale claims confirmed or sent again once, settled editions recounted, stalled planning restarted, due scheduled sends published',
    )
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(async (options: TargetFlags & { json?: boolean; config?: string }) => {
      if (options.stack) {
        // A resend signs links with the deployed key, which stays in Secrets Manager: only the deployed
        // function can do it.
        throw new InvalidInputError(
          'OPTION_INVALID',
          `--stack: the deployed reconcile function runs every 5 minutes; to run it now: aws lambda invoke --function-name <${options.stack}-stateless Reconcile function> --payload '{}' /dev/stdout`,
        );
      }
      const { config } = await loadConfig(options.config);
      const { app } = await cliApp(
        options,
        { config, keyRing: await loadOrCreateLocalKeyRing() },
        { queue: true },
      );
      try {
        const run = await reconcileOnce(app, quietObservability());
        if (options.json) {
          process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `reconciled ${run.editions} open edition${run.editions === 1 ? '' : 's'}: ${run.confirmed} confirmed from SES, ${run.resent} sent again, ${run.skipped} skipped, ${run.failed} failed, ${run.pending} still pending; ${run.recounted} recounted, ${run.planningResumed} planning restarted, ${run.scheduledSent} scheduled sends published\n`,
        );
      } finally {
        app.destroy();
      }
    });
}
