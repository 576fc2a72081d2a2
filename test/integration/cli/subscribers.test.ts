import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();

/** Runs the CLI asynchronously: the emulators live in this process and must keep answering. */
async function tidings(...args: string[]) {
  const connection = ['--endpoint', env().emulators.endpoints.dynamodb, '--table', env().tableName];
  try {
    const r = await promisify(execFile)(process.execPath, ['bin/tidings.mjs', ...args, ...connection], {
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

// Each test spawns the CLI up to three times; give slow, shared machines room.
describe('tidings subscribers', { timeout: 150_000 }, () => {
  it('imports a Ghost export and reports created rows as JSON', async () => {
    // Act
    const run = await tidings(
      'subscribers',
      'import',
      'test/fixtures/import/ghost.csv',
      '--list',
      'essays',
      '--json',
    );
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      format: 'ghost',
      created: 3,
      statuses: { subscribed: 1, unsubscribed: 2 },
      problems: [],
    });
  });

  it('refuses a file with one bad row whole: one line naming the row, exit 1, nothing written, dry run or not', async () => {
    // Prepare: 201 rows; the row on line 191 has a 500 KB name.
    const dir = mkdtempSync(join(tmpdir(), 'tidings-import-'));
    const file = join(dir, 'readers.csv');
    const lines = ['email,name'];
    for (let i = 1; i <= 201; i++)
      lines.push(`whole${i}@example.org,${i === 190 ? 'x'.repeat(500_000) : `Reader ${i}`}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const expected = [
      'tidings: readers.csv: line 191: field-too-long: column "name" has 500000 characters; at most 1000 are imported; nothing was imported (fix the file, or pass --skip-bad-rows to import the other rows and list the bad ones)',
    ];
    // Act
    const dry = await tidings('subscribers', 'import', file, '--list', 'podcast', '--dry-run');
    const run = await tidings('subscribers', 'import', file, '--list', 'podcast');
    const members = await tidings('subscribers', 'list', '--list', 'podcast', '--json');
    // Assess
    expect(dry.code).toBe(1);
    expect(dry.stderr.trim().split('\n')).toEqual(expected);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(expected);
    expect(run.stdout).toBe('');
    const written = (JSON.parse(members.stdout) as { members: { email: string }[] }).members;
    expect(written.filter((m) => m.email.startsWith('whole'))).toEqual([]);
  });

  it('with --skip-bad-rows, prints bad rows with their line numbers, and exits 0 with the good rows imported', async () => {
    // A generic file that names each row's lists needs no --list.
    const run = await tidings('subscribers', 'import', 'test/fixtures/import/generic.csv', '--skip-bad-rows');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('line 6: invalid-email');
    expect(run.stdout).toContain('line 8: column-count');
    expect(run.stdout).toMatch(/suppressions: 2 added/);
  });

  it('asks for --list when the file does not say which list its rows belong to', async () => {
    const run = await tidings('subscribers', 'import', 'test/fixtures/import/substack-all.csv');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'tidings: test/fixtures/import/substack-all.csv: give --list <id>: the file does not say which list each row belongs to',
    );
  });

  it('lists only the subscribed members of a list, and the suppressed addresses', async () => {
    const members = await tidings(
      'subscribers',
      'list',
      '--list',
      'essays',
      '--status',
      'subscribed',
      '--json',
    );
    expect(JSON.parse(members.stdout).members.map((m: { email: string }) => m.email)).toEqual(
      expect.arrayContaining(['member@example.com', 'ada@example.com', 'Bob@example.org']),
    );
    expect(members.stdout).not.toContain('quiet@example.com');
    const suppressed = await tidings('subscribers', 'list', '--suppressed', '--json');
    expect(
      JSON.parse(suppressed.stdout)
        .suppressions.map((s: { email: string }) => s.email)
        .sort(),
    ).toEqual(['dave@example.com', 'hugo@example.com']);
  });

  it('adds one address, refuses a bad one with one line, and exports the list as CSV', async () => {
    const added = await tidings(
      'subscribers',
      'add',
      'Zed@Example.com',
      '--list',
      'essays',
      '--cadence',
      'daily',
    );
    expect(added.stdout).toContain('added Zed@example.com → essays (subscribed, daily)');
    const bad = await tidings('subscribers', 'add', 'zed@', '--list', 'essays');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual(['tidings: zed@: "zed@" has an invalid domain']);
    const out = join(mkdtempSync(join(tmpdir(), 'tidings-export-')), 'essays.csv');
    const exported = await tidings('subscribers', 'export', '--list', 'essays', '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^email,name,lists,cadence,status,created_at,ip/);
    expect(csv).toContain('Zed@example.com,,essays,daily,subscribed');
  });

  it('lifts a suppression only when asked, and logs it', async () => {
    const plain = await tidings('subscribers', 'remove', 'dave@example.com');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('add --unsuppress');
    const lifted = await tidings('subscribers', 'remove', 'dave@example.com', '--unsuppress');
    expect(lifted.code, lifted.stderr).toBe(0);
    expect(lifted.stdout).toContain('lifted the hard-bounce suppression of dave@example.com');
    expect(JSON.parse(lifted.stderr.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      event: 'suppression.removed',
      email: 'dave@example.com',
      reason: 'hard-bounce',
    });
  });
});
