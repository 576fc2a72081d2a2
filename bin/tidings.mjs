#!/usr/bin/env node
// The `tidings` command. The sources are TypeScript; tsx runs them without a build step,
// so `npx tidings …` works in a checkout right after `npm ci`.
import { register } from 'tsx/esm/api';

// The SDK versions are pinned in package.json and Lambda runs Node 22+, so the SDK's "future versions will need
// Node 22" notice says nothing actionable about a local run on Node 20; it would only bury the CLI's own output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
