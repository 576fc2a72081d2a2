import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { promisify } from 'node:util';
import type { DeployedFunction } from './template.ts';

// Runs a function's bundle from cdk.out the way Lambda would: a copy of the asset folder where no
// node_modules is above it, plain `node`, exactly the template's environment plus what the Lambda runtime
// adds, and a real trigger event. A small runner imports the bundle, calls its handler once per event,
// and writes the results and the environment variables the bundle read (process.env behind a Proxy).

const run = promisify(execFile);

/** Where Lambda puts the bundle; the template's paths into it are mapped to the copy. */
const TASK_ROOT = '/var/task';

const RUNNER = `
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
const [taskRoot, handlerSpec, eventsFile, outFile, timeoutMs] = process.argv.slice(2);
// The rehearsal never reaches the network: a connection to anything but 127.0.0.1 fails, and is reported.
const outside = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  const host = options.host ?? 'localhost';
  if (!options.path && !['127.0.0.1', 'localhost', '::1'].includes(host)) {
    outside.push(host + ':' + options.port);
    process.nextTick(() => this.destroy(new Error('rehearsal: no network outside 127.0.0.1 (' + host + ')')));
    return this;
  }
  return connect.apply(this, args);
};
const reads = new Set();
const env = process.env;
process.env = new Proxy(env, { get(t, k) { if (typeof k === 'string') reads.add(k); return Reflect.get(t, k); } });
const dot = handlerSpec.lastIndexOf('.');
const file = handlerSpec.slice(0, dot), exported = handlerSpec.slice(dot + 1);
const results = [];
try {
  const mod = await import(pathToFileURL(taskRoot + '/' + file + '.mjs').href);
  for (const event of JSON.parse(readFileSync(eventsFile, 'utf8'))) {
    const started = Date.now();
    const context = { awsRequestId: 'rehearsal-' + results.length, functionName: env.AWS_LAMBDA_FUNCTION_NAME,
      getRemainingTimeInMillis: () => Number(timeoutMs) - (Date.now() - started) };
    try { results.push({ ok: true, value: (await mod[exported](event, context)) ?? null }); }
    catch (e) { results.push({ ok: false, error: String(e && e.name) + ': ' + String(e && e.message) }); }
  }
} catch (e) { results.push({ ok: false, error: 'import: ' + String(e && e.stack) }); }
writeFileSync(outFile, JSON.stringify({ results, reads: [...reads], outside }));
process.exit(0);
`;

export interface Invocation {
  readonly results: readonly ({ ok: true; value: unknown } | { ok: false; error: string })[];
  /** Every environment variable the bundle read. */
  readonly reads: readonly string[];
  /** Connections the bundle tried outside 127.0.0.1 (refused). */
  readonly outside: readonly string[];
  readonly stdout: string;
}

export interface BundleSandbox {
  /** The copied bundle of a function (copied once). */
  readonly root: string;
  invoke(
    fn: DeployedFunction,
    events: readonly unknown[],
    extraEnv: Readonly<Record<string, string>>,
  ): Promise<Invocation>;
}

/** A temp folder with no node_modules above it, holding the runner and the copied bundles. */
export function bundleSandbox(options: { region: string; timeoutMs?: number }): BundleSandbox {
  const root = mkdtempSync(join(tmpdir(), 'tidings-rehearsal-'));
  for (let dir = root; dir !== parse(dir).root; dir = dirname(dir)) {
    if (existsSync(join(dirname(dir), 'node_modules')))
      throw new Error(
        `${dirname(dir)}/node_modules is above the rehearsal folder: a bundle could resolve from it`,
      );
  }
  const runner = join(root, 'runner.mjs');
  writeFileSync(runner, RUNNER);
  let n = 0;
  return {
    root,
    async invoke(fn, events, extraEnv) {
      const taskRoot = join(root, fn.name);
      if (!existsSync(taskRoot)) cpSync(fn.assetDir, taskRoot, { recursive: true });
      const environment = Object.fromEntries(
        Object.entries(fn.environment).map(([k, v]) => [
          k,
          v.startsWith(`${TASK_ROOT}/`) ? taskRoot + v.slice(TASK_ROOT.length) : v,
        ]),
      );
      n += 1;
      const eventsFile = join(root, `events-${n}.json`);
      const outFile = join(root, `out-${n}.json`);
      writeFileSync(eventsFile, JSON.stringify(events));
      const timeoutMs = options.timeoutMs ?? 60_000;
      // What the Lambda runtime sets, then the template's variables, then the endpoints of the proxy.
      const env = {
        PATH: '/usr/bin:/bin',
        TZ: ':UTC',
        LANG: 'en_US.UTF-8',
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        AWS_ACCESS_KEY_ID: 'ASIAREHEARSAL',
        AWS_SECRET_ACCESS_KEY: 'rehearsal',
        AWS_SESSION_TOKEN: 'rehearsal',
        AWS_LAMBDA_FUNCTION_NAME: `Tidings-stateless-${fn.logicalId}`,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        LAMBDA_TASK_ROOT: taskRoot,
        _HANDLER: fn.handler,
        ...environment,
        ...extraEnv,
      };
      const { stdout } = await run(
        process.execPath,
        [runner, taskRoot, fn.handler, eventsFile, outFile, String(timeoutMs)],
        {
          cwd: taskRoot,
          env,
          timeout: timeoutMs + 30_000,
          maxBuffer: 32 * 1024 * 1024,
        },
      );
      const out = JSON.parse(readFileSync(outFile, 'utf8')) as Omit<Invocation, 'stdout'>;
      return { ...out, stdout };
    },
  };
}
