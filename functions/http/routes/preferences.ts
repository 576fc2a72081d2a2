import { checkTimeZone } from '../../core/schedule/waves.ts';
import {
  type PreferencesResult,
  updatePreferences,
  viewPreferences,
} from '../../use-cases/update-preferences.ts';
import { field, parseFormBody } from '../forms.ts';
import { maskEmail } from '../pages.ts';
import { type Route, type RouteContext, selfUrl } from '../route-context.ts';
import type { HttpRequest, HttpResponse } from '../types.ts';

/** GET /preferences: the form, read-only. */
export const getPreferences: Route = async (ctx, req, token) =>
  preferencesPage(ctx, req, await viewPreferences(ctx.deps, token), false);

/** POST /preferences: name, lists and cadences, or leaving every list. */
export const postPreferences: Route = async (ctx, req, token) => {
  const { deps, log } = ctx;
  const fields = await parseFormBody(req.body, req.headers['content-type']);
  const cadences: Record<string, 'instant' | 'daily' | 'weekly'> = {};
  for (const list of deps.config.lists) {
    const c = fields.get(`cadence-${list.id}`);
    if (c === 'instant' || c === 'daily' || c === 'weekly') cadences[list.id] = c;
  }
  // As on the sign-up form: posted only when ticked, and a zone the runtime does not know is dropped.
  const timeZone = checkTimeZone(field(fields, 'timeZone', 64));
  const result = await updatePreferences(deps, {
    token,
    name: field(fields, 'name', 200),
    lists: fields.getAll('list'),
    cadences,
    unsubscribeAll: fields.get('action') === 'unsubscribe-all',
    ip: req.ip,
    ...(timeZone ? { timeZone } : {}),
  });
  if (result.outcome === 'ready') log('info', 'preferences-updated', { subscriberId: result.subscriber.id });
  if (result.outcome === 'ready' && result.confirmationFailure) {
    log('error', 'confirmation-send-failed', { route: 'preferences', failure: result.confirmationFailure });
  }
  return preferencesPage(ctx, req, result, true);
};

function preferencesPage(
  { pagesForReader, page, invalidLink }: RouteContext,
  req: HttpRequest,
  result: PreferencesResult,
  saved: boolean,
): HttpResponse {
  if (result.outcome === 'invalid') return invalidLink(result.problem, req);
  // Every list of one reader: in the language of their first list.
  const pages = pagesForReader(result.subscriber);
  return page(
    200,
    pages.preferences({
      action: selfUrl(req),
      maskedEmail: maskEmail(result.subscriber.email),
      name: result.subscriber.name ?? '',
      lists: result.lists,
      localTime: result.localTime,
      saved,
    }),
  );
}
