#!/usr/bin/env node
// The `tidings` command. The sources are TypeScript; tsx runs them without a build step,
// so `npx tidings …` works in a checkout right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
