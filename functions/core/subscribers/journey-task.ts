// The part of POST /subscribe and POST /resend that depends on who the address is, as data: on Lambda the
// http function hands it to an asynchronous invoke of itself, so that the answer takes as long for an
// unknown, a subscribed and a suppressed address (issue 13 §5).
import { createHash } from 'node:crypto';
import { type KeyRing, signToken, TOKEN_TTL_SECONDS, verifyToken } from '../tokens/tokens.ts';

/**
 * One deferred journey step: `subscribe` (the double opt-in's first step, with the form's checked fields)
 * or `resend` (a fresh link). It carries what the form said, nothing the server decided.
 */
export type JourneyTask =
  | {
      readonly kind: 'subscribe';
      readonly email: string;
      readonly name?: string;
      readonly lists: readonly string[];
      /** The browser's time zone, posted only when the reader ticked the box (checked again by the use case). */
      readonly timeZone?: string;
      /** Where the form was (the consent record). */
      readonly source: string;
      readonly ip: string;
    }
  | { readonly kind: 'resend'; readonly email: string };

/** The key a journey task travels under in an invoke event, which no Function URL event has. */
export const JOURNEY_TASK_KEY = 'tidingsJourneyTask';
/** The key its seal travels under, beside it. */
export const JOURNEY_SEAL_KEY = 'tidingsJourneySeal';

/**
 * The seal's subject: a SHA-256 of every field of the task, keys sorted, so that a seal covers exactly one
 * task and any changed field breaks it.
 */
function digestOf(task: JourneyTask): string {
  return createHash('sha256')
    .update(JSON.stringify(task, Object.keys(task).sort()))
    .digest('base64url');
}

/**
 * Seals a task for the hand-off: a `task` token (HMAC-signed with the key ring, 6 hours) over its digest.
 * Lambda's asynchronous invoke does not say who invoked, and anyone granted lambda:InvokeFunction on the
 * http function could otherwise have it mail any address, past the pages' rate limits.
 */
export function sealJourneyTask(task: JourneyTask, ring: KeyRing, nowSeconds: number): string {
  return signToken({ purpose: 'task', sub: digestOf(task), exp: nowSeconds + TOKEN_TTL_SECONDS.task }, ring);
}

/** Whether `seal` is a live seal of this very task by this ring (compared in constant time). */
export function journeySealHolds(
  task: JourneyTask,
  seal: unknown,
  ring: KeyRing,
  nowSeconds: number,
): boolean {
  if (typeof seal !== 'string') return false;
  const verdict = verifyToken(seal, ring, 'task', nowSeconds);
  return verdict.ok && verdict.claims.sub === digestOf(task);
}

/** The seal an invoke event carries beside its task (anything, to be checked by journeySealHolds). */
export function journeySealOf(event: unknown): unknown {
  return typeof event === 'object' && event !== null
    ? (event as Record<string, unknown>)[JOURNEY_SEAL_KEY]
    : undefined;
}

/** The invoke event that carries a task and its seal. */
export function journeyInvokeEvent(task: JourneyTask, seal: string): Record<string, unknown> {
  return { [JOURNEY_TASK_KEY]: task, [JOURNEY_SEAL_KEY]: seal };
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/**
 * The journey task an invoke event carries, or undefined for any other event (a Function URL request has
 * `requestContext`, and its body is a string, so it can never be read as one). Every field is checked for
 * type and length: the use cases check the rest as they do for the form.
 *
 * @example
 * journeyTaskOf({ tidingsJourneyTask: { kind: 'resend', email: 'ada@example.org' } })
 * // { kind: 'resend', email: 'ada@example.org' }
 */
export function journeyTaskOf(event: unknown): JourneyTask | undefined {
  if (typeof event !== 'object' || event === null || 'requestContext' in event) return undefined;
  const task = (event as Record<string, unknown>)[JOURNEY_TASK_KEY];
  if (typeof task !== 'object' || task === null) return undefined;
  const t = task as Record<string, unknown>;
  if (!str(t.email, 320)) return undefined;
  if (t.kind === 'resend') return { kind: 'resend', email: t.email };
  if (t.kind !== 'subscribe') return undefined;
  const lists = t.lists;
  if (!Array.isArray(lists) || lists.length > 50 || !lists.every((l) => str(l, 100))) return undefined;
  if (!str(t.source, 2000) || !str(t.ip, 100)) return undefined;
  if (t.name !== undefined && !str(t.name, 500)) return undefined;
  if (t.timeZone !== undefined && !str(t.timeZone, 64)) return undefined;
  return {
    kind: 'subscribe',
    email: t.email,
    ...(t.name !== undefined ? { name: t.name } : {}),
    ...(t.timeZone !== undefined ? { timeZone: t.timeZone } : {}),
    lists: lists as string[],
    source: t.source,
    ip: t.ip,
  };
}
