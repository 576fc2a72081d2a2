// The SES emulator's front (emulators.ts): the checks SES makes before it accepts a SendRawEmail.
import type { ServerResponse } from 'node:http';
import type { Envelope } from './ses-mailbox.ts';

/** SES's rate rule: at most `rate` sends accepted in any one-second window (a ring of the last `rate`). */
export class SendWindow {
  readonly #times: Float64Array;
  #head = 0;

  constructor(rate: number) {
    this.#times = new Float64Array(Math.max(1, Math.floor(rate))).fill(Number.NEGATIVE_INFINITY);
  }

  /** Takes a send at `now` (ms) if the window allows it. */
  take(now: number): boolean {
    if (now - (this.#times[this.#head] ?? 0) < 1000) return false;
    this.#times[this.#head] = now;
    this.#head = (this.#head + 1) % this.#times.length;
    return true;
  }
}

/** What SES itself would refuse as an envelope address: no @, no dot in the domain, spaces. */
export const LOOSE_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function sesError(res: ServerResponse, code: string, message: string): void {
  res.statusCode = 400;
  res.setHeader('content-type', 'text/xml');
  res.end(
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>` +
      `<Code>${code}</Code><Message>${message.replace(/[<&>]/g, '')}</Message></Error>` +
      `<RequestId>local</RequestId></ErrorResponse>`,
  );
}

export function readEnvelope(form: URLSearchParams): Envelope {
  const destinations: string[] = [];
  const tags: Record<string, string> = {};
  for (let i = 1; form.has(`Destinations.member.${i}`); i++)
    destinations.push(form.get(`Destinations.member.${i}`) ?? '');
  for (let i = 1; form.has(`Tags.member.${i}.Name`); i++) {
    tags[form.get(`Tags.member.${i}.Name`) ?? ''] = form.get(`Tags.member.${i}.Value`) ?? '';
  }
  const source = form.get('Source');
  const configurationSet = form.get('ConfigurationSetName');
  return {
    destinations,
    tags,
    ...(source ? { source } : {}),
    ...(configurationSet ? { configurationSet } : {}),
  };
}
