// A worker thread starts without its parent's module hooks: register tsx's loader here, then load the
// TypeScript module the thread runs (`workerData.entry`, a file URL: emulator-worker.ts, sender-child.ts).
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
