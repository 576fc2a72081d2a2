// Filling a compiled journey email (journey-template.ts compiles it): Handlebars only, no MJML and no
// html-to-text, so this is all the http function carries of the renderer.
import Handlebars from 'handlebars';
import { TidingsError } from '../errors.ts';
import type { Translator } from '../i18n/translator-types.ts';
import { englishWords, type LanguageStrings, wordsFrom } from '../i18n/words.ts';
import { type Greetings, LITERAL_SLOTS } from './slots.ts';

export type JourneyKind = 'confirm' | 'welcome';

/** One journey email as Handlebars over finished HTML and text: `{{field}}` escaped, `{{{field}}}` not. */
export interface CompiledJourneyEmail {
  readonly html: string;
  readonly text: string;
}

/** The confirmation (also the fresh-link email) and the welcome email, compiled for one language. */
export interface CompiledJourneyLanguage {
  readonly confirm: CompiledJourneyEmail;
  readonly welcome: CompiledJourneyEmail;
  /** The greeting in that language (default: English). */
  readonly greetings?: Greetings;
  /**
   * The strings of the subscriber pages and the journey use cases in that language, overrides applied
   * (JOURNEY_STRING_PREFIXES): the http function speaks the list's language without the catalogues.
   */
  readonly words?: LanguageStrings;
}

/** The keys a compiled journey carries, by prefix: the pages' and the journey emails' own. */
export const JOURNEY_STRING_PREFIXES = ['page.', 'journey.', 'email.greeting'] as const;

/**
 * The journey emails compiled for one config: in the site's language at the top, and in every other
 * language a list is written in under `languages` (by BCP 47 tag), each with its own strings.
 */
export interface CompiledJourney extends CompiledJourneyLanguage {
  readonly languages?: Readonly<Record<string, CompiledJourneyLanguage>>;
}

/** The journey emails in a list's language (its BCP 47 tag), else in the site's. */
export function journeyIn(compiled: CompiledJourney, language: string): CompiledJourneyLanguage {
  return compiled.languages?.[language] ?? compiled;
}

/** The words of the pages and journey use cases in a language, from what the compiled journey carries. */
export function journeyWords(compiled: CompiledJourney, language: string): Translator {
  const words = journeyIn(compiled, language).words;
  return words ? wordsFrom(words) : englishWords();
}

const hbs = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function fill(source: string, data: object): string {
  let fn = compiled.get(source);
  if (!fn) {
    try {
      fn = hbs.compile(source, { strict: false });
    } catch (cause) {
      throw new TidingsError('TEMPLATE_INVALID', `journey template: ${(cause as Error).message}`, { cause });
    }
    // A process fills the same few templates; the bound only guards against a caller compiling per email.
    if (compiled.size > 16) compiled.clear();
    compiled.set(source, fn);
  }
  return fn(
    { ...data, ...LITERAL_SLOTS },
    { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false },
  );
}

/**
 * One journey email for one reader: `data` holds the per-email fields of JOURNEY_FIELDS (escaped into the
 * HTML by Handlebars, except the HTML the use case made itself), and the text part gets them as written.
 *
 * @example
 * fillJourney(compiled.welcome, { subject, preheader, list, cadenceLine, slot }).html
 */
export function fillJourney(email: CompiledJourneyEmail, data: object): CompiledJourneyEmail {
  return { html: fill(email.html, data), text: fill(email.text, data) };
}
