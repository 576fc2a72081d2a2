import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import type { Cadence, Config } from '../core/config/schema.ts';
import type { MessageKey } from '../core/i18n/catalogue.ts';
import { registerI18nHelpers } from '../core/i18n/handlebars-helpers.ts';
import type { MessageValues, Translator } from '../core/i18n/translator-types.ts';
import { englishWords } from '../core/i18n/words.ts';
import { TIME_ZONE_SCRIPT } from '../core/schedule/time-zone-script.ts';
import { stylesheet } from './page-style.ts';

/**
 * The subscriber-facing pages. Every value goes through Handlebars' escaping (`{{ }}`); the only
 * triple-stash is for markup this module made itself (the page body inside the layout, the stylesheet).
 * No page needs JavaScript, and the stylesheet is inline so that the Content-Security-Policy can allow
 * exactly it by hash and nothing else.
 */

/** One list as a page shows it. */
export interface ListChoice {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

/** A list of the reader's sent at a local time, as the preferences page says it (`HH:MM` in `zone`). */
export interface LocalTimeLine {
  readonly name: string;
  readonly deliverAt: string;
  readonly zone: string;
  /** The reader's own zone (false: the list's, none is set for the reader). */
  readonly yours: boolean;
}

/** One row of the preferences form. */
export interface ListPreference extends ListChoice {
  readonly subscribed: boolean;
  readonly pending: boolean;
  readonly cadence: Cadence;
}

export interface SubscribeFormState {
  readonly email?: string;
  readonly name?: string;
  readonly lists?: readonly string[];
  readonly error?: string;
}

export interface RenderedPage {
  readonly title: string;
  readonly html: string;
  /** `'sha256-…'` of the page's inline stylesheet, for its Content-Security-Policy. */
  readonly styleHash: string;
}

const hb = Handlebars.create();
registerI18nHelpers(hb);
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
// `(strong value)`: the value, escaped, in <strong>, for a message's HTML slot.
hb.registerHelper(
  'strong',
  (value: unknown) => new hb.SafeString(`<strong>${hb.escapeExpression(String(value ?? ''))}</strong>`),
);
hb.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));

const layout = hb.compile(`<!doctype html>
<html lang="{{lang}}"{{#if rtl}} dir="rtl"{{/if}}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{{title}} · {{siteName}}</title>
<style>{{{css}}}</style>
</head>
<body{{#if embed}} class="embed"{{/if}}>
{{#unless embed}}<header class="site"><a class="brand" href="{{siteUrl}}">{{#if logo}}<img src="{{logo}}" alt="" width="32" height="32">{{/if}}<span>{{siteName}}</span></a></header>
{{/unless}}<main class="card">
{{{content}}}
</main>
{{#unless embed}}<footer class="site"><p>{{postalAddress}}</p></footer>
{{/unless}}</body>
</html>
`);

