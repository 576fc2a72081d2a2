import type { Config } from '../core/config/schema.ts';
import { editionId } from '../core/editions/edition-id.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { Post } from '../core/posts/post.ts';
import { checkEmail } from '../core/subscribers/email.ts';
import type { KeyRing } from '../core/tokens/tokens.ts';
import type { Clock } from '../ports/clock.ts';
import type { MailTransport } from '../ports/mail-transport.ts';
import { composeEdition } from './edition-message/compile.ts';
import type { RenderFn } from './plan-edition.ts';

export interface TestSendDeps {
  readonly config: Config;
  readonly keyRing: KeyRing;
  readonly clock: Clock;
  readonly transport: Pick<MailTransport, 'sendRaw'>;
  readonly render: RenderFn;
}

export interface TestSendResult {
  readonly to: string;
  readonly messageId: string;
  readonly editionId: string;
}

/**
 * One test message to one address: the real rendering and MIME of the post's edition for a list, with
 * "[TEST]" before the subject. It touches no subscriber and no ledger, and is tagged `test=true`.
 */
export async function testSend(
  deps: TestSendDeps,
  post: Post,
  options: { readonly to: string; readonly list?: string },
): Promise<TestSendResult> {
  const to = checkEmail(options.to);
  if (!to.ok) throw new InvalidInputError('ADDRESS_INVALID', `--to ${options.to}: ${to.message}`);
  const listId = options.list ?? post.lists?.[0] ?? deps.config.lists[0]?.id ?? '';
  const list = deps.config.lists.find((l) => l.id === listId);
  if (!list) throw new InvalidInputError('LIST_UNKNOWN', `--list ${listId}: no such list in the config`);
  const id = `test-${editionId({ listId, kind: 'publish', cadence: 'instant', posts: [post] })}`;
  const rendered = await deps.render({ editionId: id, kind: 'post', posts: [post], list });
  const prepared = composeEdition(
    { config: deps.config, keyRing: deps.keyRing },
    { ...rendered, subject: `[TEST] ${rendered.subject}` },
    { id, listId, cadences: ['instant'] },
  );
  const now = deps.clock.now();
  const raw = prepared.build({
    subscriberId: 'test',
    email: to.email,
    deliveryId: `${id}.test-${now.getTime()}`,
    now,
  });
  const { messageId } = await deps.transport.sendRaw(raw, {
    from: prepared.from,
    to: to.email,
    configurationSet: deps.config.sending.configurationSet,
    tags: { test: 'true', list: listId },
  });
  return { to: to.email, messageId, editionId: id };
}
