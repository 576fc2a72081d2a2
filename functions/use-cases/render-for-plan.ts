import type { Config } from '../core/config/schema.ts';
import { toStoredMessage } from '../core/mime/stored-message.ts';
import { renderEdition } from '../core/render/render-edition.ts';
import type { TemplateSources } from '../core/render/templates.ts';
import type { Clock } from '../ports/clock.ts';
import { compileEdition } from './compose-edition.ts';
import type { RenderFn } from './plan-edition.ts';

/**
 * The renderer the planning processes (publish, digest, plan, the CLI) pass to `wire()`: renders the
 * edition (MJML) and compiles its message once (MailComposer), stored together by the planner. Kept out
 * of wiring.ts so that the send bundle pulls in neither MJML nor MailComposer.
 */
export function makeRenderFn(deps: {
  readonly config: Config;
  readonly templates: () => Promise<TemplateSources>;
  readonly clock: Clock;
}): RenderFn {
  let templates: Promise<TemplateSources> | undefined;
  return async ({ editionId, kind, posts, list }) => {
    templates ??= deps.templates();
    const rendered = await renderEdition({
      kind,
      posts,
      list,
      config: deps.config,
      templates: await templates,
      editionId,
      now: deps.clock.now(),
    });
    const compiled = compileEdition(deps.config, rendered, { id: editionId, listId: list.id });
    return { ...rendered, compiled: toStoredMessage(compiled) };
  };
}
