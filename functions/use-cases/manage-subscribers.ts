import type { Cadence } from '../core/config/schema.ts';
import { InvalidInputError, NotFoundError } from '../core/errors.ts';
import { ATTRIBUTE_COLUMN_PREFIX, GENERIC_COLUMNS, protectCell } from '../core/import/index.ts';
import { checkEmail, newSubscriberId } from '../core/subscribers/index.ts';
import type { Clock } from '../ports/clock.ts';
import type {
  ListMember,
  ListStatus,
  PutOutcome,
  Subscriber,
  SubscriberStore,
} from '../ports/subscriber-store.ts';
import type { Suppression, SuppressionStore } from '../ports/suppression-store.ts';

export interface ManageSubscribersDeps {
  readonly subscribers: SubscriberStore;
  readonly suppressions: SuppressionStore;
  readonly clock: Clock;
  readonly randomBytes: (n: number) => Uint8Array;
  /** Where operator actions are recorded (manual unsuppression must leave a trace). */
  readonly audit?: (event: { readonly event: string; readonly [k: string]: unknown }) => void;
}

const PAGE = 200;

function validEmail(input: string): string {
  const v = checkEmail(input);
  if (!v.ok) throw new InvalidInputError('ADDRESS_INVALID', `${input}: ${v.message}`);
  return v.email;
}

function knownList(listId: string, lists: Readonly<Record<string, Cadence>>): Cadence {
  const cadence = lists[listId];
  if (!cadence) {
    throw new InvalidInputError(
      'LIST_UNKNOWN',
      `--list ${listId}: no such list in the config (known: ${Object.keys(lists).join(', ')})`,
    );
  }
  return cadence;
}

/**
 * Adds one address to a list as `subscribed` (an operator's act, recorded as consent method 'cli').
 * An address that left the list is subscribed again only because an operator asked explicitly.
 * Reports a suppression, which keeps the address from being mailed whatever its status.
 */
export async function addSubscriber(
  deps: ManageSubscribersDeps,
  input: {
    readonly email: string;
    readonly listId: string;
    readonly lists: Readonly<Record<string, Cadence>>;
    readonly name?: string;
    readonly cadence?: Cadence;
  },
): Promise<{
  readonly outcome: PutOutcome;
  readonly subscriber: Subscriber;
  readonly suppression?: Suppression;
}> {
  const email = validEmail(input.email);
  const cadence = input.cadence ?? knownList(input.listId, input.lists);
  knownList(input.listId, input.lists);
  const now = deps.clock.now().toISOString();
  const consent = { at: now, method: 'cli', source: 'tidings subscribers add' };
  const put = await deps.subscribers.put({
    id: newSubscriberId(deps.randomBytes),
    email,
    ...(input.name ? { name: input.name } : {}),
    attributes: {},
    lists: { [input.listId]: { status: 'subscribed', cadence, consent, updatedAt: now } },
    createdAt: now,
    updatedAt: now,
  });
  let { outcome, subscriber } = put;
  const m = subscriber.lists[input.listId];
  if (m && (m.status !== 'subscribed' || m.cadence !== cadence)) {
    // put never resubscribes; the operator asked for it, so say so explicitly.
    subscriber = await deps.subscribers.setMembership(subscriber.id, input.listId, {
      status: 'subscribed',
      cadence,
      consent,
      updatedAt: now,
    });
    outcome = 'updated';
  }
  const suppression = await deps.suppressions.get(email);
  return { outcome, subscriber, ...(suppression ? { suppression } : {}) };
}

/**
 * Deletes a subscriber (profile, memberships, address) and, with `unsuppress`, lifts a suppression
 * of the address too; that is logged through `audit`, since it re-opens mail to someone who bounced
 * or complained.
 */
export async function removeSubscriber(
  deps: ManageSubscribersDeps,
  input: { readonly email: string; readonly unsuppress?: boolean },
): Promise<{ readonly removed?: Subscriber; readonly unsuppressed?: Suppression }> {
  const email = validEmail(input.email);
  const existing = await deps.subscribers.getByEmail(email);
  if (existing) await deps.subscribers.remove(existing.id);
  let unsuppressed: Suppression | undefined;
  if (input.unsuppress) {
    unsuppressed = await deps.suppressions.remove(email);
    if (unsuppressed) {
      deps.audit?.({
        event: 'suppression.removed',
        email,
        reason: unsuppressed.reason,
        suppressedAt: unsuppressed.at,
        at: deps.clock.now().toISOString(),
        by: 'cli',
      });
    }
  }
  if (!existing && !unsuppressed) {
    throw new NotFoundError(
      'SUBSCRIBER_NOT_FOUND',
      `${email} is not a subscriber${input.unsuppress ? ' and is not suppressed' : ' (add --unsuppress to lift a suppression)'}`,
    );
  }
  return { ...(existing ? { removed: existing } : {}), ...(unsuppressed ? { unsuppressed } : {}) };
}

