import { readFile } from 'node:fs/promises';
import { TidingsError } from '../../core/errors.ts';
import type { CompiledJourney, CompiledJourneyEmail } from '../../core/render/journey-fill.ts';

/**
 * The journey emails as compiled at build time (infra/compile-journey.ts writes `journey.json` into the
 * http function's bundle): read and checked, no mjml involved.
 */
export async function loadCompiledJourney(path: string | undefined): Promise<CompiledJourney> {
  let parsed: unknown;
  try {
    if (!path) throw new Error('no path: TIDINGS_JOURNEY_PATH is not set');
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new TidingsError(
      'TEMPLATES_UNREADABLE',
      `${path ?? 'journey.json'}: cannot read the compiled journey emails (${(cause as Error).message}); redeploy with npx cdk deploy`,
      { cause },
    );
  }
  const journey = parsed as Partial<Record<keyof CompiledJourney, Partial<CompiledJourneyEmail>>>;
  for (const kind of ['confirm', 'welcome'] as const) {
    const email = journey?.[kind];
    if (typeof email?.html !== 'string' || typeof email.text !== 'string') {
      throw new TidingsError(
        'TEMPLATES_UNREADABLE',
        `${path}: the compiled journey emails have no ${kind} html and text; redeploy with npx cdk deploy`,
      );
    }
  }
  return parsed as CompiledJourney;
}
