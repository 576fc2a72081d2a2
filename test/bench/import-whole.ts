// The naive import plan the import bench compares memory with: the whole file read into one string and
// planned in memory (core/import planImport), as a one-shot script would. Run in a child of its own:
//   node --import tsx --import ./test/bench/max-rss.mjs test/bench/import-whole.ts <file>
import { readFileSync } from 'node:fs';
import { planImport } from '../../functions/core/import/index.ts';

const file = process.argv[2] ?? '';
const plan = planImport(readFileSync(file, 'utf8'), {
  source: file,
  listId: 'podcast',
  lists: { podcast: 'instant', essays: 'weekly' },
});
process.stdout.write(`${plan.rows.length} rows, ${plan.problems.length} problems\n`);
