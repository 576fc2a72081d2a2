// The confirmation and welcome emails, compiled once (at build time for the http function): MJML runs over
// the template with the site and theme filled in and a marker for every per-email field, and the markers
// become Handlebars mustaches. Sending one then costs a Handlebars fill (journey-fill.ts), so the http
// function bundles neither mjml nor html-to-text — the same render-once idea as editions (slot-markers.ts).
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import { listLanguage } from '../i18n/for-config.ts';
import { resolvedStrings, type Translator, translator } from '../i18n/translator.ts';
import { themeView } from './edition-view.ts';
import {
  type CompiledJourney,
  type CompiledJourneyEmail,
  type CompiledJourneyLanguage,
  JOURNEY_STRING_PREFIXES,
  type JourneyKind,
} from './journey-fill.ts';
import { fillTemplate, mjmlToHtml } from './render-mjml.ts';
import { NAME_PLACEHOLDER } from './slots.ts';
import type { JourneyTemplates } from './templates.ts';
import { htmlToPlainText } from './text.ts';

/**
 * A per-email field of a journey template: its path in the template's data. `raw`: HTML the use case made
 * itself (triple-stash); `text`: the field the text part shows in its place.
 */
interface JourneyField {
  readonly path: string;
  readonly raw?: boolean;
  readonly text?: string;
}

/** What each journey email fills per message; everything else (site, theme) is fixed when compiling. */
export const JOURNEY_FIELDS: Readonly<Record<JourneyKind, readonly JourneyField[]>> = {
  confirm: [
    { path: 'subject' },
    { path: 'preheader' },
    { path: 'heading' },
    { path: 'greeting' },
    { path: 'intro' },
    { path: 'listsHtml', raw: true, text: 'listsText' },
    { path: 'buttonLabel' },
    { path: 'actionUrl' },
    { path: 'note' },
    { path: 'email' },
  ],
  welcome: [
    { path: 'subject' },
    { path: 'preheader' },
    { path: 'list.id' },
    { path: 'list.name' },
    { path: 'list.description' },
    { path: 'cadenceLine' },
    { path: 'slot.greeting' },
    { path: 'slot.email' },
    { path: 'slot.unsubscribeUrl' },
    { path: 'slot.preferencesUrl' },
  ],
};

/**
 * Compiles both journey emails for one config: MJML (validated strictly) and the text twin, once per
 * language: the site's (`site.lang`), and each other language a list is written in, under `languages`.
 *
 * @example
 * const compiled = await compileJourney(await loadJourneySources(), config);
 * fillJourney(compiled.confirm, { subject: 'Confirm', … }) // { html, text }
 */
export async function compileJourney(sources: JourneyTemplates, config: Config): Promise<CompiledJourney> {
  const site = await compileLanguage(sources, config, config.site.lang);
  const others = [...new Set(config.lists.map((l) => listLanguage(config, l)))].filter(
    (tag) => tag !== config.site.lang,
  );
  if (others.length === 0) return site;
  const languages: Record<string, CompiledJourneyLanguage> = {};
  for (const tag of others) languages[tag] = await compileLanguage(sources, config, tag);
  return { ...site, languages };
}

async function compileLanguage(
  sources: JourneyTemplates,
  config: Config,
  language: string,
): Promise<CompiledJourneyLanguage> {
  const overrides = config.strings ?? {};
  const i18n: Translator = translator(language, overrides);
  const resolved = resolvedStrings(language, overrides);
  const carried = Object.fromEntries(
    Object.entries(resolved.strings).filter(([key]) =>
      JOURNEY_STRING_PREFIXES.some((p) => key.startsWith(p)),
    ),
  );
  const view = themeView(config, sources.theme, i18n);
  const [confirm, welcome] = await Promise.all([
    compileOne(sources.confirm, 'confirm', view, sources.partials),
    compileOne(sources.welcome, 'welcome', view, sources.partials),
  ]);
  const greetings = {
    named: i18n.t('email.greeting', { name: NAME_PLACEHOLDER }),
    anonymous: i18n.t('email.greetingAnonymous'),
  };
  return { confirm, welcome, greetings, words: { language: resolved.tag, strings: carried } };
}

async function compileOne(
  source: string,
  kind: JourneyKind,
  view: ReturnType<typeof themeView>,
  partials: Readonly<Record<string, string>>,
): Promise<CompiledJourneyEmail> {
  const fields = JOURNEY_FIELDS[kind];
  // Letters and digits only, so Handlebars, MJML and html-to-text pass them unchanged; the nonce is a hash
  // of the template and the fixed data, so neither can contain a marker.
  const nonce = createHash('sha256')
    .update(source)
    .update(JSON.stringify({ ...view, i18n: undefined }))
    .digest('hex')
    .slice(0, 16);
  const marker = (i: number) => `tjrn${nonce}f${i}x`;
  const data: Record<string, unknown> = { ...view };
  for (const [i, field] of fields.entries()) setPath(data, field.path, marker(i));
  const html = await mjmlToHtml(fillTemplate(source, data, partials));
  const text = htmlToPlainText(html, { rtl: view.rtl });
  const pattern = new RegExp(`tjrn${nonce}f(\\d+)x`, 'g');
  const toMustaches = (rendered: string, part: 'html' | 'text') =>
    escapeMustaches(rendered, pattern).replace(pattern, (_m, i: string) => {
      const field = fields[Number(i)] as JourneyField;
      if (part === 'text') return `{{{${field.text ?? field.path}}}}`;
      return field.raw ? `{{{${field.path}}}}` : `{{${field.path}}}`;
    });
  return { html: toMustaches(html, 'html'), text: toMustaches(text, 'text') };
}

/** The rendered part's own `{{` (and backslashes right before one) as `{{lb}}`/`{{bs}}`, as slot-markers.ts does. */
function escapeMustaches(rendered: string, markers: RegExp): string {
  const marker = markers.source.replace('(', '(?:');
  return rendered.replace(new RegExp(`\\\\+(?=\\{\\{|${marker})|\\{\\{`, 'g'), (match: string) =>
    match === '{{' ? '{{lb}}' : '{{bs}}'.repeat(match.length),
  );
}

function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? { ...(next as object) } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}
