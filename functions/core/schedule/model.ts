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
  /**
   * A wave of an edition planned for its readers' local time (a list's `deliverAt`): firing it puts the
   * readers held for it on the send queue, instead of publishing the post.
   */
  readonly wave?: WaveRef;
}

/** One reader held in a wave until its time: who, decided once at planning. */
export interface WaveRecipient {
  readonly subscriberId: string;
  readonly email: string;
}

/** ≤ 50 readers of one wave; numbered across the edition's waves, as the send queue's batches are. */
export interface WaveBatch {
  readonly batchNo: number;
  readonly recipients: readonly WaveRecipient[];
}

/** What a wave's ScheduledSend carries: its edition, and where its held readers are. */
export interface WaveRef {
  readonly editionId: string;
  readonly listId: string;
  /** Its batches are numbered `firstBatch` … `firstBatch + batches - 1`. */
  readonly firstBatch: number;
  readonly batches: number;
  readonly readers: number;
  /** The IANA zones whose readers it carries (the list's `timeZone` for readers with none). */
  readonly zones: readonly string[];
}

/** A wave to release: its ScheduledSend's id and reference. */
export interface WaveRelease extends WaveRef {
  readonly id: string;
}

/**
 * The id of a wave's ScheduledSend: the edition and the instant, so each list and each version of a post
 * gets its own waves.
 *
 * @example waveId('p-abc123', '2026-06-10T06:00:00.000Z') // 'p-abc123#2026-06-10T06:00:00.000Z'
 */
export function waveId(editionId: string, at: string): string {
  return `${editionId}#${at}`;
}
