import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { brandColours, contrast } from '../../../functions/core/brand.ts';
import { parseFormBody } from '../../../functions/http/forms.ts';
import { toHttpRequest, toLambdaResult } from '../../../functions/http/lambda-event.ts';
import { maskEmail, Pages } from '../../../functions/http/pages.ts';
import { anExampleConfig } from '../../helpers/factories.ts';

const HOSTILE = '<script>alert(1)</script>"\'\r\nBcc: victim@example.org';

describe('Pages', () => {
  const pages = new Pages(anExampleConfig());

  it('brands every page from the config and declares its language', () => {
    const html = pages.message('Check your inbox', ['We sent you a link.']).html;
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('Signal &amp; Noise');
    expect(html).toContain('#5b3cc4');
    expect(html).toContain('548 Market St');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('escapes what a subscriber typed, wherever it lands', () => {
    const form = pages.subscribe({ email: HOSTILE, name: HOSTILE, error: HOSTILE }, { embed: false }).html;
    const prefs = pages.preferences({
      action: `/preferences?token=${encodeURIComponent(HOSTILE)}`,
      maskedEmail: HOSTILE,
      name: HOSTILE,
      lists: [],
      localTime: [{ name: HOSTILE, deliverAt: HOSTILE, zone: HOSTILE, yours: true }],
    }).html;
    // The one script the page may carry is the time zone's (its hash is in the CSP); nothing typed runs.
    expect(prefs.match(/<script>/g)).toHaveLength(1);
    expect(prefs).toContain('<script>(function(){var b=document.getElementById');
    for (const html of [form, prefs.replace(/<script>\(function[^<]*<\/script>/, '')]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('"\'');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('labels every input, and hides the honeypot from people and screen readers', () => {
    const html = pages.subscribe({}, { embed: false }).html;
    const $ = load(html);
    const ids = $('input:not([type=hidden])')
      .map((_, el) => $(el).attr('id'))
      .get();
    expect(ids).toEqual(['email', 'name', 'list-podcast', 'list-essays', 'website']);
    for (const id of ids) expect($(`label[for="${id}"]`).text().trim()).not.toBe('');
    expect(html).toMatch(
      /<div class="hp" aria-hidden="true">[\s\S]*name="website" type="text" tabindex="-1"/,
    );
  });

  it('offers every configured list on the form, and one list only when asked', () => {
    const all = pages.subscribe({}, { embed: false }).html;
    expect(all).toContain('value="podcast"');
    expect(all).toContain('value="essays"');
    const one = pages.subscribe({}, { embed: true, only: 'essays' }).html;
    expect(one).toContain('<input type="hidden" name="list" value="essays">');
    expect(one).not.toContain('value="podcast"');
    expect(one).toContain('class="embed"');
    expect(one).not.toContain('<header class="site">');
  });

  it('gives the unsubscribe page two POST forms with the RFC 8058 body and no action on GET', () => {
    const html = pages.unsubscribe({
      action: '/unsubscribe?token=t',
      listName: 'Essays',
      maskedEmail: 'a••@x.org',
    }).html;
    const $ = load(html);
    const forms = $('form');
    expect(forms.map((_, f) => `${$(f).attr('method')} ${$(f).attr('action')}`).get()).toEqual([
      'post /unsubscribe?token=t',
      'post /unsubscribe?token=t',
    ]);
    expect($('input[name="List-Unsubscribe"][value="One-Click"]')).toHaveLength(2);
    expect($('form').eq(1).find('input[name=scope]').val()).toBe('all');
    expect($('a[href*="unsubscribe"]')).toHaveLength(0);
  });

  it('allows exactly its inline stylesheet through the CSP hash', () => {
    expect(pages.styleHash).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
  });
});

describe('brandColours', () => {
  it('keeps text on buttons and links readable whatever the brand colour (WCAG AA)', () => {
    for (const hex of ['#5b3cc4', '#ffcc00', '#1a73e8', '#00ff00', '#111111', '#ffffff']) {
      const c = brandColours(hex);
      expect(contrast(c.accent, c.onAccent)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.link, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('maskEmail', () => {
  it('shows the first letter and the domain only', () => {
    expect(maskEmail('ada@example.com')).toBe('a••@example.com');
    expect(maskEmail('x@example.com')).toBe('x••@example.com');
  });
});

describe('parseFormBody', () => {
  it('reads the RFC 8058 body, urlencoded forms and JSON alike', async () => {
    expect((await parseFormBody('List-Unsubscribe=One-Click', undefined)).get('List-Unsubscribe')).toBe(
      'One-Click',
    );
    const form = await parseFormBody(
      'email=a%40b.org&list=podcast&list=essays',
      'application/x-www-form-urlencoded',
    );
    expect(form.getAll('list')).toEqual(['podcast', 'essays']);
    const json = await parseFormBody(
      '{"email":"a@b.org","lists":["podcast","essays"]}',
      'application/json; charset=utf-8',
    );
    expect(json.get('email')).toBe('a@b.org');
    expect(json.getAll('list')).toEqual(['podcast', 'essays']);
  });
  it('reads the one-click body as multipart/form-data with a boundary, as Gmail and Yahoo send it', async () => {
    // Prepare
    const boundary = '----=_Part_0_1234567.1700000000000';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    // Act
    const fields = await parseFormBody(body, `multipart/form-data; boundary="${boundary}"`);
    // Assess
    expect(fields.get('List-Unsubscribe')).toBe('One-Click');
    await expect(parseFormBody('not multipart', `multipart/form-data; boundary=${boundary}`)).rejects.toThrow(
      /multipart/,
    );
  });
  it('refuses JSON of another shape and bodies over 16 KB', async () => {
    await expect(parseFormBody('[1,2]', 'application/json')).rejects.toThrow(/object of strings/);
    await expect(parseFormBody('{"email":{"$ne":1}}', 'application/json')).rejects.toThrow(
      /must be a string/,
    );
    await expect(parseFormBody('x'.repeat(17_000), undefined)).rejects.toThrow(/larger than/);
  });
});

describe('http handler event mapping', () => {
  it('reads a Function URL event (base64 body, source IP) and answers without cookies', () => {
    const req = toHttpRequest({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/unsubscribe',
      rawQueryString: 'token=t1.k.p.s',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('List-Unsubscribe=One-Click').toString('base64'),
      isBase64Encoded: true,
      requestContext: {
        accountId: 'anonymous',
        apiId: 'x',
        domainName: 'x.lambda-url.eu-west-1.on.aws',
        domainPrefix: 'x',
        http: {
          method: 'POST',
          path: '/unsubscribe',
          protocol: 'HTTP/1.1',
          sourceIp: '198.51.100.7',
          userAgent: 'Gmail',
        },
        requestId: 'r',
        routeKey: '$default',
        stage: '$default',
        time: '28/Nov/2026:10:00:00 +0000',
        timeEpoch: 0,
      },
    });
    expect(req).toMatchObject({
      method: 'POST',
      path: '/unsubscribe',
      body: 'List-Unsubscribe=One-Click',
      ip: '198.51.100.7',
    });
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.query.get('token')).toBe('t1.k.p.s');
    const result = toLambdaResult({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'ok',
      isBase64Encoded: false,
    });
    expect(result.cookies).toBeUndefined();
  });
});
