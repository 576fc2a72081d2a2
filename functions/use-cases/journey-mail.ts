import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Config, ListConfig } from '../core/config/schema.ts';
import { listLanguage } from '../core/i18n/language-of.ts';
import { type ComposerHeader, listHeaders, listUnsubscribeValue } from '../core/mime/list-headers.ts';
import { fillJourney, journeyIn } from '../core/render/journey-fill.ts';
import { escapeHtml, greetingFor, stripControl } from '../core/render/slots.ts';
import { recipientLinks } from '../core/tokens/links.ts';
import type { Subscriber } from '../ports/subscriber-store.ts';
import type { JourneyDeps } from './journey-deps.ts';

/** The emails of the subscriber journey. */
export type JourneyEmail =
  | {
      /** Confirmation, or a fresh link (to confirm or to manage preferences): templates/confirm.mjml. */
      readonly kind: 'confirm' | 'manage';
      readonly subscriber: Subscriber;
      /** The list whose sender identity the email uses. */
      readonly list: ListConfig;
      readonly subject: string;
      readonly preheader: string;
      readonly heading: string;
      readonly intro: string;
      readonly lists: readonly { readonly name: string }[];
      readonly buttonLabel: string;
      readonly actionUrl: string;
      readonly note: string;
    }
  | {
      /** After confirmation, when the list has `welcome: true`: templates/welcome.mjml. */
      readonly kind: 'welcome';
      readonly subscriber: Subscriber;
      readonly list: ListConfig;
      readonly subject: string;
      readonly preheader: string;
      readonly cadenceLine: string;
    };

/** `${publicUrl}${path}?token=…` */
export function journeyUrl(
  config: Config,
  path: string,
  token: string,
  extra: Record<string, string> = {},
): string {
  const url = new URL(path, `${config.publicUrl.replace(/\/+$/, '')}/`);
  url.searchParams.set('token', token);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  return url.toString();
}

/** Unsubscribe (one list) and preferences links for one subscriber: core/tokens/links.ts's recipientLinks. */
export function manageLinks(
  deps: Pick<JourneyDeps, 'config' | 'keys'>,
  subscriberId: string,
  listId: string,
  now: Date,
): { readonly unsubscribeUrl: string; readonly preferencesUrl: string } {
  return recipientLinks({
    publicUrl: deps.config.publicUrl,
    ring: deps.keys,
    subscriberId,
    listId,
    nowSeconds: Math.floor(now.getTime() / 1000),
  });
}

/**
 * Fills one journey email, compiled from the same MJML templates and partials as the editions, builds its MIME
 * (multipart/alternative, text and html) and sends it through the MailTransport, tagged `kind` and `list`
 * so its SES events are told apart from editions'. The confirmation and fresh-link emails (`confirm`,
 * `manage`) contain no form-supplied text at all: a generic greeting and the bare address in To, so the
 * form cannot relay a stranger's words. The welcome email, sent after the reader confirmed, greets by the
 * name, which reaches headers and body only after `cleanName` (one line) and the renderer's escaping.
 */
export async function sendJourneyEmail(
  deps: JourneyDeps,
  email: JourneyEmail,
): Promise<{ messageId: string }> {
  const { config } = deps;
  const now = deps.clock.now();
  const { subscriber, list } = email;
  let rendered: { readonly html: string; readonly text: string };
  // Only the welcome email is list mail. The confirmation and fresh-link emails each answer a request made
  // on the site, one message, so they carry no list headers.
  let headers: Readonly<Record<string, ComposerHeader>> = {};
  // Compiled in every language a list is written in: this list's.
  const templates = journeyIn(deps.templates, listLanguage(config, list));
  // The templates were compiled once (core/render/journey-template.ts, at build time on AWS): here only
  // Handlebars fills the per-email fields, escaping each.
  if (email.kind === 'welcome') {
    const links = manageLinks(deps, subscriber.id, list.id, now);
    rendered = fillJourney(templates.welcome, {
      subject: email.subject,
      preheader: email.preheader,
      list: { id: list.id, name: list.name, description: list.description ?? '' },
      cadenceLine: email.cadenceLine,
      slot: {
        greeting: greetingFor(subscriber.name, templates.greetings),
        email: subscriber.email,
        ...links,
      },
    });
    // The same List-Id and List-Unsubscribe as the list's editions (core/mime/list-headers.ts).
    headers = listHeaders(
      { listId: list.id, listName: list.name, domain: config.sending.domain },
      listUnsubscribeValue(links.unsubscribeUrl, config.sending.unsubscribeMailto),
    );
  } else {
    rendered = fillJourney(templates.confirm, {
      subject: email.subject,
      preheader: email.preheader,
      heading: email.heading,
      // Never the stored name: anyone can post the form with a stranger's address, and a name they typed
      // would ride along to that stranger (the subscription-form spam relay). Generic until confirmed.
      greeting: greetingFor(undefined, templates.greetings),
      intro: email.intro,
      // List names come from the config; escaped here all the same, as this HTML goes in unescaped.
      listsHtml: email.lists.length
        ? `<ul>${email.lists.map((l) => `<li><strong>${escapeHtml(l.name)}</strong></li>`).join('')}</ul>`
        : '',
      listsText: email.lists.map((l) => ` * ${l.name}`).join('\n'),
      buttonLabel: email.buttonLabel,
      actionUrl: email.actionUrl,
      note: email.note,
      email: subscriber.email,
    });
  }
  const raw = await new MailComposer({
    from: { name: cleanHeader(list.from.name), address: list.from.address },
    // The display name only once the reader confirmed (welcome); confirmation and fresh-link emails carry
    // the bare address, so no form-supplied text reaches a stranger's inbox.
    to:
      email.kind === 'welcome' && subscriber.name
        ? { name: cleanHeader(subscriber.name), address: subscriber.email }
        : subscriber.email,
    ...(list.replyTo ? { replyTo: list.replyTo } : {}),
    subject: cleanHeader(email.subject),
    date: now,
    messageId: `<${email.kind}.${subscriber.id}.${now.getTime()}@${config.sending.domain}>`,
    text: rendered.text,
    html: rendered.html,
    headers,
    textEncoding: 'quoted-printable',
  })
    .compile()
    .build();
  return deps.mail.sendRaw(raw, {
    from: list.from.address,
    to: subscriber.email,
    configurationSet: config.sending.configurationSet,
    tags: { kind: email.kind, list: list.id, subscriber: subscriber.id },
  });
}

/** One header line: CR, LF and other control characters become spaces. */
function cleanHeader(value: string): string {
  return stripControl(value).trim();
}
