import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDevStack } from '../../../../functions/local/local-stack.ts';

const nowhere = join(mkdtempSync(join(tmpdir(), 'tidings-dev-')), 'dev.json');

describe('findDevStack without a running `tidings dev`', () => {
  it('offers --stack only to a command that has it', async () => {
    // Act + Assess
    await expect(findDevStack({ path: nowhere, stackOption: true })).rejects.toThrow(
      'no local stack is running: start one with `npx tidings dev` in another terminal (or use --stack <name> for AWS)',
    );
    await expect(findDevStack({ path: nowhere })).rejects.toThrow(
      /^no local stack is running: start one with `npx tidings dev` in another terminal$/,
    );
  });
});
