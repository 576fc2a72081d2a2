// The composition root of `tidings doctor`: SES through the SDK's client (CLI only) for a deployed stack,
// DNS through node's resolver (or the servers given, as tests give one on 127.0.0.1).
import { SESClient } from '@aws-sdk/client-ses';
import { SesSendingAccount } from '../adapters/aws/ses-sending-account.ts';
import { NodeDnsLookup } from '../adapters/web/dns-lookup.ts';
import type { Config } from '../core/config/schema.ts';
import type { DoctorCheck } from '../core/doctor/checks.ts';
import { runDoctor } from '../use-cases/doctor.ts';
import { resolveTarget, type TargetFlags } from './cli.ts';

export interface DoctorFlags extends TargetFlags {
  /** Name servers (`ip` or `ip:port`); default: the system's. */
  readonly dns?: readonly string[];
}

/** Runs every check: against the deployed stack's account with `--stack`, DNS and config alone without. */
export async function doctorOnTarget(config: Config, flags: DoctorFlags): Promise<DoctorCheck[]> {
  const dns = new NodeDnsLookup(flags.dns);
  if (!flags.stack) {
    const region = flags.region ?? process.env.AWS_REGION ?? config.aws.region ?? 'us-east-1';
    return runDoctor({ config, region, dns });
  }
  // The stack must exist (one line if not); its Region is the one SES is asked in.
  const target = await resolveTarget(config, flags);
  const region = target.kind === 'stack' ? target.region : (config.aws.region ?? 'us-east-1');
  const ses = new SESClient({ region });
  try {
    return await runDoctor({ config, region, dns, account: new SesSendingAccount(ses) });
  } finally {
    ses.destroy();
  }
}
