// Shared builders for tests. Add yours; keep each one small and named for what it builds.
import { simpleParser } from 'mailparser';
import exampleConfigInput from '../../examples/tidings.config.ts';
import { loadTemplates } from '../../functions/adapters/fs/templates.ts';
import type { Config } from '../../functions/core/config/schema.ts';
import { validateConfig } from '../../functions/core/config/validate.ts';
import { buildMessage, compileMessage } from '../../functions/core/mime/compile-message.ts';
import type { Post } from '../../functions/core/posts/post.ts';
import { renderEdition } from '../../functions/core/render/render-edition.ts';
import { recipientLinks } from '../../functions/core/tokens/links.ts';
import type { KeyRing } from '../../functions/core/tokens/tokens.ts';
import type { Subscriber } from '../../functions/ports/subscriber-store.ts';
import { podcastPost } from '../fixtures/podcast-post.ts';

/** The example configuration (examples/tidings.config.ts), validated, with defaults applied. */
export function anExampleConfig(): Config {
  return validateConfig(exampleConfigInput, 'examples/tidings.config.ts');
}

/**
 * The example configuration with every list written in `language` (BCP 47), and the author's `strings`.
 */
export function anExampleConfigIn(
  language: string,
  strings: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): Config {
  return validateConfig(
    { ...exampleConfigInput, lists: exampleConfigInput.lists.map((l) => ({ ...l, language })), strings },
    'examples/tidings.config.ts',
  );
}

/** The example config with some lists in their own language: `{ essays: 'ar' }`; the others as they are. */
export function anExampleConfigWithLanguages(languages: Readonly<Record<string, string>>): Config {
  return validateConfig(
    {
      ...exampleConfigInput,
      lists: exampleConfigInput.lists.map((l) => (languages[l.id] ? { ...l, language: languages[l.id] } : l)),
    },
    'examples/tidings.config.ts',
  );
}

/** A post like the ones the post sources produce; override any field. */
export function aPost(overrides: Partial<Post> = {}): Post {
  return { ...podcastPost, ...overrides };
}

/** A key ring with one fixed test key. */
export function aKeyRing(): KeyRing {
  return { current: { id: 'test-1', secret: new Uint8Array(32).fill(7) } };
}

/** A subscriber on one list (default: 'podcast', subscribed, instant); override any field. */
export function aSubscriber(
  overrides: Partial<Subscriber> & {
    readonly id: string;
    readonly email: string;
  },
): Subscriber {
  const at = '2026-01-05T10:00:00.000Z';
  return {
    attributes: {},
    lists: {
      podcast: {
        status: 'subscribed',
        cadence: 'instant',
        updatedAt: at,
        consent: { at, method: 'double-opt-in', source: 'https://news.example.com/subscribe' },
      },
    },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** The example posts and feeds every render check runs over. */
export const EXAMPLE_SOURCES = [
  'examples/posts/podcast-episode.md',
  'examples/posts/long-essay.md',
  'examples/posts/short-note.md',
  'examples/feeds/substack.xml',
  'examples/feeds/atom.xml',
  'examples/feeds/feed.json',
  'examples/feeds/substack-episode.xml',
] as const;

/**
 * Renders an edition of the example config's first list and builds the message one subscriber gets
 * (Rae Reader, reader@example.org), parsed back with mailparser.
 */
export async function anEmailFor(
  posts: readonly Post[],
  kind: 'post' | 'digest',
  config: Config = anExampleConfig(),
) {
  const list = config.lists[0] ?? (undefined as never);
  const edition = await renderEdition({
    kind,
    posts,
    list,
    config,
    templates: await loadTemplates(),
    editionId: 'example',
    now: new Date('2026-11-29T08:00:00Z'),
  });
  const links = recipientLinks({
    publicUrl: config.publicUrl,
    ring: aKeyRing(),
    subscriberId: 's_1',
    listId: list.id,
    nowSeconds: 1_800_000_000,
  });
  const raw = buildMessage(
    compileMessage(edition, {
      from: list.from,
      ...(list.replyTo ? { replyTo: list.replyTo } : {}),
      listId: list.id,
      listName: list.name,
      domain: config.sending.domain,
      ...(config.sending.unsubscribeMailto ? { unsubscribeMailto: config.sending.unsubscribeMailto } : {}),
    }),
    { email: 'reader@example.org', name: 'Rae Reader', subscriberId: 's_1' },
    links,
    { messageId: 'example.s_1@signal-noise.example.com', date: new Date('2026-11-29T09:00:00Z') },
  );
  return { edition, raw, mail: await simpleParser(raw), links };
}
