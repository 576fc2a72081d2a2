import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../core/config/schema.ts';
import { TidingsError } from '../../core/errors.ts';
import type { CompiledJourney } from '../../core/render/journey-fill.ts';
import { compileJourney } from '../../core/render/journey-template.ts';
import type { JourneyTemplates } from '../../core/render/templates.ts';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from './templates.ts';

/**
 * The MJML sources of the confirmation and welcome templates (`confirm.mjml`, `welcome.mjml`) with the
 * shared partials and theme, from the same folder as the edition templates.
 */
export async function loadJourneySources(dir: string = DEFAULT_TEMPLATES_DIR): Promise<JourneyTemplates> {
  const base = await loadTemplates(dir);
  try {
    const [confirm, welcome] = await Promise.all([
      readFile(join(dir, 'confirm.mjml'), 'utf8'),
      readFile(join(dir, 'welcome.mjml'), 'utf8'),
    ]);
    return { confirm, welcome, partials: base.partials, theme: base.theme };
  } catch (cause) {
    throw new TidingsError(
      'TEMPLATES_UNREADABLE',
      `${dir}: cannot read confirm.mjml or welcome.mjml (${(cause as Error).message}); copy them from the tidings templates folder`,
      { cause },
    );
  }
}

/**
 * The journey emails compiled for this config, in this process (`tidings dev`, tests). The http function
 * reads the same compilation made at build time instead (compiled-journey.ts), without mjml.
 */
export async function loadJourneyTemplates(
  config: Config,
  dir: string = DEFAULT_TEMPLATES_DIR,
): Promise<CompiledJourney> {
  return compileJourney(await loadJourneySources(dir), config);
}
