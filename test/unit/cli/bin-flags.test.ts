// `tidings` runs with a heap limit (bin/tidings.mjs's first line): without one, `tidings dev` held ~520 MB at
// 10,000 readers, with one ~360 MB (the e2e bench). `npm start` must pass the same flags, and the first line
// must still start the command when it is run as a program, as `npx tidings` runs it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tidingsNodeFlags } from '../../bench/node-flags.ts';

const REPO = join(import.meta.dirname, '../../..');

describe('the node flags of the tidings command', () => {
  it('sets a heap limit, one V8 helper thread and less inlining, and npm start passes the same flags', () => {
    const flags = tidingsNodeFlags();
    const start = (
      JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start;
    expect(flags).toContainEqual(expect.stringMatching(/^--max-old-space-size=\d+$/));
    expect(flags).toContain('--v8-pool-size=1');
    expect(flags).toContainEqual(expect.stringMatching(/^--max-inlined-bytecode-size-cumulative=\d+$/));
    expect(start).toBe(`node ${flags.join(' ')} bin/tidings.mjs demo`);
  });

  it('runs as a program through its first line, with that heap limit', () => {
    const out = execFileSync(join(REPO, 'bin/tidings.mjs'), ['--help'], { encoding: 'utf8' });
    expect(out).toContain('Usage: tidings');
    const limitMb = Number(/--max-old-space-size=(\d+)/.exec(tidingsNodeFlags().join(' '))?.[1]);
    const heap = execFileSync(
      process.execPath,
      [...tidingsNodeFlags(), '-p', 'require("v8").getHeapStatistics().heap_size_limit'],
      { encoding: 'utf8' },
    );
    // V8 adds the young generation to the old-space limit.
    expect(Number(heap) / 1048576).toBeLessThan(limitMb + 64);
  });
});
