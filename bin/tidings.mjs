#!/usr/bin/env -S node --max-old-space-size=512
// The `tidings` command. The sources are TypeScript; tsx runs them without a build step,
// so `npx tidings …` works in a checkout right after `npm ci`.
//
// The heap limit on the first line (npm start passes the same): with V8's default for this machine's memory
// (4 GB on 24 GB), the main thread of `tidings dev` let its heap grow to ~200 MB of mostly garbage while an
// edition went out; with a limit V8 collects sooner. Measured, 10,000 readers at 2,000/s, one run each: RSS of
// the whole stack 516–524 MB without a limit, 364 MB at 512 MB and at 256, 384 MB at 1 GB, same msg/s within
// the machine's noise. No command needs more: the largest import streams (50 MB of CSV in under 200 MB).
import { setFlagsFromString } from 'node:v8';

// A young generation of at most 2 MB per semi-space (V8's default grows to 16 MB, and 3 of them): the
// commands stream what they read, so their garbage dies young, and the larger spaces only raised the
// peak memory (measured: `subscribers import --dry-run` of 100 rows peaked at 147 MB with the default,
// 127 MB with this). Set before anything else is loaded. (`subscribers import --dry-run` goes further:
// functions/cli/commands/subscribers.ts.)
setFlagsFromString('--max-semi-space-size=2');

// The SDK versions are pinned in package.json and Lambda runs Node 22+, so the SDK's "future versions will need
// Node 22" notice says nothing actionable about a local run on Node 20; it would only bury the CLI's own output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
