import { describe, expect, it } from 'vitest';
import {
  oneLine,
  parseDuration,
  safeUrl,
  slugify,
  truncateAtWord,
} from '../../../../functions/core/posts/text.ts';

describe('oneLine', () => {
  it('turns CR, LF, tabs and other control characters into single spaces and keeps every script', () => {
    expect(oneLine('  Hi\r\n\tthere\u0000\u2028مرحبا 🎉  ')).toBe('Hi there مرحبا 🎉');
  });
});

describe('parseDuration', () => {
  it.each([
    [754, 754],
    ['754', 754],
    ['12:34', 754],
    ['01:02:03', 3723],
    ['0:58:17', 3497],
    ['an hour', undefined],
    [-5, undefined],
    ['1:2:3:4', undefined],
  ])('reads %j as %j seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });
});

describe('truncateAtWord', () => {
  it('keeps short text and cuts long text at a word with an ellipsis', () => {
    expect(truncateAtWord('short', 10)).toBe('short');
    expect(truncateAtWord('one two three four', 12)).toBe('one two…');
  });

  it('drops the punctuation before the cut, unless told to keep it (subjects and preheaders)', () => {
    // Act
    const dropped = truncateAtWord('Hello, world and more', 8);
    const kept = truncateAtWord('Hello, world and more', 8, { keepPunctuation: true });
    // Assess
    expect(dropped).toBe('Hello…');
    expect(kept).toBe('Hello,…');
  });
});

describe('slugify', () => {
  it('keeps ASCII letters and digits, drops accents and joins words with hyphens', () => {
    expect(slugify('Ep. 42: Héllo, World!')).toBe('ep-42-hello-world');
  });
});

describe('safeUrl', () => {
  it('resolves relative URLs and refuses script and data URLs', () => {
    expect(safeUrl('../b', 'https://x.example/a/c')).toBe('https://x.example/b');
    expect(safeUrl('java\nscript:alert(1)', 'https://x.example/')).toBeUndefined();
    expect(safeUrl('data:text/html,hi', 'https://x.example/')).toBeUndefined();
  });
});
