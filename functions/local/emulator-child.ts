// The child side of startEmulatorProcess(): starts the emulators, prints their endpoints as one JSON
// line, and stops them on SIGTERM (or when the parent goes away).
import { type EmulatorOptions, startEmulators } from './emulators.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const part = (process.argv[3] ?? 'all') as 'all' | 'data' | 'ses';
const emulators = await startEmulators(options, part);
const { stop, pids: _, ...info } = emulators;
process.stdout.write(`${JSON.stringify(info)}\n`);
const shutdown = async () => {
  await stop();
  process.exit(0);
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
process.once('disconnect', shutdown);
process.stdout.once('error', shutdown);
// A parent killed with SIGKILL sends no signal: its orphan would hold the ports a restart needs.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown();
}, 500).unref();
