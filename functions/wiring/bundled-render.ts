import { loadTemplates } from '../adapters/fs/templates.ts';
import { HttpImageDimensions } from '../adapters/web/image-dimensions.ts';
import type { Config } from '../core/config/schema.ts';
import { systemClock } from '../ports/clock.ts';
import { makeRenderFn } from '../use-cases/edition-message/compile.ts';
import type { RenderFn } from '../use-cases/plan-edition.ts';

/**
 * The renderer of the functions that plan (plan, digest; publish and poll-feeds when no plan function is
 * deployed), reading the copy of `templates/` the stack bundles with them. Apart from lambda.ts, so
 * that only these bundles carry mjml.
 */
export function bundledRender(config: Config): RenderFn {
  return makeRenderFn({
    config,
    templates: () => loadTemplates(process.env.TIDINGS_TEMPLATES_DIR),
    clock: systemClock,
    imageDimensions: new HttpImageDimensions(),
  });
}
