// The part of POST /subscribe and POST /resend that depends on who the address is, as data: on Lambda the
// http function hands it to an asynchronous invoke of itself, so that the answer takes as long for an
// unknown, a subscribed and a suppressed address (issue 13 §5).

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
