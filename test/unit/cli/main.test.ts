import { afterEach, describe, expect, it, vi } from 'vitest';
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
});
