import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TidingsError } from '../../core/errors.ts';
import { REQUIRED_PARTIALS, type TemplateSources, type Theme } from '../../core/render/templates.ts';

/** The templates folder that ships with tidings. */
export const DEFAULT_TEMPLATES_DIR = resolve(fileURLToPath(new URL('../../../templates/', import.meta.url)));

const cache = new Map<string, Promise<TemplateSources>>();

/**
 * Reads the MJML templates, partials (`partials/*.mjml|*.hbs`) and theme defaults from a folder. Cached per
 * folder: the same object is returned each time, so compiled templates are reused.
 */
export function loadTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Promise<TemplateSources> {
  const key = resolve(dir);
  let pending = cache.get(key);
  if (!pending) {
    pending = readTemplates(key);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

async function readTemplates(dir: string): Promise<TemplateSources> {
  try {
    const partialsDir = join(dir, 'partials');
    const partials: Record<string, string> = {};
    for (const file of await readdir(partialsDir)) {
      const ext = extname(file);
      if (ext === '.mjml' || ext === '.hbs')
        partials[basename(file, ext)] = await readFile(join(partialsDir, file), 'utf8');
    }
    const missing = REQUIRED_PARTIALS.filter((p) => !(p in partials));
    if (missing.length > 0) {
      throw new TidingsError(
        'TEMPLATES_INCOMPLETE',
        `${partialsDir}: missing partials ${missing.join(', ')}; copy them from the tidings templates folder`,
      );
    }
    const theme = JSON.parse(await readFile(join(dir, 'theme.json'), 'utf8')) as Theme;
    const subjectsPath = join(dir, 'subjects.json');
    const subjects = existsSync(subjectsPath)
      ? (JSON.parse(await readFile(subjectsPath, 'utf8')) as NonNullable<TemplateSources['subjects']>)
      : undefined;
    return {
      post: await readFile(join(dir, 'post.mjml'), 'utf8'),
      digest: await readFile(join(dir, 'digest.mjml'), 'utf8'),
      partials,
      theme,
      ...(subjects ? { subjects } : {}),
    };
  } catch (cause) {
    if (cause instanceof TidingsError) throw cause;
    throw new TidingsError(
      'TEMPLATES_UNREADABLE',
      `${dir}: cannot read templates: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}
