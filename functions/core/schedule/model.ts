import type { Post } from '../posts/post.ts';

/**
 * A post waiting for its time (`publish --at`, front matter `sendAt`). `firing` while the send starts: from
 * then on it can no longer be cancelled or replaced, and a retry finishes it (publishing is idempotent).
 */
export interface ScheduledSend {
  /** The post's id: one waiting send per post, so an edit before the time replaces it. */
  readonly id: string;
  readonly post: Post;
  /** When to send, ISO 8601 UTC. */
  readonly at: string;
  /** Only this list (publish --list). */
  readonly list?: string;
  /** Send an edited post again (publish --resend). */
  readonly resend?: boolean;
  /** When it was scheduled, ISO 8601 UTC. */
  readonly scheduledAt: string;
  readonly state: 'waiting' | 'firing';
}
