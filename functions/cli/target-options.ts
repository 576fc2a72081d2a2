import type { Command } from 'commander';

/**
 * The same target flags on every command that acts on a stack: `--stack` for a deployed stack;
 * `tables: true` adds `--endpoint`, `--table` and `--region` (the subscriber commands, which need only
 * the table). Without them a command acts on the running `tidings dev` stack.
 */
export function withTarget(cmd: Command, options: { readonly tables?: boolean } = {}): Command {
  cmd.option('--stack <name>', 'the deployed stack (its prefix, e.g. Tidings) instead of `tidings dev`');
  if (options.tables) {
    cmd
      .option('--endpoint <url>', 'a local DynamoDB endpoint (default: the running `tidings dev` stack)')
      .option('--table <name>', 'the DynamoDB table (alone: the table on AWS)')
      .option('--region <region>', 'AWS region for --stack or --table');
  }
  return cmd;
}
