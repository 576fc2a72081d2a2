import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_MODULES, commandsFor } from '../../../functions/cli/commands/index.ts';
import { main } from '../../../functions/cli/main.ts';

function captureStderr() {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return { text: () => lines.join(''), restore: () => spy.mockRestore() };
}

describe('tidings (main)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints its version (the package.json one) and exits 0', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const code = await main(['--version']);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const { version } = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(out.join('')).toBe(`${version}\n`);
  });

  it('answers an unknown command with exit 1 and exactly one line', async () => {
    const err = captureStderr();
    const code = await main(['nope']);
    err.restore();
    expect(code).toBe(1);
    expect(err.text()).toBe("tidings: error: unknown command 'nope' (see tidings --help)\n");
  });

  it('answers a misspelt option of a subcommand with one line that suggests the right one', async () => {
    const err = captureStderr();
    const code = await main(['preview', 'examples/posts/short-note.md', '--lsit', 'podcast']);
    err.restore();
    expect(code).toBe(1);
    expect(err.text().trim().split('\n')).toHaveLength(1);
    expect(err.text()).toContain("unknown option '--lsit'");
    expect(err.text()).toContain('--list');
  });

  it('answers a missing file with one line naming it, and no stack trace without --debug', async () => {
    const err = captureStderr();
    const code = await main(['preview', 'no/such/post.md', '--out', 'out/test-main']);
    err.restore();
    expect(code).toBe(1);
    expect(err.text().trim().split('\n')).toHaveLength(1);
    expect(err.text()).toContain('no/such/post.md');
    expect(err.text()).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('lists every command in --help, and names a misspelt command with a suggestion', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const err = captureStderr();
    expect(await main(['--help'])).toBe(0);
    expect(await main(['subscriber'])).toBe(1);
    err.restore();
    const names = COMMAND_MODULES.flatMap((m) => m.names);
    expect(names).toHaveLength(14);
    for (const name of names) expect(out.join('')).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(err.text()).toContain('(Did you mean subscribers?)');
  });
});

describe('commandsFor', () => {
  it('loads only the module of the command on the line, --debug before it or not', async () => {
    for (const argv of [
      ['subscribers', 'import', 'x.csv'],
      ['--debug', 'subscribers', 'list'],
    ]) {
      const program = new Command('tidings');
      for (const register of await commandsFor(argv)) register(program);
      expect(program.commands.map((c) => c.name())).toEqual(['subscribers']);
    }
  });

  it('loads every module for --help, for no command and for an unknown one', async () => {
    for (const argv of [['--help'], [], ['nope']]) {
      expect(await commandsFor(argv)).toHaveLength(COMMAND_MODULES.length);
    }
  });
});
