import type { Config, ListConfig } from '../config/schema.ts';

/** The language a list is written in: its `language`, else the site's (`site.lang`, default `en`). */
export function listLanguage(config: Config, list: Pick<ListConfig, 'language'> | undefined): string {
  return list?.language ?? config.site.lang;
}

/**
 * The language of what belongs to the site rather than to one list (the subscriber pages, the web archive):
 * the first list's, since the first list is the one the archive's form and a bare /subscribe lead with.
 */
export function siteLanguage(config: Config): string {
  return listLanguage(config, config.lists[0]);
}