const templates = {
  subscribe: hb.compile(`<h1>{{heading}}</h1>
<p class="lead">{{t "page.subscribeLead"}}</p>
{{#if error}}<p class="error" id="form-error" role="alert">{{error}}</p>{{/if}}
<form method="post" action="/subscribe" novalidate>
{{#if embed}}<input type="hidden" name="embed" value="1">{{/if}}
<div class="field">
<label for="email">{{t "page.emailLabel"}}</label>
<input id="email" name="email" type="email" required autocomplete="email" inputmode="email" maxlength="254" value="{{email}}"{{#if error}} aria-invalid="true" aria-describedby="form-error"{{/if}}>
</div>
<div class="field">
<label for="name">{{t "page.nameLabel"}} <span class="hint">{{t "page.optional"}}</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="{{name}}">
</div>
{{#if single}}<input type="hidden" name="list" value="{{single.id}}">
<p class="list-one">{{t "page.subscribingTo" list=(strong single.name)}}</p>
{{else}}<fieldset>
<legend>{{t "page.lists"}}</legend>
{{#each lists}}<div class="choice">
<input type="checkbox" id="list-{{id}}" name="list" value="{{id}}"{{#if checked}} checked{{/if}}>
<label for="list-{{id}}">{{name}}</label>
</div>
{{/each}}</fieldset>
{{/if}}{{#if localTime}}<div class="choice" id="tz-choice" hidden>
<input type="checkbox" id="tz" name="timeZone" value="">
<label for="tz">{{t "page.timeZoneConsent"}}</label>
</div>
<script>{{{tzScript}}}</script>
{{/if}}<div class="hp" aria-hidden="true">
<label for="website">{{t "page.leaveEmpty"}}</label>
<input id="website" name="website" type="text" tabindex="-1" autocomplete="off">
</div>
<button type="submit">{{t "page.subscribeButton"}}</button>
</form>
<p class="small">{{t "page.unsubscribeAnyTime"}}</p>
`),
  message: hb.compile(`<h1>{{heading}}</h1>
{{#each paragraphs}}<p>{{this}}</p>
{{/each}}{{#if links}}<ul class="links">
{{#each links}}<li><a href="{{href}}">{{text}}</a></li>
{{/each}}</ul>
{{/if}}`),
  confirm: hb.compile(`<h1>{{t "page.confirmTitle"}}</h1>
<p class="lead">{{t "page.confirmLead" lists=(strong listNames) email=(strong maskedEmail)}}</p>
<form method="post" action="{{action}}">
<button type="submit">{{t "page.confirmButton"}}</button>
</form>
<p class="small">{{t "page.confirmIgnore"}}</p>
`),
  unsubscribe: hb.compile(`<h1>{{t "page.unsubscribeTitle"}}</h1>
<p class="lead">{{t "page.unsubscribeLead" list=(strong listName) email=(strong maskedEmail)}}</p>
<form method="post" action="{{action}}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">{{t "page.unsubscribeFrom" list=listName}}</button>
</form>
<form method="post" action="{{action}}" class="secondary">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<input type="hidden" name="scope" value="all">
<button type="submit" class="quiet">{{t "page.unsubscribeEverything"}}</button>
</form>
{{#if preferencesUrl}}<p class="small">{{t "page.fewerEmails" link=(link preferencesUrl "page.changeHowOften")}}</p>{{/if}}
`),
  preferences: hb.compile(`<h1>{{t "page.preferencesTitle"}}</h1>
<p class="lead">{{t "page.emailsGoTo" email=(strong maskedEmail)}}</p>
{{#if saved}}<p class="notice" role="status">{{t "page.preferencesSaved"}}</p>{{/if}}
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
<form method="post" action="{{action}}">
<div class="field">
<label for="name">{{t "page.nameLabel"}} <span class="hint">{{t "page.optional"}}</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="{{name}}">
</div>
{{#each lists}}<fieldset class="list">
<legend>{{name}}</legend>
<p class="hint">{{description}}</p>
<div class="choice">
<input type="checkbox" id="sub-{{id}}" name="list" value="{{id}}"{{#if subscribed}} checked{{/if}}>
<label for="sub-{{id}}">{{#if pending}}{{t "page.subscribedPending"}}{{else}}{{t "page.subscribed"}}{{/if}}</label>
</div>
<div class="field">
<label for="cadence-{{id}}">{{t "page.howOften"}}</label>
<select id="cadence-{{id}}" name="cadence-{{id}}">
<option value="instant"{{#if (eq cadence "instant")}} selected{{/if}}>{{t "page.cadence.instant"}}</option>
<option value="daily"{{#if (eq cadence "daily")}} selected{{/if}}>{{t "page.cadence.daily"}}</option>
<option value="weekly"{{#if (eq cadence "weekly")}} selected{{/if}}>{{t "page.cadence.weekly"}}</option>
</select>
</div>
</fieldset>
{{/each}}{{#if localTime}}<fieldset class="list">
<legend>{{t "page.deliveryTime"}}</legend>
{{#each localTime}}<p class="hint">{{#if yours}}{{t "page.timeZoneYours" lists=(strong name) time=deliverAt zone=(strong zone)}}{{else}}{{t "page.timeZoneList" lists=(strong name) time=deliverAt zone=(strong zone)}}{{/if}}</p>
{{/each}}<div class="choice" id="tz-choice" hidden>
<input type="checkbox" id="tz" name="timeZone" value="">
<label for="tz">{{t "page.timeZoneUseBrowser"}}</label>
</div>
</fieldset>
<script>{{{tzScript}}}</script>
{{/if}}<button type="submit" name="action" value="save">{{t "page.savePreferences"}}</button>
</form>
<form method="post" action="{{action}}" class="secondary">
<input type="hidden" name="action" value="unsubscribe-all">
<button type="submit" class="quiet">{{t "page.unsubscribeEverything"}}</button>
</form>
`),
  invalidLink: hb.compile(`<h1>{{heading}}</h1>
<p class="lead">{{explanation}}</p>
<p>{{t "page.freshLinkLead"}}</p>
<form method="post" action="/resend">
<div class="field">
<label for="email">{{t "page.emailLabel"}}</label>
<input id="email" name="email" type="email" required autocomplete="email" inputmode="email" maxlength="254">
</div>
<div class="hp" aria-hidden="true">
<label for="website">{{t "page.leaveEmpty"}}</label>
<input id="website" name="website" type="text" tabindex="-1" autocomplete="off">
</div>
<button type="submit">{{t "page.freshLinkButton"}}</button>
</form>
`),
};

/**
 * Renders the pages of one site in one language (the route context keeps one per language a list uses:
 * route-context.ts); the stylesheet (and its CSP hash) and the translator are made once.
 */
export class Pages {
  readonly #config: Config;
  readonly #i18n: Translator;
  readonly #css: string;
  /** `'sha256-…'` of the inline stylesheet, for the Content-Security-Policy. */
  readonly styleHash: string;
  /** `'sha256-…'` of the one inline script (the subscribe form's time zone), for the Content-Security-Policy. */
  readonly scriptHash: string = `'sha256-${createHash('sha256').update(TIME_ZONE_SCRIPT).digest('base64')}'`;

