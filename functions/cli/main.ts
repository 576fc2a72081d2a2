import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { TidingsError } from '../core/errors.ts';
import { commandsFor } from './commands/index.ts';

/**
 * The `tidings` command. Returns the exit code: 0 on success, 1 on bad input or a failure
 * (one clear line on stderr, and the stack only with --debug).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const program = new Command('tidings')
    .description('Serverless newsletter delivery for a blog or podcast: MJML emails through Amazon SES.')
    .version(
      (createRequire(import.meta.url)('../../package.json') as { version: string }).version,
      '-V, --version',
      'print the version',
    )
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // Usage errors are one line too: "tidings: error: unknown option '--lsit' (see tidings --help)".
      outputError: (s, write) =>
        write(`tidings: ${s.trim().replace(/\s*\n\s*/g, ' ')} (see tidings --help)\n`),
    });
  for (const register of await commandsFor(argv)) register(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message; help and version are not errors.
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
        ? 0
        : 1;
    }
    const message =
      error instanceof TidingsError
        ? error.message
        : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    process.stderr.write(`tidings: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else if (!(error instanceof TidingsError))
      process.stderr.write('(run again with --debug for the stack trace)\n');
    return 1;
  }
}
