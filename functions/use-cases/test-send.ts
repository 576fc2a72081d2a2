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
  readonly editionId: string;
  /** One message per address, in the order given. */
  readonly sent: readonly { readonly to: string; readonly messageId: string }[];
}

/**
 * Test messages to a few addresses: the real rendering and MIME of the post's edition for a list, with
 * "[TEST]" before the subject. It touches no subscriber and no ledger, and is tagged `test=true`. Every
 * address is checked before anything is sent, so a typo in the second one sends nothing.
 */
export async function testSend(
  deps: TestSendDeps,
  post: Post,
  options: { readonly to: readonly string[]; readonly list?: string },
): Promise<TestSendResult> {
  if (options.to.length === 0)
    throw new InvalidInputError('ADDRESS_INVALID', '--to: give at least one address');
  const addresses = options.to.map((address) => {
    const to = checkEmail(address);
    if (!to.ok) throw new InvalidInputError('ADDRESS_INVALID', `--to ${address}: ${to.message}`);
    return to.email;
  });
  const listId = options.list ?? post.lists?.[0] ?? deps.config.lists[0]?.id ?? '';
  const list = deps.config.lists.find((l) => l.id === listId);
  if (!list) throw new InvalidInputError('LIST_UNKNOWN', `--list ${listId}: no such list in the config`);
  const id = `test-${editionId({ listId, kind: 'publish', cadence: 'instant', posts: [post] })}`;
  const rendered = await deps.render({
    editionId: id,
    kind: 'post',
    posts: [post],
    list,
    publicUrl: deps.config.publicUrl,
  });
  const prepared = composeEdition(
    { config: deps.config, keyRing: deps.keyRing },
    { ...rendered, subject: `[TEST] ${rendered.subject}` },
    { id, listId, cadences: ['instant'] },
  );
  const sent: { to: string; messageId: string }[] = [];
  // One at a time: a test goes to a handful of addresses, and the SES sandbox allows one message a second.
  for (const [i, email] of addresses.entries()) {
    const now = deps.clock.now();
    const raw = prepared.build({
      subscriberId: 'test',
      email,
      deliveryId: `${id}.test-${now.getTime()}-${i}`,
      now,
    });
    const { messageId } = await deps.transport.sendRaw(raw, {
      from: prepared.from,
      to: email,
      configurationSet: deps.config.sending.configurationSet,
      tags: { test: 'true', list: listId },
    });
    sent.push({ to: email, messageId });
  }
  return { editionId: id, sent };
}
