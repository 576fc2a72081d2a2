import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TidingsError } from '../../core/errors.ts';
import type { JourneyTemplates } from '../../core/render/templates.ts';
import { DEFAULT_TEMPLATES_DIR, loadTemplates } from './templates.ts';

/**
 * The confirmation and welcome templates (`confirm.mjml`, `welcome.mjml`) with the shared partials and
 * theme, from the same folder as the edition templates.
 */
export async function loadJourneyTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Promise<JourneyTemplates> {
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
