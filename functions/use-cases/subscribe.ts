import type { ListConfig } from '../core/config/schema.ts';
import { listLanguage } from '../core/i18n/language-of.ts';
// From posts/text.ts directly: render-edition.ts would bring mjml into the http function's bundle.
import { oneLine as cleanLine } from '../core/posts/text.ts';
import { journeyWords } from '../core/render/journey-fill.ts';
import { checkTimeZone } from '../core/schedule/waves.ts';
import { checkEmail } from '../core/subscribers/email.ts';
import { newSubscriberId } from '../core/subscribers/subscriber.ts';
import { signToken, TOKEN_TTL_SECONDS } from '../core/tokens/tokens.ts';
import type { ConsentEvidence, Subscriber } from '../ports/subscriber-store.ts';
import type { JourneyDeps } from './journey-deps.ts';
import { journeyUrl, sendJourneyEmail } from './journey-mail.ts';

export interface SubscribeInput {
  readonly email: string;
  /** Optional; cleaned to one line of at most 100 characters. */
  readonly name?: string;
  readonly lists: readonly string[];
  /**
   * The browser's IANA time zone, sent with the reader's consent (the form's checkbox); a value the
   * runtime does not know is dropped. Kept on a new subscriber only: the form, which anyone can post,
   * changes nothing of an existing one.
   */
  readonly timeZone?: string;
  /** Where the request came from, for the consent record (e.g. the form URL). */
  readonly source: string;
  readonly ip: string;
}

export type SubscribeResult =
  /**
   * The one answer whatever the address: new, pending, subscribed or suppressed. `confirmation` says, for
   * the logs only, whether a confirmation went out (`none`: nothing to confirm, or suppressed), and
   * `failed` when sending it failed (SES throttled, a network fault): the pending record stays, the
   * reader can post the form again or ask /resend, and the answer must not differ.
   */
  | {
      readonly outcome: 'accepted';
      readonly confirmation: 'sent' | 'none' | 'failed';
      /** For `failed`: the error's name and code, never the address. */
      readonly failure?: string;
    }
  | { readonly outcome: 'invalid'; readonly field: 'email' | 'lists'; readonly message: string };

/** Longest name kept; longer ones are cut. */
export const MAX_NAME_LENGTH = 100;

/**
 * Double opt-in, step one: records a `pending` membership with consent evidence (when, how, where, IP)
 * and sends a confirmation email whose link is a 7-day `confirm` token.
 *
 * The answer is the same for a new address, a pending one, a subscribed one and a suppressed one, so the
 * form cannot be used to learn who is subscribed. What differs happens out of sight:
 * - already subscribed to every list asked for: nothing is sent (no mail bombing through the form);
 * - suppressed (bounced, complained): nothing is sent, nothing is written;
 * - an existing subscriber's name and other memberships are never changed by the form, which anyone
 *   can post: only lists not yet subscribed go (back) to `pending`.
 */
export async function subscribe(deps: JourneyDeps, input: SubscribeInput): Promise<SubscribeResult> {
  const form = checkSubscribeForm(deps.config, input);
  if (form.outcome === 'invalid') return form;
  const { email, wanted } = form;
  const known = new Map(deps.config.lists.map((l) => [l.id, l]));
  if (await deps.suppressions.get(email)) return { outcome: 'accepted', confirmation: 'none' };

  const now = deps.clock.now();
  const at = now.toISOString();
  const consent: ConsentEvidence = { at, method: 'double-opt-in', source: input.source, ip: input.ip };
  const name = cleanName(input.name);
  const timeZone = checkTimeZone(input.timeZone);
  let subscriber = await deps.subscribers.getByEmail(email);
  let toConfirm: string[];
  if (!subscriber) {
    toConfirm = [...wanted];
    const fresh: Subscriber = {
      id: newSubscriberId(deps.randomBytes),
      email,
      ...(name ? { name } : {}),
      ...(timeZone ? { timeZone } : {}),
      attributes: {},
      lists: Object.fromEntries(
        wanted.map((id) => [
          id,
          { status: 'pending', cadence: known.get(id)?.defaultCadence ?? 'instant', consent, updatedAt: at },
        ]),
      ),
      createdAt: at,
      updatedAt: at,
    };
    subscriber = (await deps.subscribers.put(fresh)).subscriber;
  } else {
    toConfirm = wanted.filter((id) => subscriber?.lists[id]?.status !== 'subscribed');
    for (const id of toConfirm) {
      const before = subscriber.lists[id];
      subscriber = await deps.subscribers.setMembership(subscriber.id, id, {
        status: 'pending',
        cadence: before?.cadence ?? known.get(id)?.defaultCadence ?? 'instant',
        consent,
        updatedAt: at,
      });
    }
  }
  if (toConfirm.length === 0) return { outcome: 'accepted', confirmation: 'none' };
  try {
    await sendConfirmation(
      deps,
      subscriber,
      toConfirm.map((id) => known.get(id) as ListConfig),
      now,
    );
  } catch (error) {
    return { outcome: 'accepted', confirmation: 'failed', failure: describeFailure(error) };
  }
  return { outcome: 'accepted', confirmation: 'sent' };
}

