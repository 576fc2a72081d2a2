// `tidings doctor`: gathers what SES and DNS say about the deployment, then judges it (core/doctor).
import type { Config } from '../core/config/schema.ts';
import { type DnsAnswer, type DoctorCheck, doctorChecks, doctorLookups } from '../core/doctor/checks.ts';
import type { DnsLookup } from '../ports/dns-lookup.ts';
import type { SendingAccount } from '../ports/sending-account.ts';

export interface DoctorDeps {
  readonly config: Config;
  readonly region: string;
  /** Absent: no deployed stack to ask (the SES checks are skipped). */
  readonly account?: SendingAccount;
  readonly dns: DnsLookup;
}

/** Every check; a failed lookup is a failed check, never a thrown error. */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorCheck[]> {
  const { config } = deps;
  const names = doctorLookups(config);
  const answer = async (lookup: () => Promise<readonly string[]>): Promise<DnsAnswer> =>
    lookup().catch((error: unknown) => ({ error: message(error) }));
  const [txt, mx, identity, quota] = await Promise.all([
    Promise.all(names.txt.map(async (n) => [n, await answer(() => deps.dns.txt(n))] as const)),
    Promise.all(names.mx.map(async (n) => [n, await answer(() => deps.dns.mx(n))] as const)),
    deps.account?.identity(config.sending.domain).catch(message),
    deps.account?.quota().catch(message),
  ]);
  return doctorChecks({
    config,
    region: deps.region,
    txt: Object.fromEntries(txt),
    mx: Object.fromEntries(mx),
    ...(identity !== undefined ? { identity } : {}),
    ...(quota !== undefined ? { quota } : {}),
  });
}

function message(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0] ?? '';
}
