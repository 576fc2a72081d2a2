import { describe, expect, it } from 'vitest';
import {
  listHeaders,
  listIdValue,
  listUnsubscribeValue,
  phrase,
} from '../../../../functions/core/mime/list-headers.ts';

const podcast = {
  listId: 'podcast',
  listName: 'Signal & Noise: the podcast',
  domain: 'signal-noise.example.com',
};

describe('listIdValue', () => {
  it('quotes the list name and names the list as listId.domain', () => {
    expect(listIdValue(podcast)).toBe('"Signal & Noise: the podcast" <podcast.signal-noise.example.com>');
  });

  it('keeps a name with quotes, line breaks or accents on one header line', () => {
    expect(listIdValue({ ...podcast, listName: 'The "best"\r\nBcc: x@example.org' })).toBe(
      '"The \\"best\\" Bcc: x@example.org" <podcast.signal-noise.example.com>',
    );
    expect(phrase('Café noir')).toMatch(/^=\?UTF-8\?Q\?Caf=C3=A9_noir\?=$/);
  });
});

describe('listUnsubscribeValue', () => {
  it('puts the one-click URL first and the mailto second, when there is one', () => {
    const url = 'https://news.signal-noise.example.com/unsubscribe?token=t';
    expect(listUnsubscribeValue(url, 'unsubscribe@signal-noise.example.com')).toBe(
      `<${url}>, <mailto:unsubscribe@signal-noise.example.com?subject=unsubscribe>`,
    );
    expect(listUnsubscribeValue(url)).toBe(`<${url}>`);
  });
});

describe('listHeaders', () => {
  it('gives List-Id and List-Unsubscribe prepared (never folded) and the RFC 8058 one-click marker', () => {
    expect(listHeaders(podcast, '<https://example.com/u>')).toEqual({
      'List-Id': { prepared: true, value: listIdValue(podcast) },
      'List-Unsubscribe': { prepared: true, value: '<https://example.com/u>' },
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});
