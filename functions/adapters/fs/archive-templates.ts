import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveTemplates } from '../../core/archive/pages.ts';
import { TidingsError } from '../../core/errors.ts';
import { DEFAULT_TEMPLATES_DIR } from './templates.ts';

const FILES = {
  layout: 'layout.hbs',
  post: 'post.hbs',
  index: 'index.hbs',
  digest: 'digest.hbs',
  subscribe: 'subscribe.hbs',
  css: 'archive.css',
} as const;

/** The web archive's templates, from `<templates>/archive/`. */
export async function loadArchiveTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Promise<ArchiveTemplates> {
  const folder = join(dir, 'archive');
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([key, name]) => {
      try {
        return [key, await readFile(join(folder, name), 'utf8')] as const;
      } catch (cause) {
        throw new TidingsError(
          'TEMPLATES_UNREADABLE',
          `${join(folder, name)}: cannot read the archive template (${(cause as Error).message}); copy it from the tidings templates folder`,
          { cause },
        );
      }
    }),
  );
  return Object.fromEntries(entries) as unknown as ArchiveTemplates;
}
