// The composition root of the fast use-case tests: every port in memory, no emulator. The memory set
// passes the same contract suites as the DynamoDB/SQS/SES set (test/contract/), so what the use cases
// do on it, they do on AWS.
import { MemoryDeliveryLedger } from '../adapters/memory/memory-delivery-ledger.ts';
import { MemoryEditionStore } from '../adapters/memory/memory-edition-store.ts';
import { MemoryFeedStateStore } from '../adapters/memory/memory-feed-state-store.ts';
import { MemoryFeedbackStore } from '../adapters/memory/memory-feedback-store.ts';
import { MemoryListCursorStore } from '../adapters/memory/memory-list-cursor-store.ts';
import { MemoryMailTransport } from '../adapters/memory/memory-mail-transport.ts';
import { MemoryPostStore } from '../adapters/memory/memory-post-store.ts';
import { MemoryRateLimitStore } from '../adapters/memory/memory-rate-limit-store.ts';
import { MemoryScheduleStore } from '../adapters/memory/memory-schedule-store.ts';
import { MemorySendQueue } from '../adapters/memory/memory-send-queue.ts';
import { MemorySendQuotaStore } from '../adapters/memory/memory-send-quota-store.ts';
import { MemorySendingPauseStore } from '../adapters/memory/memory-sending-pause-store.ts';
import { MemorySubscriberStore } from '../adapters/memory/memory-subscriber-store.ts';
import { MemorySuppressionStore } from '../adapters/memory/memory-suppression-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { Adapters } from './adapters.ts';
import { type App, type AppOptions, buildApp } from './app.ts';
import { ALL_USE_CASES } from './use-cases.ts';

/** The memory set, typed with its test handles: the queue to drain, the transport's sent messages. */
export interface MemoryAdapters extends Adapters {
  readonly queue: MemorySendQueue;
  readonly transport: MemoryMailTransport;
}

/** Every port in memory. */
export function memoryAdapters(options: { readonly clock?: Clock } = {}): MemoryAdapters {
  return {
    subscribers: new MemorySubscriberStore(),
    suppressions: new MemorySuppressionStore(),
    editions: new MemoryEditionStore(),
    ledger: new MemoryDeliveryLedger(),
    posts: new MemoryPostStore(),
    cursors: new MemoryListCursorStore(),
    feedStates: new MemoryFeedStateStore(),
    feedback: new MemoryFeedbackStore(),
    rateLimits: new MemoryRateLimitStore(),
    pauses: new MemorySendingPauseStore(),
    schedules: new MemoryScheduleStore(),
    sendQuota: new MemorySendQuotaStore(),
    queue: new MemorySendQueue(options.clock ? { clock: options.clock } : {}),
    transport: new MemoryMailTransport(),
    destroy() {},
  };
}

/**
 * The application in memory, with its adapter set and a `drain()` that plays the send function: it
 * hands every visible queue message to `app.sendBatch` until the queue is empty.
 */
export function memoryApp(options: AppOptions): {
  readonly app: App;
  readonly adapters: MemoryAdapters;
  drain(): Promise<number>;
} {
  const adapters = memoryAdapters(options.clock ? { clock: options.clock } : {});
  const app = buildApp(adapters, { useCases: ALL_USE_CASES, ...options });
  return {
    app,
    adapters,
    async drain() {
      let batches = 0;
      for (;;) {
        const [message] = adapters.queue.receive(1);
        if (!message) return batches;
        try {
          await app.sendBatch(message.body);
          adapters.queue.delete(message.receiptHandle);
          batches++;
        } catch (error) {
          adapters.queue.release(message.receiptHandle);
          throw error;
        }
      }
    },
  };
}
