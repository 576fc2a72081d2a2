/** What local-aws-sqs's queues expose of their receive (dist/index.js, class Queue). */
interface ReceivingQueue {
  receive(options: {
    readonly WaitTimeSeconds?: number | string;
    readonly MaxNumberOfMessages?: number | string;
    readonly VisibilityTimeout?: number | string;
  }): Promise<unknown[]>;
  readonly ReceiveMessageWaitTimeSeconds?: number;
}

const repaired = new WeakSet<object>();

/**
 * How long a waiting long poll sleeps between two looks at its queue when nothing was sent to it: what it
 * cannot hear of is a message whose visibility timeout or delay ran out (the emulator's own timers).
 */
export const RECHECK_MS = 250;

/** The long polls waiting on each queue, woken when a message is put on it or made visible again. */
const waiting = new WeakMap<object, Set<() => void>>();

/** Resolves when `queue` may have a message to give (one was sent, or made visible again), or after `ms`. */
function changed(queue: object & { newRecord?: unknown }, ms: number): Promise<void> {
  let wakers = waiting.get(queue);
  if (!wakers) {
    wakers = new Set();
    waiting.set(queue, wakers);
    // local-aws-sqs puts every message on a queue through its `newRecord` (an own property of each queue).
    const newRecord = queue.newRecord;
    if (typeof newRecord === 'function')
      queue.newRecord = (...args: unknown[]) => {
        const record = newRecord.apply(queue, args);
        wake(queue);
        return record;
      };
  }
  const set = wakers;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      set.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
  });
}

function wake(queue: object): void {
  for (const done of [...(waiting.get(queue) ?? [])]) done();
}

/**
 * SQS's long polling, as AWS does it: a ReceiveMessage with `WaitTimeSeconds` answers as soon as there
 * is a message, with what is there. local-aws-sqs (1.x) answers a long poll only when it holds
 * `MaxNumberOfMessages` messages, or when the wait is over: one message enqueued would wait up to 20 s.
 * Here a long poll looks with one of the emulator's short polls (each about 40 ms, its own minimum), and
 * then waits until a message is sent to the queue or made visible again (ChangeMessageVisibility), or
 * RECHECK_MS have passed, and looks again, until one look brings a message or the wait is over. An idle
 * long poll of 1 s (the local runner's, runner.ts) makes about 4 short polls, not 25 back to back.
 * `queue` is any queue of the emulator: they share one class, repaired once.
 */
export function repairLongPolling(queue: object): void {
  const proto = Object.getPrototypeOf(queue) as ReceivingQueue & {
    changeVisibility(handle: string, seconds: number | string): boolean;
  };
  if (repaired.has(proto)) return;
  repaired.add(proto);
  const receive = proto.receive;
  proto.receive = async function (this: ReceivingQueue, options) {
    const wait = Number(options.WaitTimeSeconds ?? this.ReceiveMessageWaitTimeSeconds ?? 0);
    if (!(wait > 0)) return receive.call(this, options);
    const until = Date.now() + wait * 1000;
    for (;;) {
      const got = await receive.call(this, { ...options, WaitTimeSeconds: 0 });
      const left = until - Date.now();
      if (got.length > 0 || left <= 0) return got;
      await changed(this, Math.min(RECHECK_MS, left));
    }
  };
  const changeVisibility = proto.changeVisibility;
  proto.changeVisibility = function (this: object, handle, seconds) {
    const result = changeVisibility.call(this, handle, seconds);
    if (Number(seconds) === 0) wake(this);
    return result;
  };
}
