import { checkTimeZone } from '../../core/schedule/waves.ts';
import { checkEmail } from '../../core/subscribers/email.ts';
import { checkSubscribeForm } from '../../use-cases/subscribe.ts';
import { field, parseFormBody } from '../forms.ts';
import { runAfterAnswer } from '../journey-tasks.ts';
import { addressSubject, checkLimit, ipSubject } from '../rate-limits.ts';
import type { Route } from '../route-context.ts';

/** GET / and GET /subscribe: the form; `?embed=1` for an iframe, `?list=id` to offer only that list. */
export const getSubscribe: Route = async ({ deps, pagesFor, page }, req) => {
  const embed = req.query.get('embed') === '1';
  const only = req.query.get('list') ?? undefined;
  const known = only && deps.config.lists.some((l) => l.id === only);
  // The form for one list speaks that list's language; the form for every list, the site's.
  return page(200, pagesFor(only).subscribe({}, { embed, ...(known ? { only } : {}) }), {
    frameable: embed,
  });
};

/** POST /subscribe: rate limits, the honeypot, then the double opt-in (use-cases/subscribe.ts). */
export const postSubscribe: Route = async (ctx, req) => {
  const { deps, limits, log, page, tooMany } = ctx;
  const now = deps.clock.now();
  const fields = await parseFormBody(req.body, req.headers['content-type']);
  const embed = fields.get('embed') === '1';
  // The answer speaks the language of the first list the reader chose (the site's when none is known).
  const lists = fields.getAll('list');
  const pages = ctx.pagesFor(lists);
  const byIp = await checkLimit(deps.rateLimits, limits.perIp, ipSubject(req.ip), now);
  if (!byIp.allowed) {
    log('warn', 'rate-limited', { route: 'subscribe', scope: 'ip' });
    return tooMany(byIp.retryAfterSeconds, embed, pages);
  }
  const checkInbox = [pages.t('page.checkInboxSent'), pages.t('page.checkInboxSpam')];
  const done = page(200, pages.message(pages.t('page.checkInbox'), checkInbox, [], embed), {
    frameable: embed,
  });
  // A bot filled the hidden field: answer as if it worked, do nothing.
  if (field(fields, 'website') !== '') {
    log('info', 'honeypot', { route: 'subscribe' });
    return done;
  }
  const email = field(fields, 'email', 320);
  const name = field(fields, 'name', 500);
  // Present only when the reader ticked the box; a value the runtime does not know is dropped, not an error.
  const timeZone = checkTimeZone(field(fields, 'timeZone', 64));
  const verdict = checkEmail(email);
  if (verdict.ok) {
    const byAddress = await checkLimit(
      deps.rateLimits,
      limits.perAddress,
      addressSubject(verdict.email),
      now,
    );
    if (!byAddress.allowed) {
      log('warn', 'rate-limited', { route: 'subscribe', scope: 'address' });
      return tooMany(byAddress.retryAfterSeconds, embed, pages);
    }
  }
  const input = {
    email,
    ...(name ? { name } : {}),
    ...(timeZone ? { timeZone } : {}),
    lists,
    ip: req.ip,
    source: `${deps.config.publicUrl.replace(/\/+$/, '')}/subscribe${embed ? '?embed=1' : ''}`,
  };
  const form = checkSubscribeForm(deps.config, input);
  if (form.outcome === 'invalid') {
    // The use case says what is wrong in English (for logs and the API); the page says it in its language.
    const error = pages.t(form.field === 'email' ? 'page.errorEmail' : 'page.errorLists');
    return page(400, pages.subscribe({ email, name, lists, error }, { embed }), {
      frameable: embed,
    });
  }
  // The rest depends on who the address is; it runs after the answer (or in another invocation).
  await runAfterAnswer(ctx, { kind: 'subscribe', ...input });
  return done;
};
