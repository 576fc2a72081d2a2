import type { Config } from '../core/config/schema.ts';
import { NotFoundError } from '../core/errors.ts';
import type { Envelope } from '../core/mime/build-message.ts';
import { type CompiledMessage, compileMessage } from '../core/mime/compile-message.ts';
import type { RenderedEdition } from '../core/render/render-edition.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import { preparedFromCompiled } from './prepare-edition.ts';
import type { PreparedEdition } from './send-batch.ts';

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
 * Compiles a rendered edition for sending: the MIME skeleton once, then each recipient costs two
 * signed links and a splice of a few slot values (no MJML, no whole-body re-encoding). For the CLI's
 * test sends; the send function uses the message compiled at plan time (cachedPrepare).
 */
export function composeEdition(
  deps: { readonly config: Config; readonly keyRing: KeyRing },
  rendered: RenderedEdition,
  edition: { readonly id: string; readonly listId: string; readonly cadences: readonly string[] },
): PreparedEdition {
  return preparedFromCompiled(deps, compileEdition(deps.config, rendered, edition), edition);
}
