import { beforeAll, describe, expect, it } from 'vitest';
import { createRouteTable } from '../../../functions/http/routes.ts';
import type { RouteHandler } from '../../../functions/http/types.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { spamScore } from '../../helpers/spamassassin.ts';
import { journeyDeps, linkIn, mailTo, request } from './journey-env.ts';

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
    await routes(request('POST', `${link.pathname}${link.search}`));
    const [, welcome] = await mailTo(env(), 'ham@example.org');
    // Act
    const scores = await Promise.all([confirm, welcome].map((m) => spamScore(m?.raw ?? Buffer.alloc(0))));
    // Assess
    for (const { score, report } of scores) expect(score, report).toBeLessThanOrEqual(1.0);
  });
});
