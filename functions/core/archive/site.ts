import { type BrandColours, brandColours } from '../brand.ts';
import type { Config } from '../config/schema.ts';
import { directionOf } from '../i18n/catalogue.ts';
import { listTranslator, siteTranslator } from '../i18n/for-config.ts';
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
  /**
   * The BCP 47 tag the pages are written in: the site's (the first list's language, core/i18n/for-config.ts)
   * for the index and the feed; a list's own in {@link ArchiveSite.byList}.
   */
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  /** The words of the pages, in `lang`, with the author's overrides; English when absent. */
  readonly i18n?: Translator;
  readonly logo?: string;
  readonly font: string;
  readonly colours: BrandColours;
  readonly postalAddress: string;
  /**
   * The lists a reader may pick in the subscribe form, first one preselected; `localTime` for a list sent at
   * each reader's local time (`deliverAt`): its form offers the time-zone box.
   */
  readonly lists: readonly { readonly id: string; readonly name: string; readonly localTime?: true }[];
  /**
   * The same site in each list's language, by list id: a post's page speaks its first list's language, a
   * digest's page its list's (see {@link siteForLists}). Absent: every page in `lang`.
   */
  readonly byList?: Readonly<Record<string, ArchiveSite>>;
}

/**
 * The archive's view of the config.
 *
 * @example
 * archiveSite(config).archiveUrl // 'https://news.signal-noise.example.com/archive'
 */
export function archiveSite(config: Config): ArchiveSite {
  const site = siteIn(config, siteTranslator(config));
  // One translator per language, shared by the lists that speak it.
  const byLanguage = new Map<string, ArchiveSite>([[site.lang, site]]);
  const byList: Record<string, ArchiveSite> = {};
  for (const list of config.lists) {
    const i18n = listTranslator(config, list);
    let own = byLanguage.get(i18n.language);
    if (!own) {
      own = siteIn(config, i18n);
      byLanguage.set(i18n.language, own);
    }
    byList[list.id] = own;
  }
  return { ...site, byList };
}

/**
 * The site as the page of something sent to `lists` shows it: in the first named list's language (a post
 * with no lists goes to every list, so it is the site's: the first list's).
 *
 * @example
 * siteForLists(archiveSite(config), ['noticias']).lang // 'es'
 */
export function siteForLists(site: ArchiveSite, lists: readonly string[] | undefined): ArchiveSite {
  const first = lists?.find((id) => site.byList?.[id]);
  return (first && site.byList?.[first]) || site;
}

function siteIn(config: Config, i18n: Translator): ArchiveSite {
  const base = config.publicUrl.replace(/\/+$/, '');
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
    lists: config.lists.map((l) => ({
      id: l.id,
      name: l.name,
      ...(l.deliverAt ? { localTime: true as const } : {}),
    })),
  };
}

/** The translator of an archive site: its own, else one for its `lang` (a site view built by hand). */
export function siteWords(site: ArchiveSite): Translator {
  return site.i18n ?? translator(site.lang);
}
