import type { Config, ListConfig } from '../config/schema.ts';
import { listLanguage, siteLanguage } from './language-of.ts';
import { type Translator, translator } from './translator.ts';

export { listLanguage, siteLanguage } from './language-of.ts';

/** The translator of a list's emails, with the author's overrides (config `strings`). */
export function listTranslator(config: Config, list: Pick<ListConfig, 'language'> | undefined): Translator {
  return translator(listLanguage(config, list), config.strings ?? {});
}

/** The translator of the site's pages and archive, by {@link siteLanguage}. */
export function siteTranslator(config: Config): Translator {
  return translator(siteLanguage(config), config.strings ?? {});
}
