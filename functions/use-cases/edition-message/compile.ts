// The plan side of an edition's message: renders the edition (MJML) and compiles its MIME (MailComposer)
// once, for the planner to store with the edition. Imported by the processes that plan (the plan, digest,
// publish and poll-feeds functions, the CLI), never by the send function: prepare.ts is its half.
import type { Config } from '../../core/config/schema.ts';
import type { StoredRendering } from '../../core/editions/model.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { Envelope } from '../../core/mime/build-message.ts';
import { type CompiledMessage, compileMessage } from '../../core/mime/compile-message.ts';
import { toStoredMessage } from '../../core/mime/stored-message.ts';
import { imagesToMeasure } from '../../core/render/images.ts';
import { type RenderedEdition, renderEdition } from '../../core/render/render-edition.ts';
import type { TemplateSources } from '../../core/render/templates.ts';
import type { KeyRing } from '../../core/tokens/tokens.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ImageDimensions } from '../../ports/image-dimensions.ts';
import type { RenderFn } from '../plan-edition.ts';
import { preparedFromCompiled } from './prepare.ts';
import type { EditionTarget, PreparedEdition } from './types.ts';

/** The envelope of a list's editions (From, Reply-To, List-Id, the unsubscribe mailto). */
export function envelopeFor(config: Config, listId: string, editionId: string): Envelope {
  const list = config.lists.find((l) => l.id === listId);
  if (!list)
    throw new NotFoundError('LIST_UNKNOWN', `edition ${editionId}: list "${listId}" is not in the config`);
  return {
    from: list.from,
    ...(list.replyTo ? { replyTo: list.replyTo } : {}),
    listId: list.id,
    listName: list.name,
    domain: config.sending.domain,
    ...(config.sending.unsubscribeMailto ? { unsubscribeMailto: config.sending.unsubscribeMailto } : {}),
  };
}

/** Compiles a rendered edition's message once (MailComposer: plan time and the CLI, never the send bundle). */
export function compileEdition(
  config: Config,
  rendered: RenderedEdition,
  edition: { readonly id: string; readonly listId: string },
): CompiledMessage {
  return compileMessage(rendered, envelopeFor(config, edition.listId, edition.id));
}

/**
 * The renderer the planning processes (publish, digest, plan, the CLI) pass to `wire()`: renders the
 * edition (MJML) and compiles its message once (MailComposer); the planner stores both together. Kept
 * out of wiring.ts so that the send bundle pulls in neither MJML nor MailComposer.
 */
export function makeRenderFn(deps: {
  readonly config: Config;
  readonly templates: () => Promise<TemplateSources>;
  readonly clock: Clock;
  /** Measures body images whose source states no size (and YouTube's 16:9 thumbnails). Optional. */
  readonly imageDimensions?: ImageDimensions;
}): RenderFn {
  let templates: Promise<TemplateSources> | undefined;
  return async ({ editionId, kind, posts, list, publicUrl, webUrl }): Promise<StoredRendering> => {
    templates ??= deps.templates();
    const config = publicUrl ? { ...deps.config, publicUrl } : deps.config;
    const imageSizes = deps.imageDimensions
      ? await deps.imageDimensions.measure(imagesToMeasure(posts))
      : undefined;
    const rendered = await renderEdition({
      ...(imageSizes ? { imageSizes } : {}),
      kind,
      posts,
      list,
      config,
      templates: await templates,
      editionId,
      now: deps.clock.now(),
      ...(webUrl ? { webUrl } : {}),
    });
    const compiled = compileEdition(config, rendered, { id: editionId, listId: list.id });
    return { ...rendered, compiled: toStoredMessage(compiled) };
  };
}

/**
 * Compiles a rendered edition for sending: the MIME skeleton once, then each recipient costs two
 * signed links and a splice of a few slot values (no MJML, no whole-body re-encoding). For the CLI's
 * test sends; the send function uses the message compiled at plan time (prepare.ts, cachedPrepare).
 */
export function composeEdition(
  deps: { readonly config: Config; readonly keyRing: KeyRing },
  rendered: RenderedEdition,
  edition: EditionTarget,
): PreparedEdition {
  return preparedFromCompiled(deps, compileEdition(deps.config, rendered, edition), edition);
}
