import type { ListConfig } from '../core/config/schema.ts';
import { distinctBy, MAX_BATCH_SIZE, toBatches } from '../core/editions/batches.ts';
import type { EditionWave } from '../core/editions/model.ts';
import type { Post } from '../core/posts/post.ts';
import {
  type WaveBatch,
  type WaveRecipient,
  type WaveRef,
  type WaveRelease,
  waveId,
} from '../core/schedule/model.ts';
import { checkTimeZone, planWaves } from '../core/schedule/waves.ts';
import type { Clock } from '../ports/clock.ts';
import type { EditionStore } from '../ports/edition-store.ts';
import type { ScheduleStore } from '../ports/schedule-store.ts';
import type { SendBatchMessage, SendQueue } from '../ports/send-queue.ts';
import type { SendTimer } from '../ports/send-timer.ts';
import type { SubscriberStore } from '../ports/subscriber-store.ts';

export interface AssignWavesDeps {
  readonly subscribers: Pick<SubscriberStore, 'pageByList'>;
  readonly schedules: Pick<ScheduleStore, 'put' | 'holdBatches'>;
  readonly clock: Clock;
  /** What wakes each wave (a one-time schedule on AWS); none where a timer polls the store (`tidings dev`). */
  readonly timer?: SendTimer;
  /** Members read per page. @default 1000 */
  readonly pageSize?: number;
}

/**
 * The soonest a wave's timer is set: a schedule at a time already past is not one to rely on, so a wave
 * due now gets its timer a few seconds ahead (the dev timer, which looks every 5 s, needs no margin).
 */
const TIMER_MARGIN_MS = 10_000;

/**
 * Plans an edition of a list with `deliverAt` in time-zone waves (core/schedule/waves.ts), once: reads
 * the list's subscribed `instant` members, takes each one's time zone (the list's `timeZone` when it is
 * unknown or no longer valid), groups the zones into ≤ 24 waves, and holds each wave's readers in batches
 * of ≤ 50 in the schedule store, beside one ScheduledSend per wave (`<edition id>#<instant>`) whose timer
 * is set to the instant. A reader's wave is decided here and stored: moving to another zone later changes
 * nothing for this edition, so nobody falls between two waves or sits in both. Returns the waves, for the
 * edition record (publishing stores them there, and never assigns again for an edition that has them).
 */
export async function assignWaves(
  deps: AssignWavesDeps,
  input: { readonly editionId: string; readonly list: ListConfig; readonly post: Post },
): Promise<EditionWave[]> {
  const { editionId, list, post } = input;
  const deliverAt = list.deliverAt;
  if (!deliverAt) return [];
  const now = deps.clock.now();
  const fallback = checkTimeZone(list.timeZone) ?? 'UTC';
  const readers: (WaveRecipient & { readonly zone: string })[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await deps.subscribers.pageByList(
      list.id,
      { status: 'subscribed', cadence: 'instant' },
      cursor,
      deps.pageSize ?? 1000,
    );
    for (const m of distinctBy(page.items, (m) => m.subscriberId, seen)) {
      readers.push({
        subscriberId: m.subscriberId,
        email: m.email,
        zone: checkTimeZone(m.timeZone) ?? fallback,
      });
    }
    cursor = page.cursor;
  } while (cursor !== undefined);

  const waves = planWaves({ publishAt: now, deliverAt, zones: readers.map((r) => r.zone) });
  const waveOfZone = new Map<string, number>();
  waves.forEach((w, i) => {
    for (const zone of w.zones) waveOfZone.set(zone, i);
  });
  const members: WaveRecipient[][] = waves.map(() => []);
  for (const r of readers) {
    members[waveOfZone.get(r.zone) ?? 0]?.push({ subscriberId: r.subscriberId, email: r.email });
  }

  const out: EditionWave[] = [];
  let batchNo = 0;
  for (const [i, wave] of waves.entries()) {
    const id = waveId(editionId, wave.at);
    const batches: WaveBatch[] = toBatches(members[i] ?? [], MAX_BATCH_SIZE).map((recipients) => ({
      batchNo: batchNo++,
      recipients,
    }));
    const ref: WaveRef = {
      editionId,
      listId: list.id,
      firstBatch: batches[0]?.batchNo ?? batchNo,
      batches: batches.length,
      readers: members[i]?.length ?? 0,
      zones: wave.zones,
    };
    // Readers first, then the send that releases them: a wave is never due with readers missing.
    await deps.schedules.holdBatches(id, batches);
    await deps.schedules.put({
      id,
      post,
      at: wave.at,
      list: list.id,
      scheduledAt: now.toISOString(),
      wave: ref,
    });
    const timerAt = Math.max(Date.parse(wave.at), now.getTime() + TIMER_MARGIN_MS);
    await deps.timer?.set(id, new Date(timerAt).toISOString());
    out.push({
      id,
      at: wave.at,
      readers: ref.readers,
      zones: ref.zones,
      firstBatch: ref.firstBatch,
      batches: ref.batches,
    });
  }
  return out;
}

/** How many held batches are read and enqueued at a time. */
const RELEASE_CHUNK = 100;

/**
 * Puts a wave's held readers on the send queue (the plan function, or in process where there is no plan
 * function), in the batch numbers planning gave them. Releasing twice (a timer that fired twice, a retry)
 * sends nothing twice: each delivery is claimed once in the ledger, and a second claim counts nothing.
 * Returns how many readers were put on the queue.
 */
export async function releaseWave(
  deps: {
    readonly schedules: Pick<ScheduleStore, 'heldBatches'>;
    readonly queue: SendQueue;
  },
  wave: WaveRelease,
): Promise<number> {
  let released = 0;
  for (let from = 0; from < wave.batches; from += RELEASE_CHUNK) {
    const numbers = Array.from(
      { length: Math.min(RELEASE_CHUNK, wave.batches - from) },
      (_, i) => wave.firstBatch + from + i,
    );
    const held = await deps.schedules.heldBatches(wave.id, numbers);
    const messages: SendBatchMessage[] = held.map((b) => ({
      editionId: wave.editionId,
      listId: wave.listId,
      batchNo: b.batchNo,
      recipients: b.recipients,
    }));
    if (messages.length > 0) await deps.queue.enqueue(messages);
    released += held.reduce((n, b) => n + b.recipients.length, 0);
  }
  return released;
}

/**
 * After a restart that lost the send queue (`tidings dev`: the SQS emulator keeps messages in memory), puts
 * back on the queue the readers of every wave of an edition that had already fired: those whose
 * ScheduledSend is gone. Waves still waiting are left to their time, so nobody is sent early; the ledger
 * keeps a reader already sent to one message. Returns how many readers went back on the queue.
 */
export async function requeueFiredWaves(
  deps: {
    readonly editions: Pick<EditionStore, 'get'>;
    readonly schedules: Pick<ScheduleStore, 'get' | 'heldBatches'>;
    readonly queue: SendQueue;
  },
  editionId: string,
): Promise<number> {
  const record = await deps.editions.get(editionId);
  let requeued = 0;
  for (const w of record?.edition.waves ?? []) {
    if (await deps.schedules.get(w.id)) continue;
    requeued += await releaseWave(deps, {
      id: w.id,
      editionId,
      listId: record?.edition.listId ?? '',
      firstBatch: w.firstBatch,
      batches: w.batches,
      readers: w.readers,
      zones: w.zones,
    });
  }
  return requeued;
}
