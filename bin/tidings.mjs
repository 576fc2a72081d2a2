#!/usr/bin/env -S node --max-old-space-size=512 --v8-pool-size=1 --max-inlined-bytecode-size-cumulative=300
// The `tidings` command. The sources are TypeScript; tsx runs them without a build step,
// so `npx tidings …` works in a checkout right after `npm ci`.
//
// The heap limit on the first line (npm start passes the same): with V8's default for this machine's memory
// (4 GB on 24 GB), the main thread of `tidings dev` let its heap grow to ~200 MB of mostly garbage while an
// edition went out; with a limit V8 collects sooner. Measured, 10,000 readers at 2,000/s, one run each: RSS of
// the whole stack 516–524 MB without a limit, 364 MB at 512 MB and at 256, 384 MB at 1 GB, same msg/s within
// the machine's noise. No command needs more: the largest import streams (50 MB of CSV in under 200 MB).
//
// One V8 helper thread instead of Node's four (`--v8-pool-size`): the helpers compile and mark the heap beside
// the JavaScript, and the local stack already runs three busy threads of its own (the sender, DynamoDB and SQS,
// SES). On a 2-core machine, four helpers took the cores from the sender in the first seconds of an edition:
// its timers fired late and the rate limiter's slots went unused. Measured on the local stack, three pairs
// each, 2,000 readers: at 200/s 0.895-0.905x of the rate with one helper, 0.864-0.897x with four (slots
// lost: 25-59 against 47-130); at 2,000/s 315-382 msg/s against 291-341.
//
// Less inlining by V8's optimizing compiler (`--max-inlined-bytecode-size-cumulative`, 300 bytes of bytecode
// inlined into one function instead of V8's 920): the helper thread spent 1.5-1.75 s compiling while the first
// edition after a start went out, half of what the whole stack spent beyond the next edition's CPU; with less
// to inline, each compile is smaller. Measured on the local stack, 2,000 readers at 2,000/s, four pairs: the
// first edition 2.90-3.02 ms of CPU per message against 3.05-3.28 (592-615 msg/s against 554-592), the next
// one 1.89-2.00 against 1.93-2.17; at 200/s, two pairs, the same 0.93x of the rate.
import { setFlagsFromString } from 'node:v8';

// A young generation of at most 2 MB per semi-space for the worker threads this process starts (the local
// stack's emulators: their garbage dies young). Set at run time, the flag reaches only isolates created after
// it: V8 sized this main thread's heap at start, so the main thread keeps V8's default (measured with a loop of
// short-lived objects: new space up to 32 MB with this line, 4 MB with the flag on the command line). That is
// the better trade for `tidings dev`: an edition of 2,000 readers at 2,000/s took 13.0-14.2 s of CPU with 2 MB
// on every thread, 10.4-11.7 s with 8 MB on every thread (65 MB more RSS), and 11.2-12.7 s as set here (probe
// runs of three each on a shared machine). (`subscribers import --dry-run` goes further: functions/cli/commands/subscribers.ts.)
setFlagsFromString('--max-semi-space-size=2');

// The SDK versions are pinned in package.json and Lambda runs Node 22+, so the SDK's "future versions will need
// Node 22" notice says nothing actionable about a local run on Node 20; it would only bury the CLI's own output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
