import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import type { DoctorCheck } from '../../core/doctor/checks.ts';
import type { TargetFlags } from '../../wiring/cli.ts';
import { doctorOnTarget } from '../../wiring/doctor.ts';
import { withTarget } from '../target-options.ts';

const MARK: Readonly<Record<DoctorCheck['status'], string>> = { ok: '✓', fail: '✗', skipped: '–' };

/**
 * `tidings doctor [--stack X]`: the sending identity and DKIM, SPF, DMARC and MAIL FROM records, production
 * access and quota, and where replies go; one line per check, ✓ or ✗ with the fix. Exit 1 if any fails.
 */
export function registerDoctor(program: Command): void {
  withTarget(program.command('doctor'))
    .description(
      'check what the first edition needs: SES identity and DKIM, SPF/DMARC/MX, production access, replies',
    )
    .option('--region <region>', 'AWS region for --stack')
    .option('--dns <servers>', 'name servers to ask, comma-separated ip or ip:port (default: the system’s)')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(async (options: TargetFlags & { dns?: string; json?: boolean; config?: string }) => {
      const { config } = await loadConfig(options.config);
      const dns = (options.dns ?? process.env.TIDINGS_DNS_SERVERS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const checks = await doctorOnTarget(config, { ...options, dns });
      const failed = checks.filter((c) => c.status === 'fail').length;
      if (failed) process.exitCode = 1;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ok: failed === 0, checks }, null, 2)}\n`);
        return;
      }
      for (const c of checks) {
        process.stdout.write(`${MARK[c.status]} ${c.what}\n`);
        if (c.fix && c.status !== 'ok') process.stdout.write(`    fix: ${c.fix}\n`);
      }
      process.stdout.write(
        failed ? `${failed} of ${checks.length} checks failed\n` : `all ${checks.length} checks passed\n`,
      );
    });
}
