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

/**
 * A copy of a form value that holds no reference to the request body. URLSearchParams hands out values as
 * V8 sliced strings of the whole body (≈ 50 KB with the message): an envelope kept in the mailbox kept
 * the body with it, 70 MB over 2,000 messages in a heap snapshot, most of the stack's growth per message.
 */
const own = (value: string | null): string =>
  value === null ? '' : Buffer.from(value, 'utf8').toString('utf8');

const RAW_DATA = Buffer.from('RawMessage.Data=', 'latin1');

/**
 * A SendRawEmail form, with the message taken out before the rest is parsed: URLSearchParams over the whole
 * body (≈ 50 KB of base64) scanned and unescaped it all and copied the message twice more, 5 % of the local
 * stack's CPU per message in a profile of an edition. Here the message's base64 is cut from the bytes and
 * unescaped only if it has an escape in it (`%2B`, `%3D`: ses-query-transport.ts's formBase64).
 */
export function readSesForm(body: Buffer): { readonly form: URLSearchParams; readonly raw?: Buffer } {
  let at = body.indexOf(RAW_DATA);
  while (at > 0 && body[at - 1] !== 0x26) at = body.indexOf(RAW_DATA, at + 1);
  if (at < 0) return { form: new URLSearchParams(body.toString('latin1')) };
  const end = body.indexOf(0x26, at) < 0 ? body.length : body.indexOf(0x26, at);
  const value = body.toString('latin1', at + RAW_DATA.length, end);
  const base64 = /[%+]/.test(value) ? decodeURIComponent(value.replaceAll('+', ' ')) : value;
  const rest = Buffer.concat([body.subarray(0, at), body.subarray(Math.min(body.length, end + 1))]);
  return { form: new URLSearchParams(rest.toString('latin1')), raw: Buffer.from(base64, 'base64') };
}

export function readEnvelope(form: URLSearchParams): Envelope {
  const destinations: string[] = [];
  const tags: Record<string, string> = {};
  for (let i = 1; form.has(`Destinations.member.${i}`); i++)
    destinations.push(own(form.get(`Destinations.member.${i}`)));
  for (let i = 1; form.has(`Tags.member.${i}.Name`); i++) {
    tags[own(form.get(`Tags.member.${i}.Name`))] = own(form.get(`Tags.member.${i}.Value`));
  }
  const source = own(form.get('Source'));
  const configurationSet = own(form.get('ConfigurationSetName'));
  return {
    destinations,
    tags,
    ...(source ? { source } : {}),
    ...(configurationSet ? { configurationSet } : {}),
  };
}
