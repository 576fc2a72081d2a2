// The SES emulator's mailbox: what the local SES accepted, bounded in memory, parsed only when read.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

/** Messages kept whole (raw MIME) by default; older ones keep only their envelope. */
export const DEFAULT_MAILBOX_KEEP = 1_000;
/** Envelopes (id, recipients, tags: ~0.3 KB each) kept: what local reconciliation reads. */
export const MAILBOX_ENVELOPES = 100_000;

export interface Envelope {
  readonly source?: string;
  readonly destinations: string[];
  readonly tags: Record<string, string>;
  readonly configurationSet?: string;
}

/** One accepted message: its envelope always, its raw MIME while it is among the last `keep`. */
interface Entry extends Envelope {
  readonly messageId: string;
  /** Epoch seconds, as aws-ses-v2-local stamps its messages. */
  readonly at: number;
  raw?: Buffer;
  parsed?: StoreEmail;
}

/** aws-ses-v2-local's shape of a stored message (`GET /store`). */
export interface StoreEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: string[]; readonly cc?: string[]; readonly bcc?: string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly attachments?: unknown[];
  readonly at: number;
}

type AddressField = { text: string } | { text: string }[] | undefined;
interface Parsed {
  from?: { text: string };
  to?: AddressField;
  cc?: AddressField;
  subject?: string;
  html?: string | false;
  text?: string;
}
const emulatorRequire = createRequire(createRequire(import.meta.url).resolve('aws-ses-v2-local'));
/** The parser aws-ses-v2-local itself uses, from its own dependencies. */
const simpleParser = (raw: Buffer): Promise<Parsed> =>
  (emulatorRequire('mailparser') as { simpleParser(b: Buffer): Promise<Parsed> }).simpleParser(raw);

const texts = (a: AddressField): string[] =>
  (a === undefined ? [] : Array.isArray(a) ? a : [a]).map((x) => x.text);

/**
 * aws-ses-v2-local keeps every message it accepts, parsed (mailparser: about 10 ms and 100–240 KB per
 * newsletter), in a module-level array that only grows. On a long `tidings dev` run or an edition of
 * 10,000 that is both the local stack's pace limit and most of its memory. This mailbox takes
 * SendRawEmail instead: it keeps the raw MIME of the last `keep` messages (older ones keep only their
 * envelope and tags, up to `envelopes`, default MAILBOX_ENVELOPES), counts every message exactly, and parses a message only
 * when someone reads the store (the parse is then kept with the message).
 */
export class SesMailbox {
  readonly #keep: number;
  readonly #envelopes: number;
  readonly #entries: Entry[] = [];
  /** Index in #entries of the oldest entry that still holds its raw MIME. */
  #oldestRaw = 0;
  #count = 0;
  readonly #byId = new Map<string, Entry>();

  constructor(options: { readonly keep?: number; readonly envelopes?: number } = {}) {
    this.#keep = Math.max(0, Math.floor(options.keep ?? DEFAULT_MAILBOX_KEEP));
    this.#envelopes = Math.max(this.#keep, Math.floor(options.envelopes ?? MAILBOX_ENVELOPES));
  }

  /** Every message accepted since the start (or the last clear), whether or not it is still kept. */
  get count(): number {
    return this.#count;
  }