/**
 * What the form's own fields say, before anything is read or written: a well-formed address and known
 * lists. The same for every address, so the pages can answer on it alone (the rest of subscribe may run
 * after the answer: HttpDeps.later).
 */
export function checkSubscribeForm(
  config: JourneyDeps['config'],
  input: Pick<SubscribeInput, 'email' | 'lists'>,
):
  | { readonly outcome: 'valid'; readonly email: string; readonly wanted: readonly string[] }
  | Extract<SubscribeResult, { outcome: 'invalid' }> {
  const verdict = checkEmail(input.email);
  if (!verdict.ok) {
    return { outcome: 'invalid', field: 'email', message: 'Enter an email address like name@example.com.' };
  }
  const known = new Set(config.lists.map((l) => l.id));
  const wanted = [...new Set(input.lists)].filter((id) => known.has(id));
  if (wanted.length === 0 || wanted.length !== new Set(input.lists).size) {
    return { outcome: 'invalid', field: 'lists', message: 'Choose at least one list.' };
  }
  return { outcome: 'valid', email: verdict.email, wanted };
}

/**
 * Sends the confirmation email for some lists. The token's `list` claim holds the list ids joined by
 * commas, so the link confirms exactly what was asked for and nothing an attacker added later.
 */
export async function sendConfirmation(
  deps: JourneyDeps,
  subscriber: Subscriber,
  lists: readonly ListConfig[],
  now: Date,
): Promise<void> {
  const token = signToken(
    {
      purpose: 'confirm',
      sub: subscriber.id,
      list: lists.map((l) => l.id).join(','),
      exp: Math.floor(now.getTime() / 1000) + TOKEN_TTL_SECONDS.confirm,
    },
    deps.keys,
  );
  const site = deps.config.site.name;
  const names = lists.map((l) => l.name);
  const list = lists[0] as ListConfig;
  // In the language of the list whose sender identity it uses (its template is compiled in that language).
  const i18n = journeyWords(deps.templates, listLanguage(deps.config, list));
  await sendJourneyEmail(deps, {
    kind: 'confirm',
    subscriber,
    list,
    subject: i18n.t('journey.confirmSubject', { name: names.length === 1 ? (names[0] ?? site) : site }),
    preheader: i18n.t('journey.confirmPreheader'),
    heading: i18n.t('journey.confirmHeading'),
    intro:
      lists.length === 1
        ? i18n.t('journey.confirmIntroOne', { list: names[0] ?? site })
        : i18n.t('journey.confirmIntroMany', { site }),
    lists: lists.map((l) => ({ name: l.name })),
    buttonLabel: i18n.t('journey.confirmButton'),
    actionUrl: journeyUrl(deps.config, '/confirm', token),
    note: i18n.t('journey.confirmNote'),
  });
}

/** A name as people can type it, made harmless: one line, no control characters, at most 100 characters. */
export function cleanName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const clean = cleanLine(name).slice(0, MAX_NAME_LENGTH).trim();
  return clean.length > 0 ? clean : undefined;
}

/** `Name (CODE)` of a send failure, for a log line: no message, which may name the address. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} (${code})` : error.name;
}
