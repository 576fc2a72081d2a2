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
 * SQS's long polling, as AWS does it: a ReceiveMessage with `WaitTimeSeconds` answers as soon as there
 * is a message, with what is there. local-aws-sqs (1.x) answers a long poll only when it holds
 * `MaxNumberOfMessages` messages, or when the wait is over: one message enqueued would wait up to 20 s.
 * Here a long poll is a series of its short polls (each about 40 ms, its own minimum) until one brings a
 * message or the wait is over. The local runner long-polls like Lambda's event source (runner.ts, 1 s):
 * an idle `tidings dev` then makes one request per poller a second, not one every 65 ms.
 * `queue` is any queue of the emulator: they share one class, repaired once.
 */
export function repairLongPolling(queue: object): void {
  const proto = Object.getPrototypeOf(queue) as ReceivingQueue;
  if (repaired.has(proto)) return;
  repaired.add(proto);
  const receive = proto.receive;
  proto.receive = async function (this: ReceivingQueue, options) {
    const wait = Number(options.WaitTimeSeconds ?? this.ReceiveMessageWaitTimeSeconds ?? 0);
    if (!(wait > 0)) return receive.call(this, options);
    const until = Date.now() + wait * 1000;
    for (;;) {
      const got = await receive.call(this, { ...options, WaitTimeSeconds: 0 });
      if (got.length > 0 || Date.now() >= until) return got;
    }
  };
}
