import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRouteTable } from '../../../functions/http/routes.ts';
import type { RouteHandler } from '../../../functions/http/types.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { journeyDeps, linkIn, mailTo, request } from './journey-env.ts';

/** Debian's `spamassassin -L -t` (local tests only): the score and the rules hit. */
function spamScore(message: Buffer): Promise<{ score: number; report: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('spamassassin', ['-L', '-t'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      const match = /Content analysis details:\s+\((-?[0-9.]+) points/.exec(out);
      if (!match?.[1]) return reject(new Error(`no score in spamassassin output:\n${out.slice(-2000)}`));
      resolve({ score: Number(match[1]), report: out.slice(out.indexOf('Content analysis details:')) });
    });
    child.stdin.end(message);
  });
}

const env = useEmulators();
let routes: RouteHandler;

beforeAll(async () => {
  routes = createRouteTable(await journeyDeps(env()));
});

describe('the journey emails in SpamAssassin', () => {
  it('scores the confirmation and the welcome email at 1.0 or less', async () => {
    // Prepare: subscribe and confirm, as a reader would.
    await routes(
      request('POST', '/subscribe', {
        body: { email: 'ham@example.org', name: 'Ham Reader', list: 'podcast' },
      }),
    );
    const [confirm] = await mailTo(env(), 'ham@example.org');
    const link = new URL(linkIn(confirm?.html, '/confirm'));
    await routes(request('GET', `${link.pathname}${link.search}`));
    const [, welcome] = await mailTo(env(), 'ham@example.org');
    // Act
    const scores = await Promise.all([confirm, welcome].map((m) => spamScore(m?.raw ?? Buffer.alloc(0))));
    // Assess
    for (const { score, report } of scores) expect(score, report).toBeLessThanOrEqual(1.0);
  });
});
