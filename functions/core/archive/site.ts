import { type BrandColours, brandColours } from '../brand.ts';
import type { Config } from '../config/schema.ts';

/** What every archive page needs to know about the site, taken from the config once. */
export interface ArchiveSite {
  readonly name: string;
  /** The author's own site (config `site.url`). */
  readonly siteUrl: string;
  /** Where the archive is served, without a trailing slash: `<publicUrl>/archive`. */
  readonly archiveUrl: string;
  /** Where the subscribe form posts: `<publicUrl>/subscribe`. */
  readonly subscribeUrl: string;
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  readonly logo?: string;
  readonly font: string;
  readonly colours: BrandColours;
  readonly postalAddress: string;
  /** The lists a reader may pick in the subscribe form, first one preselected. */
  readonly lists: readonly { readonly id: string; readonly name: string }[];
}

// The scripts written right to left, by their BCP 47 primary language subtag.
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ks', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** The text direction of a BCP 47 language tag. */
export function directionOf(lang: string): 'ltr' | 'rtl' {
  const [primary = ''] = lang.toLowerCase().split('-');
  return RTL.has(primary) || /-(arab|hebr|thaa|syrc)\b/i.test(lang) ? 'rtl' : 'ltr';
}

/**
 * The archive's view of the config.
 *
 * @example
 * archiveSite(config).archiveUrl // 'https://news.signal-noise.example.com/archive'
 */
export function archiveSite(config: Config): ArchiveSite {
  const base = config.publicUrl.replace(/\/+$/, '');
  const lang = config.site.lang;
  return {
    name: config.site.name,
    siteUrl: config.site.url,
    archiveUrl: `${base}/archive`,
    subscribeUrl: `${base}/subscribe`,
    lang,
    dir: directionOf(lang),
    ...(config.site.logo ? { logo: config.site.logo } : {}),
    font: config.site.font,
    colours: brandColours(config.site.brandColor),
    postalAddress: config.site.postalAddress,
    lists: config.lists.map((l) => ({ id: l.id, name: l.name })),
  };
}
