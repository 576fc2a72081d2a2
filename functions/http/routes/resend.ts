import { checkEmail } from '../../core/subscribers/email.ts';
import { field, parseFormBody } from '../forms.ts';
import { runAfterAnswer } from '../journey-tasks.ts';
import { addressSubject, checkLimit, ipSubject } from '../rate-limits.ts';
import type { Route } from '../route-context.ts';

/**
 * POST /resend: a fresh link by email. Every answer past the rate limits is the same page, so the form
 * does not tell which addresses are known.
 */
export const postResend: Route = async (ctx, req) => {
  const { deps, pages, limits, page, tooMany } = ctx;
  const now = deps.clock.now();
  const fields = await parseFormBody(req.body, req.headers['content-type']);
  const byIp = await checkLimit(deps.rateLimits, limits.perIp, ipSubject(req.ip), now);
  if (!byIp.allowed) return tooMany(byIp.retryAfterSeconds);
  const done = page(
    200,
    pages.message(
      pages.t('page.checkInbox'),
      [pages.t('page.freshLinkSent'), pages.t('page.freshLinkSpam')],
      [{ href: '/subscribe', text: pages.t('page.subscribeButton') }],
    ),
  );
  if (field(fields, 'website') !== '') return done;
  const verdict = checkEmail(field(fields, 'email', 320));
  if (!verdict.ok) return done;
  const byAddress = await checkLimit(deps.rateLimits, limits.perAddress, addressSubject(verdict.email), now);
  if (!byAddress.allowed) return tooMany(byAddress.retryAfterSeconds);
  // Who the address is decides the rest; it runs after the answer (or in another invocation).
  await runAfterAnswer(ctx, { kind: 'resend', email: verdict.email });
  return done;
};
