import type { Command } from 'commander';

/** Every subcommand module registers itself on the program; add new ones here. */
export type RegisterCommand = (program: Command) => void;

/**
 * The command modules, each loaded only when it is needed: a command's module pulls in what its actions
 * use (the SDK clients, mjml, the feed parser, the local emulators, …), and loading all of them made the
 * floor of every `tidings` process about 200 MB. `tidings subscribers import` loads the subscribers
 * module alone; `tidings --help`, no command, or an unknown one loads them all (commander lists them and
 * names the unknown one). `names` are the top-level commands a module registers.
 */
export const COMMAND_MODULES: readonly {
  readonly names: readonly string[];
  readonly load: () => Promise<RegisterCommand>;
}[] = [
  { names: ['subscribers'], load: async () => (await import('./subscribers.ts')).registerSubscribers },
  { names: ['preview'], load: async () => (await import('./preview.ts')).registerPreview },
  { names: ['publish'], load: async () => (await import('./publish.ts')).registerPublish },
  { names: ['digest'], load: async () => (await import('./digest.ts')).registerDigest },
  { names: ['status'], load: async () => (await import('./status.ts')).registerStatus },
  { names: ['scheduled'], load: async () => (await import('./scheduled.ts')).registerScheduled },
  { names: ['reconcile'], load: async () => (await import('./reconcile.ts')).registerReconcile },
  { names: ['feeds'], load: async () => (await import('./feeds.ts')).registerFeeds },
  { names: ['archive'], load: async () => (await import('./archive.ts')).registerArchive },
  { names: ['lists', 'editions'], load: async () => (await import('./lists.ts')).registerLists },
  { names: ['doctor'], load: async () => (await import('./doctor.ts')).registerDoctor },
  { names: ['dev'], load: async () => (await import('./dev.ts')).registerDev },
  { names: ['demo'], load: async () => (await import('./demo.ts')).registerDemo },
];

/**
 * The register functions for this command line: the one module whose command is the first word that is
 * not an option (the only program-wide option, `--debug`, takes no value), else every module.
 */
export async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const name = argv.find((a) => !a.startsWith('-'));
  const one = COMMAND_MODULES.find((m) => name !== undefined && m.names.includes(name));
  return Promise.all((one ? [one] : COMMAND_MODULES).map((m) => m.load()));
}
