import { caniemail } from 'caniemail';
import { describe, expect, it } from 'vitest';
import { loadPosts } from '../../../../functions/adapters/fs/post-source.ts';
import { anEmailFor, anExampleConfig, EXAMPLE_SOURCES } from '../../../helpers/factories.ts';

// A client-support lint on caniemail.com's data: every HTML and CSS feature of the rendered emails that a
// client below does not support fails, unless it is listed here with the fallback that covers it.

const CLIENTS = [
  'gmail.desktop-webmail',
  'gmail.ios',
  'gmail.android',
  'outlook.windows',
  'outlook.windows-mail',
  'outlook.outlook-com',
  'outlook.macos',
  'apple-mail.macos',
  'apple-mail.ios',
  'yahoo.desktop-webmail',
];

/** Reviewed: features a client lacks, and why the email still reads well there. */
const ALLOWED: Readonly<Record<string, string>> = {
  'color-scheme meta tag':
    'an opt-in to dark mode; without it the client shows the light scheme, which passes AA',
  'Chaining selectors':
    'only the dark-mode rules chain selectors; a client without them shows the light scheme',
  '@media': "MJML's mobile rules; Outlook for Windows gets the fixed 600 px layout from MJML's mso tables",
  'background-image':
    'the video card: Outlook for Windows draws the picture with VML (v:rect, v:fill) instead',
  'background-size': 'the video card: VML v:fill aspect="atleast" crops it in Outlook for Windows',
  'background-position': 'the video card: VML v:fill centres it in Outlook for Windows',
  'background attribute': 'the video card: the bgcolor under it stays, with the Play button on top',
  'border-radius': 'square corners where it is missing; nothing depends on them',
  'max-height property': 'hides the preheader; Outlook for Windows hides it with mso-hide:all',
  overflow: 'hides the preheader; Outlook for Windows hides it with mso-hide:all',
  'height property': 'images also carry numeric height attributes',
  'aria-label attribute': 'names the post on "Read more" for screen readers; the visible text still works',
  'role attribute': 'role="presentation" on layout tables; without it they read as tables, no layout change',
  'target attribute': 'links open in the same or a new tab; either works',
  'word-break': "MJML's defaults for long words in text; without it a long word wraps at the edge",
  'white-space': 'pre-wrap of code blocks and the header link; without it code still shows, unwrapped',
  'word-spacing': "MJML's reset; no visible change",
  outline: "MJML's reset of link outlines; no visible change",
  // (word-wrap, its old name, is missing from caniemail 2.0.2's data for gmail.ios and makes the package throw.)
  'overflow-wrap': 'breaks a long word in a code block; where it is missing, pre-wrap still wraps at spaces',
  'border-spacing': 'mj-image\'s border-spacing:0, also written as cellspacing="0", which Outlook reads',
  cursor: "MJML's pointer on buttons; no visible change",
  '<body> element': "Outlook for Mac drops the body's own attributes; MJML sets the page colour on a div too",
};

function unsupported(html: string): Map<string, Set<string>> {
  const result = caniemail({ clients: CLIENTS as never, html });
  const found = new Map<string, Set<string>>();
  const errors = result.issues.errors as unknown as Map<string, readonly { title: string }[]>;
  for (const [client, issues] of errors) {
    for (const issue of issues) {
      const clients = found.get(issue.title) ?? new Set<string>();
      clients.add(client);
      found.set(issue.title, clients);
    }
  }
  return found;
}

const config = anExampleConfig();
const posts = (
  await Promise.all(EXAMPLE_SOURCES.map((s) => loadPosts(s, { siteUrl: config.site.url })))
).flat();

describe('client support (caniemail)', () => {
  it('finds a feature a client lacks', () => {
    // Act
    const found = unsupported('<div style="position:absolute;top:0">x</div>');
    // Assess
    expect([...found.keys()]).toContain('position');
    expect(ALLOWED.position).toBeUndefined();
  });

  it.each(posts.map((post) => ({ name: post.slug, post })))(
    '$name: uses nothing the clients lack without a reviewed fallback',
    async ({ post }) => {
      // Act
      const { mail } = await anEmailFor([post], 'post');
      const found = unsupported(String(mail.html));
      // Assess
      const unreviewed = [...found]
        .filter(([title]) => !ALLOWED[title])
        .map(([t, c]) => `${t}: ${[...c].join(', ')}`);
      expect(unreviewed).toEqual([]);
    },
  );

  it('a digest uses nothing the clients lack without a reviewed fallback', async () => {
    // Act
    const { mail } = await anEmailFor(posts.slice(0, 4), 'digest');
    const found = unsupported(String(mail.html));
    // Assess
    const unreviewed = [...found]
      .filter(([title]) => !ALLOWED[title])
      .map(([t, c]) => `${t}: ${[...c].join(', ')}`);
    expect(unreviewed).toEqual([]);
  });
});
