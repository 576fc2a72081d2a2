/**
 * What wakes a scheduled send at its time. On AWS, a one-time EventBridge Scheduler schedule per send that
 * invokes the reconcile function with `{ fireScheduled: id }`; locally nothing (`tidings dev` looks for due
 * sends every few seconds). Either way the reconcile pass is the backstop: a timer that failed to fire
 * costs at most 5 minutes, and a timer that fires twice sends once (fireScheduledSend is exactly-once).
 */
export interface SendTimer {
  /** Sets the timer of send `id` to `at` (ISO 8601 UTC), or moves it there when one is already set. */
  set(id: string, at: string): Promise<void>;
  /** Removes the timer of send `id`; one already gone (fired, or never set) is fine. */
  clear(id: string): Promise<void>;
}

/** No timer: the process that owns the schedule store fires due sends itself (`tidings dev`, tests). */
export const noSendTimer: SendTimer = {
  set: async () => {},
  clear: async () => {},
};
