// A lean SES v1 client for SendRawEmail and GetSendQuota: one signed form POST on a keep-alive socket.
//
// Why hand-written: test/bench/send.bench.ts measured the AWS SDK's SendRawEmailCommand as the send path's
// bottleneck against a zero-latency loopback SES endpoint on one core: 904–969 msg/s through the SDK
// (middleware stack, Query serializer, per-request config resolution), while compiling the MIME and
// signing the links ran at 6,400 msg/s and a plain keep-alive POST of the same bytes at 3,190 msg/s. The
// send budget is ≥ 2,000 msg/s. This transport keeps the SDK's own building blocks for the hard parts
// (@smithy/signature-v4 signs, the SDK's own XML parser from @aws-sdk/xml-builder reads the reply —
// 4 KB where fast-xml-parser would add 58 KB to the send bundle — the SDK's credential provider supplies
// the Lambda role's keys) and drops the rest. @aws-sdk/client-ses stays the reference transport
// (SesMailTransport): the tests run both against aws-ses-v2-local, and errors map through the same
// mapSesError.
import { parseXML } from '@aws-sdk/xml-builder';
import { InvalidInputError } from '../../core/errors.ts';
import type { RawMessage } from '../../core/mime/build-message.ts';
import { reencode } from '../../core/reencode.ts';
import { TransientSendError } from '../../ports/errors.ts';
import type { MailTransport, SendQuota, SendRawOptions } from '../../ports/mail-transport.ts';
import { mapSesError } from './map-ses-error.ts';
import { type Reply, SignedPost, type SigningCredentials, type StaleSocketError } from './signed-post.ts';

const TAG = /^[A-Za-z0-9_-]{1,256}$/;
const API_VERSION = '2010-12-01';

/** AWS credentials, as the SDK's providers return them. */
export type SesCredentials = SigningCredentials;

export interface SesQueryTransportOptions {
  readonly region: string;
  /** The SES endpoint; default `https://email.<region>.amazonaws.com`. */
  readonly endpoint?: string;
  /** The SDK's credential provider (cached and refreshed by the SDK), or fixed emulator credentials. */
  readonly credentials: SesCredentials | (() => Promise<SesCredentials>);
  /** Sockets kept alive. @default 64 */
  readonly maxSockets?: number;
  /** Milliseconds before a call is abandoned (a transient error). @default 30000 */
  readonly timeoutMs?: number;
}

/**
 * SES v1 over its Query protocol, for the two calls the sender makes. Same port, same errors as
 * SesMailTransport: `Throttling` → ThrottlingError, `MessageRejected` and `InvalidParameterValue` about
 * an address → PermanentRecipientError, anything else (5xx, a reset socket, a timeout) →
 * TransientSendError. One attempt per call, as the SDK client is configured: the sender decides what
 * to retry, with the ledger in hand. The one exception is a kept-alive socket that the server had closed:
 * the request died before SES saw it, and goes again once on a new socket.
 */
export class SesQueryTransport implements MailTransport {
  readonly #post: SignedPost;

