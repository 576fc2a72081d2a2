import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '../..');

/** The Node flags on bin/tidings.mjs's first line (`#!/usr/bin/env -S node <flags>`): what `tidings dev` gets. */
export function tidingsNodeFlags(): string[] {
  const first = readFileSync(join(REPO, 'bin/tidings.mjs'), 'utf8').split('\n')[0] ?? '';
  return first.split(/\s+/).slice(first.split(/\s+/).indexOf('node') + 1);
}
