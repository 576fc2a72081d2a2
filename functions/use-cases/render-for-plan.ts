import type { Config } from '../core/config/schema.ts';
import { renderEdition } from '../core/render/render-edition.ts';
import type { TemplateSources } from '../core/render/templates.ts';
import type { Clock } from '../ports/clock.ts';
import type { RenderFn } from './plan-edition.ts';

/**
 * The renderer the planning processes (publish, digest, plan, the CLI) pass to `wire()`. Kept out of
 * wiring.ts so that the send bundle never pulls in MJML.
 */
export function makeRenderFn(deps: {
  readonly config: Config;
  readonly templates: () => Promise<TemplateSources>;
  readonly clock: Clock;
}): RenderFn {
  let templates: Promise<TemplateSources> | undefined;
  return async ({ editionId, kind, posts, list }) => {
    templates ??= deps.templates();
    return renderEdition({
      kind,
      posts,
      list,
      config: deps.config,
      templates: await templates,
      editionId,
      now: deps.clock.now(),
    });
  };
}
