import { type BrandColours, brandColours } from '../brand.ts';
import type { Config } from '../config/schema.ts';
import { directionOf } from '../i18n/catalogue.ts';
import { siteTranslator } from '../i18n/for-config.ts';
import { type Translator, translator } from '../i18n/translator.ts';

export { directionOf } from '../i18n/catalogue.ts';

/** What every archive page needs to know about the site, taken from the config once. */
export interface ArchiveSite {
  readonly name: string;
  /** The author's own site (config `site.url`). */
  readonly siteUrl: string;
  /** Where the archive is served, without a trailing slash: `<publicUrl>/archive`. */
  readonly archiveUrl: string;
  /** Where the subscribe form posts: `<publicUrl>/subscribe`. */
  readonly subscribeUrl: string;
  /** The BCP 47 tag the pages are written in: the first list's language (core/i18n/for-config.ts). */
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  /** The words of the pages, in `lang`, with the author's overrides; English when absent. */
  readonly i18n?: Translator;
  readonly logo?: string;
  readonly font: string;
  readonly colours: BrandColours;
  readonly postalAddress: string;
  /** The lists a reader may pick in the subscribe form, first one preselected. */
  readonly lists: readonly { readonly id: string; readonly name: string }[];
}

/**
 * The archive's view of the config.
 *
 * @example
 * archiveSite(config).archiveUrl // 'https://news.signal-noise.example.com/archive'
 */
export function archiveSite(config: Config): ArchiveSite {
  const base = config.publicUrl.replace(/\/+$/, '');
  const i18n = siteTranslator(config);
  const lang = i18n.language;
  return {
    name: config.site.name,
    siteUrl: config.site.url,
    archiveUrl: `${base}/archive`,
    subscribeUrl: `${base}/subscribe`,
    lang,
    dir: directionOf(lang),
    i18n,
    ...(config.site.logo ? { logo: config.site.logo } : {}),
    font: config.site.font,
    colours: brandColours(config.site.brandColor),
    postalAddress: config.site.postalAddress,
    lists: config.lists.map((l) => ({ id: l.id, name: l.name })),
  };
}

/** The translator of an archive site: its own, else one for its `lang` (a site view built by hand). */
export function siteWords(site: ArchiveSite): Translator {
  return site.i18n ?? translator(site.lang);
}
