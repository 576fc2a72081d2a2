// Shared builders for tests. Add yours; keep each one small and named for what it builds.
import exampleConfigInput from '../../examples/tidings.config.ts';
import type { Config } from '../../functions/core/config/schema.ts';
import { validateConfig } from '../../functions/core/config/validate.ts';
import type { Post } from '../../functions/core/posts/post.ts';
import type { KeyRing } from '../../functions/core/tokens/tokens.ts';
import type { Subscriber } from '../../functions/ports/subscriber-store.ts';
import { podcastPost } from '../fixtures/podcast-post.ts';

/** The example configuration (examples/tidings.config.ts), validated, with defaults applied. */
export function anExampleConfig(): Config {
  return validateConfig(exampleConfigInput, 'examples/tidings.config.ts');
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
