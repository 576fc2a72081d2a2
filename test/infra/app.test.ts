import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers.ts';

const cdkEnv: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', NO_COLOR: '1' };

describe('infra/app.ts', () => {
  it('exits 1 before synthesizing, with one line per wrong field of the config', () => {
    // Prepare: the example's shape with two mistakes an operator could make.
    const dir = mkdtempSync(join(tmpdir(), 'tidings-app-'));
    const file = join(dir, 'tidings.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        site: { name: 'S', url: 'https://s.example.com', postalAddress: '1 Main St, Springfield' },
        publicUrl: 'https://news.s.example.com',
        sending: { domain: 's.example.com', maxRate: -3 },
        lists: [
          {
            id: 'news',
            name: 'News',
            description: 'News',
            from: { name: 'S', address: 'news@other.example.org' },
          },
        ],
        aws: { region: 'europe' },
      }),
    );
    // Act
    const run = spawnSync('npx', ['tsx', 'infra/app.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...cdkEnv, TIDINGS_CONFIG: file, CDK_OUTDIR: join(dir, 'out') },
      encoding: 'utf8',
    });
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n').sort()).toEqual(
      [
        `${file}: sending.maxRate: Too small: expected number to be >0`,
        `${file}: lists[0].from.address: must be an address at the sending domain s.example.com`,
        `${file}: aws.region: must be an AWS Region like eu-west-1`,
      ].sort(),
    );
    expect(existsSync(join(dir, 'out', 'manifest.json'))).toBe(false);
  });

  it('stops `cdk synth` with one line saying how to create the config when none is given, never taking examples/', () => {
    // Prepare: a directory with no tidings.config.*, the project's app run from there by the real CDK CLI.
    const dir = mkdtempSync(join(tmpdir(), 'tidings-noconfig-'));
    const bin = (name: string) => join(PROJECT_ROOT, 'node_modules', '.bin', name);
    writeFileSync(
      join(dir, 'cdk.json'),
      JSON.stringify({ app: `${bin('tsx')} ${join(PROJECT_ROOT, 'infra/app.ts')}`, notices: false }),
    );
    const { TIDINGS_CONFIG: _ignored, ...env } = cdkEnv;
    // Act
    const run = spawnSync(bin('cdk'), ['synth', '--no-notices', '-q', '-o', join(dir, 'out')], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    // Assess
    expect(run.status).not.toBe(0);
    const ours = run.stderr.split('\n').filter((line) => line.startsWith('no deployment config'));
    expect(ours).toEqual([
      'no deployment config: cp examples/tidings.config.ts tidings.config.ts, edit it for your site, then run cdk again (or pass -c config=<file>)',
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out', 'Tidings-stateless.template.json'))).toBe(false);
  }, 150_000);

  it('synthesizes the stacks offline with `npm run synth` (cdk synth -c config=examples/…), telemetry and notices off', () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'tidings-cdk-synth-'));
    const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(cdkJson).toMatchObject({
      app: 'npx tsx infra/app.ts',
      notices: false,
      context: { 'cli-telemetry': false },
    });
    // Act
    const { TIDINGS_CONFIG: _ignored, ...env } = cdkEnv;
    // The script names the example config: tests and CI synthesize it; a deployment names its own.
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.synth).toBe('cdk synth --no-notices -q -c config=examples/tidings.config.ts');
    const run = spawnSync('npm', ['run', '--silent', 'synth', '--', '-o', out], {
      cwd: PROJECT_ROOT,
      env,
      encoding: 'utf8',
      timeout: 450_000,
    });
    // Assess
    expect(run.stderr).not.toMatch(/\[Error at|Validation failed|WARNING/);
    expect(run.status).toBe(0);
    expect(existsSync(join(out, 'Tidings-stateful.template.json'))).toBe(true);
    expect(existsSync(join(out, 'Tidings-stateless.template.json'))).toBe(true);
    expect(existsSync(join(out, 'Tidings-certificate.template.json'))).toBe(true);
  }, 480_000);
});