  /** Records an accepted message and returns its message id. */
  accept(envelope: Envelope, raw: Buffer | undefined): string {
    const messageId = `local-${randomUUID()}`;
    const entry: Entry = { ...envelope, messageId, at: Math.floor(Date.now() / 1000) };
    if (raw && this.#keep > 0) entry.raw = raw;
    this.#entries.push(entry);
    this.#byId.set(messageId, entry);
    this.#count += 1;
    // Drop the raw MIME (and its parse) of messages beyond the last `keep`, then envelopes beyond the cap.
    while (this.#entries.length - this.#oldestRaw > this.#keep) {
      const old = this.#entries[this.#oldestRaw++];
      if (old) {
        delete old.raw;
        delete old.parsed;
      }
    }
    // Dropped a tenth at a time: one splice per 10,000 messages, not one shift per message.
    if (this.#entries.length > this.#envelopes * 1.1) {
      const drop = this.#entries.length - this.#envelopes;
      for (const e of this.#entries.splice(0, drop)) this.#byId.delete(e.messageId);
      this.#oldestRaw = Math.max(0, this.#oldestRaw - drop);
    }
    return messageId;
  }

  /**
   * Takes back the envelopes of messages accepted by an earlier run (a stack kept on disk: ses-journal.ts),
   * oldest first, without their bodies; they count as sent.
   */
  restore(
    records: readonly {
      readonly messageId: string;
      readonly at: number;
      readonly source?: string;
      readonly destinations: readonly string[];
      readonly tags: Readonly<Record<string, string>>;
      readonly configurationSet?: string;
    }[],
  ): void {
    for (const r of records) {
      const entry: Entry = {
        ...r,
        destinations: [...r.destinations],
        tags: { ...r.tags },
      };
      this.#entries.push(entry);
      this.#byId.set(r.messageId, entry);
      this.#count += 1;
    }
    this.#oldestRaw = this.#entries.length;
  }

  clear(): void {
    this.#entries.length = 0;
    this.#byId.clear();
    this.#oldestRaw = 0;
    this.#count = 0;
  }

  /** The envelopes kept, by message id, with the raw MIME in base64 where kept (`GET /tidings/sent`). */
  envelopes(): Record<string, Envelope & { at: number; rawBase64?: string }> {
    const out: Record<string, Envelope & { at: number; rawBase64?: string }> = {};
    for (const { raw, parsed: _, messageId, ...rest } of this.#entries)
      out[messageId] = { ...rest, ...(raw ? { rawBase64: raw.toString('base64') } : {}) };
    return out;
  }

  /** The messages kept whole, parsed, in aws-ses-v2-local's shape; `since` in epoch seconds. */
  async store(since = 0): Promise<StoreEmail[]> {
    const out: StoreEmail[] = [];
    for (let i = this.#oldestRaw; i < this.#entries.length; i++) {
      const e = this.#entries[i];
      if (!e || e.at < since || !e.raw) continue;
      e.parsed ??= await parse(e, e.raw);
      out.push(e.parsed);
    }
    return out;
  }

  /** The raw MIME of a kept message. */
  raw(messageId: string): Buffer | undefined {
    return this.#byId.get(messageId)?.raw;
  }

  /**
   * Serves the mailbox's own routes (`GET /store`, `GET /tidings/sent`, `GET /tidings/count`, the web
   * mailbox's .eml download, `POST /clear-store`); returns false for anything else. `others`: the
   * messages aws-ses-v2-local stored itself (its v2 API), listed after these.
   */
  serve(req: IncomingMessage, res: ServerResponse, others: () => StoreEmail[]): boolean {
    const url = new URL(req.url ?? '/', 'http://local');
    const json = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/store') {
      const since = Number(url.searchParams.get('since') ?? '0') || 0;
      this.store(since).then(
        (emails) =>
          json(200, { templates: {}, emails: [...emails, ...others().filter((e) => e.at >= since)] }),
        (error: unknown) => json(500, { message: String(error) }),
      );
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/tidings/sent') {
      json(200, this.envelopes());
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/tidings/count') {
      json(200, { sent: this.#count, kept: this.#entries.length - this.#oldestRaw, keep: this.#keep });
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/get-emlContent') {
      const id = url.searchParams.get('messageId') ?? '';
      const raw = this.raw(id);
      if (!raw) return false;
      json(200, { messageId: id, fileName: this.#byId.get(id)?.parsed?.subject ?? id, body: raw });
      return true;
    }
    if (req.method === 'POST' && url.pathname === '/clear-store') this.clear();
    return false;
  }
}

async function parse(e: Entry, raw: Buffer): Promise<StoreEmail> {
  const m = await simpleParser(raw);
  return {
    messageId: e.messageId,
    from: m.from?.text ?? e.source ?? '',
    destination: { to: texts(m.to), cc: texts(m.cc), bcc: [] },
    subject: m.subject ?? '(no subject)',
    body: { ...(m.html ? { html: m.html } : {}), ...(m.text ? { text: m.text } : {}) },
    attachments: [],
    at: e.at,
  };
}
