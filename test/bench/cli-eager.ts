// The CLI as it loaded before commands and use cases were lazy: every command module and every heavy
// use case imported at start. The import bench runs it in a child (with max-rss.mjs preloaded) for the
// floor it is compared with:   node --import tsx --import ./test/bench/max-rss.mjs test/bench/cli-eager.ts
import { COMMAND_MODULES } from '../../functions/cli/commands/index.ts';
import { ALL_USE_CASES } from '../../functions/wiring/use-cases.ts';

const registers = await Promise.all(COMMAND_MODULES.map((m) => m.load()));
process.stdout.write(`${registers.length} command modules, ${Object.keys(ALL_USE_CASES).length} use cases\n`);
