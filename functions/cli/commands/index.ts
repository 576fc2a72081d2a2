import type { Command } from 'commander';
import { registerPreview } from './preview.ts';

/** Every subcommand module registers itself on the program; add new ones here. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerPreview];