  constructor(options: SesQueryTransportOptions) {
    this.#post = new SignedPost({
      service: 'ses',
      region: options.region,
      url: new URL(options.endpoint ?? `https://email.${options.region}.amazonaws.com/`),
      credentials: options.credentials,
      ...(options.maxSockets ? { maxSockets: options.maxSockets } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async sendRaw(raw: RawMessage, opts: SendRawOptions): Promise<{ messageId: string }> {
    let body =
      `Action=SendRawEmail&Version=${API_VERSION}` +
      `&Source=${encodeURIComponent(opts.from)}` +
      `&Destinations.member.1=${encodeURIComponent(opts.to)}`;
    if (opts.configurationSet) body += `&ConfigurationSetName=${encodeURIComponent(opts.configurationSet)}`;
    let n = 0;
    for (const [name, value] of Object.entries(opts.tags)) {
      if (!TAG.test(name) || !TAG.test(value)) {
        throw new InvalidInputError(
          'SES_BAD_TAG',
          `message tag ${name}=${value}: SES allows only letters, digits, _ and - (max 256)`,
        );
      }
      n++;
      body += `&Tags.member.${n}.Name=${name}&Tags.member.${n}.Value=${value}`;
    }
    body += `&RawMessage.Data=${formBase64(raw)}`;
    try {
      const reply = await this.#call(body);
      const doc = this.#parse(reply, opts.to);
      const messageId = doc?.SendRawEmailResponse?.SendRawEmailResult?.MessageId;
      if (typeof messageId !== 'string' || messageId === '')
        throw new TransientSendError(`SES accepted mail to ${opts.to} without a message id`);
      return { messageId };
    } catch (error) {
      throw mapSesError(error, opts.to, opts.from);
    }
  }

  async getQuota(): Promise<SendQuota> {
    try {
      const reply = await this.#call(`Action=GetSendQuota&Version=${API_VERSION}`);
      const q = this.#parse(reply, 'GetSendQuota')?.GetSendQuotaResponse?.GetSendQuotaResult ?? {};
      const num = (v: unknown, fallback: number) => (v === undefined ? fallback : Number(v));
      return {
        maxSendRate: num(q.MaxSendRate, 1),
        max24HourSend: num(q.Max24HourSend, 200),
        sentLast24Hours: num(q.SentLast24Hours, 0),
      };
    } catch (error) {
      throw mapSesError(error, 'GetSendQuota');
    }
  }

  /** Closes the kept-alive sockets. */
  destroy(): void {
    this.#post.destroy();
  }

  /** The parsed reply, or throws the SES error it carries (its Code as the error's name). */
  // biome-ignore lint/suspicious/noExplicitAny: the shape of SES's XML is checked where it is read.
  #parse(reply: Reply, what: string): any {
    let doc: { ErrorResponse?: { Error?: { Code?: string; Message?: string } } } | undefined;
    try {
      doc = parseXML(reply.body);
    } catch {
      doc = undefined;
    }
    const error = doc?.ErrorResponse?.Error;
    if (reply.status >= 300 || error) {
      const failure = new Error(
        error?.Message ?? `HTTP ${reply.status} from SES for ${what}: ${reply.body.slice(0, 200)}`,
      );
      failure.name = error?.Code ?? `HTTP${reply.status}`;
      throw failure;
    }
    return doc;
  }

  async #call(form: string): Promise<Reply> {
    // The form is ASCII: one Buffer, hashed by the signer and written to the socket as is (a string
    // body would be converted twice).
    const body = Buffer.from(form, 'latin1');
    const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    try {
      return await this.#post.post(headers, body, 'SES');
    } catch (error) {
      // A kept-alive socket the server had just closed fails before any byte of a response: SES never saw
      // the request, so sending it again on a new socket cannot send the message twice. Once only.
      if (!(error as StaleSocketError).staleSocket) throw error;
      return this.#post.post(headers, body, 'SES');
    }
  }
}

/**
 * Base64 as a form value. In application/x-www-form-urlencoded only `+` (it decodes to a space) and the
 * trailing `=` padding need escaping; `/` is literal. split/join on the one character costs ~70 µs for a
 * 40 KB message, where a regex replace of all three cost ~190 µs, a third of the per-message budget at
 * 2,000 msg/s.
 */
export function formBase64(raw: RawMessage): string {
  const b64 =
    typeof raw === 'string'
      ? reencode(raw, 'latin1', 'base64')
      : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  let end = b64.length;
  while (end > 0 && b64.charCodeAt(end - 1) === 61) end--;
  const body = b64.includes('+') ? b64.slice(0, end).split('+').join('%2B') : b64.slice(0, end);
  return body + '%3D'.repeat(b64.length - end);
}
