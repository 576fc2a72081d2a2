import type { Config } from '../core/config/schema.ts';
import { NotFoundError } from '../core/errors.ts';
import { buildMessage, compileMessage } from '../core/mime/compile-message.ts';
import type { RenderedEdition } from '../core/render/render-edition.ts';
import { recipientLinks } from '../core/tokens/links.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import type { EditionStore } from '../ports/edition-store.ts';
import type { PreparedEdition, PrepareEdition } from './send-batch.ts';

/**
 * Compiles a rendered edition for sending: the MIME skeleton once, then each recipient costs two
 * signed links and a splice of a few slot values (no MJML, no whole-body re-encoding).
 */
export function composeEdition(
  deps: { readonly config: Config; readonly keyRing: KeyRing },
  rendered: RenderedEdition,
  edition: { readonly id: string; readonly listId: string; readonly cadences: readonly string[] },
): PreparedEdition {
  const { config } = deps;
  const list = config.lists.find((l) => l.id === edition.listId);
  if (!list)
    throw new NotFoundError(
      'LIST_UNKNOWN',
      `edition ${edition.id}: list "${edition.listId}" is not in the config`,
    );
  const compiled = compileMessage(rendered, {
    from: list.from,
    ...(list.replyTo ? { replyTo: list.replyTo } : {}),
    listId: list.id,
    listName: list.name,
    domain: config.sending.domain,
    ...(config.sending.unsubscribeMailto ? { unsubscribeMailto: config.sending.unsubscribeMailto } : {}),
  });
  return {
    editionId: edition.id,
    listId: list.id,
    cadences: edition.cadences,
    from: list.from.address,
    build(r) {
      const links = recipientLinks({
        publicUrl: config.publicUrl,
        ring: deps.keyRing,
        subscriberId: r.subscriberId,
        listId: list.id,
        nowSeconds: Math.floor(r.now.getTime() / 1000),
      });
      return buildMessage(
        compiled,
        { email: r.email, subscriberId: r.subscriberId, ...(r.name ? { name: r.name } : {}) },
        links,
        { messageId: `${r.deliveryId}@${config.sending.domain}`, date: r.now },
      );
    },
  };
}

/**
 * Loads an edition's stored rendering and compiles it, once per edition per process (a warm send
 * Lambda serves many batches of the same edition). A small bounded cache: a few editions at a time.
 */
export function cachedPrepare(deps: {
  readonly config: Config;
  readonly keyRing: KeyRing;
  readonly editions: EditionStore;
  readonly maxEditions?: number;
}): PrepareEdition {
  const cache = new Map<string, Promise<PreparedEdition>>();
  const max = deps.maxEditions ?? 8;
  return (editionId) => {
    const hit = cache.get(editionId);
    if (hit) return hit;
    const loading = (async () => {
      const record = await deps.editions.get(editionId);
      if (!record) throw new NotFoundError('EDITION_NOT_FOUND', `edition ${editionId}: not found`);
      const rendered = await deps.editions.getRendered<RenderedEdition>(editionId);
      if (!rendered)
        throw new NotFoundError(
          'EDITION_NOT_RENDERED',
          `edition ${editionId}: no stored rendering; run its plan step first`,
        );
      return composeEdition(deps, rendered, record.edition);
    })();
    loading.catch(() => cache.delete(editionId));
    cache.set(editionId, loading);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return loading;
  };
}