/** Every member of a list (one status, or all), page by page. */
export async function* listMembers(
  deps: Pick<ManageSubscribersDeps, 'subscribers'>,
  input: { readonly listId: string; readonly status?: ListStatus },
): AsyncGenerator<ListMember> {
  const statuses: ListStatus[] = input.status ? [input.status] : ['subscribed', 'pending', 'unsubscribed'];
  for (const status of statuses) {
    let cursor: string | undefined;
    do {
      const page = await deps.subscribers.pageByList(input.listId, { status }, cursor, PAGE);
      yield* page.items;
      cursor = page.cursor;
    } while (cursor);
  }
}

/** Every suppression, page by page. */
export async function* listSuppressions(
  deps: Pick<ManageSubscribersDeps, 'suppressions'>,
): AsyncGenerator<Suppression> {
  let cursor: string | undefined;
  do {
    const page = await deps.suppressions.page(cursor, PAGE);
    yield* page.items;
    cursor = page.cursor;
  } while (cursor);
}

/** A suppressed member's status in an export: the generic import reads it back as the same suppression. */
function exportStatus(s: Suppression | undefined): string | undefined {
  if (!s) return undefined;
  return s.reason === 'hard-bounce' ? 'bounced' : s.reason === 'complaint' ? 'complained' : 'suppressed';
}

/**
 * The fixed columns of an export: the generic import format, so an export imports back as it was.
 * Attributes follow as `attr.<key>` columns, so an attribute can never stand in for one of these.
 */
export const EXPORT_COLUMNS = GENERIC_COLUMNS;

/**
 * The members of a list as rows of the generic import format, attributes as extra `attr.<key>` columns,
 * with the consent method and source and the unsubscribe reason, so export → import is lossless.
 * Suppressed addresses are marked in the status column, so that re-importing an export never makes them
 * active again. Every cell is protected against spreadsheet formulas (see protectCell; the generic import
 * reads it back as it was).
 */
export async function exportMembers(
  deps: Pick<ManageSubscribersDeps, 'subscribers' | 'suppressions'>,
  input: { readonly listId: string },
): Promise<{ readonly columns: string[]; readonly rows: Record<string, string>[] }> {
  const rows: Record<string, string>[] = [];
  const attributeKeys = new Set<string>();
  let batch: ListMember[] = [];
  const flush = async () => {
    const [profiles, suppressed] = await Promise.all([
      deps.subscribers.getMany(batch.map((m) => m.subscriberId)),
      deps.suppressions.getMany(batch.map((m) => m.email)),
    ]);
    for (const m of batch) {
      const attrs = profiles.get(m.subscriberId)?.attributes ?? {};
      for (const k of Object.keys(attrs)) attributeKeys.add(k);
      const c = m.membership.consent;
      const row: Record<string, string> = {
        email: m.email,
        name: m.name ?? '',
        lists: input.listId,
        cadence: m.membership.cadence,
        status: exportStatus(suppressed.get(m.email)) ?? m.membership.status,
        created_at: c?.at ?? profiles.get(m.subscriberId)?.createdAt ?? '',
        ip: c?.ip ?? '',
        confirmed_at: c?.confirmedAt ?? '',
        confirmed_ip: c?.confirmedIp ?? '',
        unsubscribed_at: m.membership.unsubscribedAt ?? '',
        unsubscribe_reason: m.membership.unsubscribeReason ?? '',
        consent_method: c?.method ?? '',
        consent_source: c?.source ?? '',
        time_zone: m.timeZone ?? '',
      };
      for (const [k, v] of Object.entries(attrs)) row[`${ATTRIBUTE_COLUMN_PREFIX}${k}`] = v;
      rows.push(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, protectCell(v)])));
    }
    batch = [];
  };
  for await (const m of listMembers(deps, { listId: input.listId })) {
    batch.push(m);
    if (batch.length >= PAGE) await flush();
  }
  if (batch.length > 0) await flush();
  const extra = [...attributeKeys].sort().map((k) => `${ATTRIBUTE_COLUMN_PREFIX}${k}`);
  return { columns: [...EXPORT_COLUMNS, ...extra], rows };
}
