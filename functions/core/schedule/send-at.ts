import { InvalidInputError } from '../errors.ts';

/** How far ahead a send may be scheduled. */
export const MAX_SCHEDULE_AHEAD_DAYS = 365;

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The time a send is scheduled for, as ISO 8601 UTC. It must carry its offset (`Z` or `+02:00`), since
 * "09:00" means a different moment for the author and the server; it must be in the future and at most
 * {@link MAX_SCHEDULE_AHEAD_DAYS} days ahead.
 *
 * @param where what to name in the error: `--at`, or `posts/x.md: front matter "sendAt"`.
 * @throws InvalidInputError SEND_AT_INVALID, one line.
 * @example
 * checkSendAt('2026-12-06T09:00:00+01:00', new Date('2026-12-05T12:00:00Z'), '--at') // '2026-12-06T08:00:00.000Z'
 */
export function checkSendAt(value: string, now: Date, where: string): string {
  const text = value.trim();
  const time = WITH_OFFSET.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new InvalidInputError(
      'SEND_AT_INVALID',
      `${where} ${JSON.stringify(value)}: give a date and time with its offset, such as 2026-03-01T09:00:00+01:00 or 2026-03-01T08:00:00Z`,
    );
  }
  if (time <= now.getTime()) {
    throw new InvalidInputError(
      'SEND_AT_INVALID',
      `${where} ${text}: that time has passed (it is ${now.toISOString()} now); publish without it to send now`,
    );
  }
  if (time > now.getTime() + MAX_SCHEDULE_AHEAD_DAYS * 86_400_000) {
    throw new InvalidInputError(
      'SEND_AT_INVALID',
      `${where} ${text}: more than ${MAX_SCHEDULE_AHEAD_DAYS} days ahead; schedule it closer to the time`,
    );
  }
  return new Date(time).toISOString();
}
