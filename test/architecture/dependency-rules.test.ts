// The dependency rules of functions/ (.dependency-cruiser.cjs), checked with dependency-cruiser: core
// imports nothing outward, only the composition root picks adapters, and no import cycle exists.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** Cruises functions/ under `cwd` with the project's rules; the violations found. */
async function violations(cwd: string): Promise<Violation[]> {
  const { stdout } = await run(
    process.execPath,
    [DEPCRUISE, 'functions', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
    { cwd, maxBuffer: 64 * 1024 * 1024 },
  ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const line = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;

describe('the dependency rules', () => {
  it('hold for functions/: no cycle, core imports only core, only functions/wiring picks adapters', async () => {
    expect((await violations(ROOT)).map(line)).toEqual([]);
  }, 120_000);

  it('catch an import from core outward and an import cycle', async () => {
    // Prepare: a tree with a core module that imports a port, which imports it back
    const dir = mkdtempSync(join(tmpdir(), 'tidings-deps-'));
    try {
      cpSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
      mkdirSync(join(dir, 'functions/core'), { recursive: true });
      mkdirSync(join(dir, 'functions/ports'), { recursive: true });
      writeFileSync(
        join(dir, 'functions/core/model.ts'),
        "import type { Store } from '../ports/store.ts';\nexport type Model = { store?: Store };\n",
      );
      writeFileSync(
        join(dir, 'functions/ports/store.ts'),
        "import type { Model } from '../core/model.ts';\nexport interface Store { get(): Model }\n",
      );

      // Act
      const found = (await violations(dir)).map(line);

      // Assess
      expect(found).toEqual(
        expect.arrayContaining([
          'core-is-pure: functions/core/model.ts → functions/ports/store.ts',
          'no-cycles: functions/core/model.ts → functions/ports/store.ts',
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
