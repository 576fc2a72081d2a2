// The SES quota the senders pace to, read through the table: GetSendQuota is called at most once a
// minute per table (one deployment, one account and Region), however many senders start together, and
// a failed read never fails a batch: the last known quota, or the configured rate, stands.
import type { Clock } from '../ports/clock.ts';
import type { MailTransport, SendQuota } from '../ports/mail-transport.ts';
import type { SendQuotaStore } from '../ports/send-quota-store.ts';

/** How often, at most, one deployment calls GetSendQuota. */
export const SEND_QUOTA_MAX_AGE_MS = 60_000;

export interface SendQuotaDeps {
  readonly quotas: SendQuotaStore;
  readonly transport: Pick<MailTransport, 'getQuota'>;
  readonly clock: Clock;
  /** A failed read of the table or of SES, for the logs; the caller goes on without it. */
  readonly onError?: (error: unknown) => void;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * When no quota is known yet and another sender won the refresh (a hundred senders starting together):
 * how long to wait for its answer before pacing at the configured rate, read every 250 ms.
 */
export const FIRST_QUOTA_WAIT_MS = 2_000;
const POLL_MS = 250;

/**
 * The account's quota: the cached one while it is younger than a minute; otherwise one sender (the one
 * whose conditional claim wins) calls GetSendQuota and saves it, and the others keep the last known one.
 * `undefined` when no quota is known: pace to the configured rate.
 */
export async function currentSendQuota(deps: SendQuotaDeps): Promise<SendQuota | undefined> {
  const now = deps.clock.now();
  const notBefore = new Date(now.getTime() - SEND_QUOTA_MAX_AGE_MS).toISOString();
  let cached: Awaited<ReturnType<SendQuotaStore['get']>>;
  try {
    cached = await deps.quotas.get();
    if (cached?.quota && cached.fetchedAt && cached.fetchedAt >= notBefore) return cached.quota;
    if (!(await deps.quotas.claimRefresh(now.toISOString(), notBefore))) {
      if (cached?.quota) return cached.quota;
      const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      for (let waited = 0; waited < FIRST_QUOTA_WAIT_MS; waited += POLL_MS) {
        await sleep(POLL_MS);
        const saved = await deps.quotas.get();
        if (saved?.quota) return saved.quota;
      }
      return undefined;
    }
  } catch (error) {
    deps.onError?.(error);
    return cached?.quota;
  }
  try {
    const quota = await deps.transport.getQuota();
    await deps.quotas.save(quota, now.toISOString()).catch((error: unknown) => deps.onError?.(error));
    return quota;
  } catch (error) {
    deps.onError?.(error);
    return cached?.quota;
  }
}
