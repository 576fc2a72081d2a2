/** How long one send invocation may run: the send function's timeout (infra/constructs/send-pipeline.ts). */
export const SEND_FUNCTION_TIMEOUT_SECONDS = 120;

/**
 * How long before its timeout a send invocation stops claiming deliveries. Enough for what may still be
 * under way then: one SendRawEmail call (the SES transport gives up after 30 s), the ledger writes, the
 * edition's counters and the re-enqueue of the unsent recipients. A claimed delivery still waiting for its
 * pacing slot is let go at the deadline (SlotQueue) and released, however many wait.
 */
export const SEND_DEADLINE_MARGIN_MS = 40_000;

/**
 * When a send invocation must stop claiming, as a time on the clock `nowMs` comes from, given the time
 * its Lambda context says is left.
 *
 * @example
 * sendDeadline(Date.now(), context.getRemainingTimeInMillis()) // 40 s before the invocation times out
 */
export function sendDeadline(nowMs: number, remainingMs: number): number {
  return nowMs + remainingMs - SEND_DEADLINE_MARGIN_MS;
}
