import type { Command } from 'commander';
import { registerArchive } from './archive.ts';
import { registerDemo } from './demo.ts';
import { registerDev } from './dev.ts';
import { registerDigest } from './digest.ts';
import { registerDoctor } from './doctor.ts';
import { registerFeeds } from './feeds.ts';
import { registerLists } from './lists.ts';
import { registerPreview } from './preview.ts';
import { registerPublish } from './publish.ts';
import { registerReconcile } from './reconcile.ts';
import { registerScheduled } from './scheduled.ts';
import { registerStatus } from './status.ts';
import { registerSubscribers } from './subscribers.ts';

/** Every subcommand module registers itself on the program; add new ones here. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerSubscribers,
  registerPreview,
  registerPublish,
  registerDigest,
  registerStatus,
  registerScheduled,
  registerReconcile,
  registerFeeds,
  registerArchive,
  registerLists,
  registerDoctor,
  registerDev,
  registerDemo,
];
