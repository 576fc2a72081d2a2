import { type ParsedMail, simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../../functions/adapters/fs/templates.ts';
import { isSevenBit } from '../../../../functions/core/mime/build-message.ts';
import {
  buildMessage,
  compileMessage,
  type Envelope,
  type Recipient,
  toRawBytes,
} from '../../../../functions/core/mime/compile-message.ts';
import type { Post } from '../../../../functions/core/posts/post.ts';
import { type RenderedEdition, renderEdition } from '../../../../functions/core/render/render-edition.ts';
import { recipientLinks } from '../../../../functions/core/tokens/links.ts';
import { aKeyRing, anExampleConfig, aPost } from '../../../helpers/factories.ts';
import { naiveBuildMessage } from '../../../oracles/naive-build-message.ts';

const config = anExampleConfig();
const envelope: Envelope = {
  from: { name: 'Signal & Noise', address: 'hello@signal-noise.example.com' },
  replyTo: 'editors@signal-noise.example.com',
  listId: 'podcast',
  listName: 'Signal & Noise: the podcast',
  domain: 'signal-noise.example.com',
  unsubscribeMailto: 'unsubscribe@signal-noise.example.com',
};
const links = recipientLinks({
  publicUrl: config.publicUrl,
  ring: aKeyRing(),
  subscriberId: 's_1',
  listId: 'podcast',
  nowSeconds: 1_800_000_000,
});
const meta = {
  messageId: 'podcast.ep-42.s_1@signal-noise.example.com',
  date: new Date('2026-11-29T10:00:00Z'),
};
const ada: Recipient = { email: 'ada@example.org', name: 'Ada Lovelace', subscriberId: 's_1' };

async function rendered(post: Post = aPost()): Promise<RenderedEdition> {
  return renderEdition({
    kind: 'post',
    posts: [post],
    list: config.lists[0] ?? (undefined as never),
    config,
    templates: await loadTemplates(),
    editionId: 'podcast:post:ep-42',
    now: new Date('2026-11-29T08:00:00Z'),
  });
}

describe('buildMessage', () => {
  let edition: RenderedEdition;
  let raw: string;
  let mail: ParsedMail;
  beforeAll(async () => {
    edition = await rendered();
    raw = buildMessage(compileMessage(edition, envelope), ada, links, meta);
    mail = await simpleParser(raw);
  });

  it('builds multipart/alternative with the text part before the html part', () => {
    const source = raw.toString();
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(source.indexOf('Content-Type: text/plain; charset=utf-8')).toBeLessThan(
      source.indexOf('Content-Type: text/html; charset=utf-8'),
    );
    expect(mail.text).toContain('Episode 42: Finding signals in the noise');
    expect(mail.html).toContain('Episode 42: Finding signals in the noise');
  });

  it('carries From, To with names, Reply-To, Date, Message-ID, List-Id and one-click List-Unsubscribe', () => {
    expect(mail.from?.value).toEqual([{ name: 'Signal & Noise', address: 'hello@signal-noise.example.com' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([
      { name: 'Ada Lovelace', address: 'ada@example.org' },
    ]);
    expect(mail.replyTo?.value[0]?.address).toBe('editors@signal-noise.example.com');
    expect(mail.date?.toISOString()).toBe('2026-11-29T10:00:00.000Z');
    expect(mail.messageId).toBe('<podcast.ep-42.s_1@signal-noise.example.com>');
    expect(mail.headers.get('list')).toMatchObject({
      id: { name: 'Signal & Noise: the podcast', id: 'podcast.signal-noise.example.com' },
      unsubscribe: {
        url: links.unsubscribeUrl,
        mail: 'unsubscribe@signal-noise.example.com?subject=unsubscribe',
      },
    });
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
  });

  it('keeps List-Unsubscribe on one line and every body line within 76 characters', () => {
    const line = raw
      .toString()
      .split('\r\n')
      .find((l) => l.startsWith('List-Unsubscribe:'));
    expect(line).toBe(
      `List-Unsubscribe: <${links.unsubscribeUrl}>, <mailto:unsubscribe@signal-noise.example.com?subject=unsubscribe>`,
    );
    const body = raw.toString().split('\r\n\r\n').slice(1).join('\r\n\r\n');
    for (const l of body.split('\r\n')) expect(l.length).toBeLessThanOrEqual(76);
  });

  it('fills the greeting, the address and the links in both parts', () => {
    expect(mail.text).toContain('Hi Ada Lovelace,');
    expect(mail.text).toContain('This email was sent to ada@example.org.');
    expect(mail.text).toContain(`[${links.unsubscribeUrl}]`);
    expect(mail.html).toContain(`href="${links.unsubscribeUrl.replaceAll('=', '&#x3D;')}"`);
    expect(mail.html).toContain(`href="${links.preferencesUrl.replaceAll('=', '&#x3D;')}"`);
    expect(mail.html).not.toMatch(/\{\{/);
  });

  it.each([
    ['accents and emoji', 'Zoë Ünal 🎧'],
    ['quotes and backslashes', 'Ada "The Countess" \\ Lovelace'],
    ['CR/LF header injection', 'Eve\r\nBcc: victim@example.com\r\nX-Evil: 1'],
    ['HTML', '<img src=x onerror=alert(1)> & <b>Bob</b>'],
  ])('keeps a name with %s inside the To header and escaped in the body', async (_label, name) => {
    // Act
    const message = buildMessage(
      compileMessage(edition, envelope),
      { email: 'x@example.org', name, subscriberId: 's' },
      links,
      meta,
    );
    const parsed = await simpleParser(message);
    // Assess
    const expected = name.replace(/[\r\n]+/g, ' ').trim();
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([
      { name: expected, address: 'x@example.org' },
    ]);
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.headers.has('x-evil')).toBe(false);
    expect(parsed.text).toContain(`Hi ${expected},`);
    expect(parsed.html).not.toContain('<img src=x');
    expect(parsed.html).not.toContain('<b>Bob</b>');
  });

  it('encodes a non-ASCII subject as RFC 2047 and strips CR/LF from it', async () => {
    const edition2 = await rendered(aPost({ title: 'Épisode 42 —\r\nBcc: x@y.z 🎙️' }));
    const message = buildMessage(compileMessage(edition2, envelope), ada, links, meta);
    const subjectLine = message
      .toString()
      .split('\r\n')
      .find((l) => l.startsWith('Subject:'));
    expect(subjectLine).toMatch(/^Subject: =\?UTF-8\?[QB]\?/);
    const parsed = await simpleParser(message);
    expect(parsed.subject).toBe('Épisode 42 — Bcc: x@y.z 🎙️');
    expect(parsed.headers.has('bcc')).toBe(false);
  });

  it('parses to the same content as the naive Handlebars + MailComposer path', async () => {
    const tricky = await rendered(
      aPost({ title: 'Templating 101 ✓', bodyHtml: '<p>Use {{name}}, \\{{raw}} and \\\\{{x}} = 100%.</p>' }),
    );
    for (const recipient of [
      ada,
      { email: 'z@example.org', name: 'Zoë "Z" <O\'Neil>\n', subscriberId: 's2' },
      { email: 'n@example.org', subscriberId: 's3' },
    ]) {
      const fast = await simpleParser(buildMessage(compileMessage(tricky, envelope), recipient, links, meta));
      const naive = await simpleParser(await naiveBuildMessage(tricky, envelope, recipient, links, meta));
      expect(fast.text?.replace(/\r\n/g, '\n')).toBe(naive.text?.replace(/\r\n/g, '\n'));
      expect(fast.html).toBe(naive.html);
      expect(fast.subject).toBe(naive.subject);
      expect(fast.to).toEqual(naive.to);
      expect(fast.text).toContain('Use {{name}}, \\{{raw}} and \\\\{{x}} = 100%.');
    }
  });

  it('is 7-bit text, one char per byte, whose bytes parse to the same message', async () => {
    // Prepare: non-ASCII everywhere a reader or a feed can put it
    const wide = await rendered(aPost({ title: 'Zoë’s 🎧 episode', bodyHtml: '<p>שלום — naïve café ✓</p>' }));
    // Act
    const message = buildMessage(
      compileMessage(wide, envelope),
      { email: 'z@example.org', name: 'Zoë Ünal 🎧', subscriberId: 's2' },
      links,
      meta,
    );
    const bytes = toRawBytes(message);
    // Assess
    expect(isSevenBit(message)).toBe(true);
    expect(isSevenBit('café')).toBe(false);
    expect(bytes.length).toBe(message.length);
    const parsed = await simpleParser(Buffer.from(bytes));
    expect(parsed.subject).toBe('Zoë’s 🎧 episode');
    expect(parsed.text).toContain('שלום — naïve café ✓');
    expect(parsed.html).toContain('שלום — naïve café ✓');
    expect(parsed.text).toContain('Hi Zoë Ünal 🎧,');
  });

  it('refuses addresses, URLs and message ids that could break a header', () => {
    const compiled = compileMessage(edition, envelope);
    expect(() =>
      buildMessage(compiled, { ...ada, email: 'a@example.org\r\nBcc: b@example.org' }, links, meta),
    ).toThrow(/not a plain email address/);
    expect(() =>
      buildMessage(compiled, ada, { ...links, unsubscribeUrl: 'https://x.example/u>, <https://evil' }, meta),
    ).toThrow(/https URL/);
    expect(() => buildMessage(compiled, ada, links, { ...meta, messageId: 'id\r\nBcc: x@y.z' })).toThrow(
      /message id/,
    );
  });

  it('takes a plain-http one-click URL on 127.0.0.1 only (the pages of tidings dev)', () => {
    const compiled = compileMessage(edition, envelope);
    const local = 'http://127.0.0.1:4310/unsubscribe?token=abc';
    const headers = buildMessage(compiled, ada, { ...links, unsubscribeUrl: local }, meta).split(
      '\r\n\r\n',
    )[0];
    expect(headers).toContain(`List-Unsubscribe: <${local}>`);
    expect(() =>
      buildMessage(
        compiled,
        ada,
        { ...links, unsubscribeUrl: 'http://news.example.com/unsubscribe?t=1' },
        meta,
      ),
    ).toThrow(/https URL/);
    expect(() =>
      buildMessage(compiled, ada, { ...links, unsubscribeUrl: 'http://127.0.0.1.evil.example/u' }, meta),
    ).toThrow(/https URL/);
  });
});