  /**
   * `words`: the pages' language, as the compiled journey carries it (`journeyWords(templates, language)`);
   * English when not given.
   */
  constructor(config: Config, words: Translator = englishWords()) {
    this.#config = config;
    this.#i18n = words;
    this.#css = stylesheet(config, this.#i18n.dir);
    this.styleHash = `'sha256-${createHash('sha256').update(this.#css).digest('base64')}'`;
  }

  /** A message in the pages' language, for the answers the routes give (`pages.message(pages.t(…))`). */
  t(key: MessageKey, values?: MessageValues): string {
    return this.#i18n.t(key, values);
  }

  /** GET /subscribe (and the form again with an error). */
  subscribe(state: SubscribeFormState, options: { embed: boolean; only?: string }): RenderedPage {
    const lists = this.#config.lists
      .filter((l) => !options.only || l.id === options.only)
      .map((l) => ({
        id: l.id,
        name: l.name,
        description: l.description,
        // Preselect what the reader chose before; on a fresh form, preselect a lone list.
        checked: state.lists ? state.lists.includes(l.id) : this.#config.lists.length === 1,
      }));
    const single = lists.length === 1 ? lists[0] : undefined;
    const title = this.t('page.subscribeTitle', { site: this.#config.site.name });
    const content = templates.subscribe({
      i18n: this.#i18n,
      heading: title,
      lists,
      single,
      embed: options.embed,
      email: state.email ?? '',
      name: state.name ?? '',
      error: state.error,
      // Only where a list on the form delivers at local time: the reader's zone is asked for nothing else.
      localTime: this.#config.lists.some(
        (l) => l.deliverAt !== undefined && lists.some((shown) => shown.id === l.id),
      ),
      tzScript: TIME_ZONE_SCRIPT,
    });
    return this.#page(title, content, options.embed);
  }

  /** A heading, a few paragraphs and links: the answers after an action. */
  message(
    title: string,
    paragraphs: readonly string[],
    links: readonly { href: string; text: string }[] = [],
    embed = false,
  ): RenderedPage {
    return this.#page(
      title,
      templates.message({ i18n: this.#i18n, heading: title, paragraphs, links }),
      embed,
    );
  }

  /** GET /confirm?token=…: one button that POSTs; link scanners that follow the link confirm nothing. */
  confirm(input: { action: string; listNames: string; maskedEmail: string }): RenderedPage {
    return this.#page(this.t('page.confirmTitle'), templates.confirm({ ...input, i18n: this.#i18n }), false);
  }

  /** GET /unsubscribe?token=…: one button, never an action on GET. */
  unsubscribe(input: {
    action: string;
    listName: string;
    maskedEmail: string;
    preferencesUrl?: string;
  }): RenderedPage {
    return this.#page(
      this.t('page.unsubscribeTitle'),
      templates.unsubscribe({ ...input, i18n: this.#i18n }),
      false,
    );
  }

  /** GET/POST /preferences?token=… */
  preferences(input: {
    action: string;
    maskedEmail: string;
    name: string;
    lists: readonly ListPreference[];
    /** The reader's lists sent at a local time: the page says when and in which zone, and offers the browser's. */
    localTime?: readonly LocalTimeLine[];
    saved?: boolean;
    error?: string;
  }): RenderedPage {
    return this.#page(
      this.t('page.preferencesTitle'),
      templates.preferences({
        ...input,
        localTime: input.localTime?.length ? input.localTime : undefined,
        tzScript: TIME_ZONE_SCRIPT,
        i18n: this.#i18n,
      }),
      false,
    );
  }

  /** The 4xx page for a link that does not work, with a form to get a fresh one. */
  invalidLink(reason: 'expired' | 'invalid'): RenderedPage {
    const heading = this.t(reason === 'expired' ? 'page.linkExpired' : 'page.linkInvalid');
    const explanation = this.t(reason === 'expired' ? 'page.linkExpiredWhy' : 'page.linkInvalidWhy');
    return this.#page(heading, templates.invalidLink({ i18n: this.#i18n, heading, explanation }), false);
  }

  #page(title: string, content: string, embed: boolean): RenderedPage {
    const site = this.#config.site;
    const html = layout({
      lang: this.#i18n.language,
      rtl: this.#i18n.dir === 'rtl',
      title,
      siteName: site.name,
      siteUrl: site.url,
      logo: site.logo,
      postalAddress: site.postalAddress,
      css: this.#css,
      embed,
      content,
    });
    return { title, html, styleHash: this.styleHash };
  }
}

/** `ada@example.com` → `a••@example.com`: enough for the reader to recognise, little for anyone else. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}${'•'.repeat(Math.min(Math.max(at - 1, 2), 6))}${email.slice(at)}`;
}
