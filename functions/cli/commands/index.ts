import type { Command } from 'commander';
import { registerDev } from './dev.ts';
import { registerDigest } from './digest.ts';
import { registerPreview } from './preview.ts';
import { registerPublish } from './publish.ts';
import { registerStatus } from './status.ts';

/** Every subcommand module registers itself on the program; add new ones here. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerPreview,
  registerPublish,
  registerDigest,
  registerStatus,
  registerDev,
];
