// The publish use case on the in-memory adapter set (wiring/memory.ts): fast, and the same behaviour as
// on the emulators, since both sets pass the contract suites in test/contract/.
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';

const clock = { now: () => new Date('2026-12-01T08:00:00.000Z') };
const config = anExampleConfig();
const render = makeRenderFn({ config, templates: () => loadTemplates(), clock });

let tidings: ReturnType<typeof memoryApp>;
beforeEach(async () => {
  tidings = memoryApp({ config, keyRing: aKeyRing(), clock, render, sendRate: 1000 });
  await tidings.adapters.subscribers.putMany([
    aSubscriber({ id: 's_ada', email: 'ada@example.org' }),
    aSubscriber({ id: 's_bo', email: 'bo@example.org' }),
    aSubscriber({ id: 's_cy', email: 'cy@example.org' }),
  ]);
  await tidings.adapters.suppressions.putMany([
    { email: 'cy@example.org', reason: 'complaint', at: '2026-11-30T08:00:00.000Z' },
  ]);
});

const sentTo = () =>
  tidings.adapters.transport
    .sent()
    .map((m) => m.to)
    .sort();

describe('publish on the memory adapter set', () => {
  it('sends the post once to each subscribed reader, never to a suppressed one, with one-click unsubscribe', async () => {
    // Act
    const first = await tidings.app.publish(aPost({ id: 'ep-mem', slug: 'ep-mem', lists: ['podcast'] }));
    await tidings.drain();
    const again = await tidings.app.publish(aPost({ id: 'ep-mem', slug: 'ep-mem', lists: ['podcast'] }));
    await tidings.drain();

    // Assess
    expect(first.lists).toMatchObject([{ listId: 'podcast', action: 'planned' }]);
    expect(again.lists).toMatchObject([{ listId: 'podcast', action: 'already-sent' }]);
    expect(sentTo()).toEqual(['ada@example.org', 'bo@example.org']);
    for (const message of tidings.adapters.transport.sent()) {
      const head = Buffer.from(message.raw).toString('latin1').split('\r\n\r\n')[0] ?? '';
      expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      expect(head).toMatch(/^List-Unsubscribe: <https:\/\/[^>]+\/unsubscribe\?token=[^>]+>, <mailto:/m);
      expect(head).toMatch(new RegExp(`^To: ${message.to}$`, 'm'));
      const mail = await simpleParser(Buffer.from(message.raw));
      expect(mail.subject).toBe(aPost().title);
    }
  });

  it('dry-runs an edited post as publishing would decide it: nothing without --resend, and nothing is sent', async () => {
    // Prepare: the first version went out
    await tidings.app.publish(aPost({ id: 'ep-edit', slug: 'ep-edit', lists: ['podcast'] }));
    await tidings.drain();
    const edited = aPost({ id: 'ep-edit', slug: 'ep-edit', lists: ['podcast'], contentHash: 'edited-hash' });

    // Act
    const dry = await tidings.app.dryRunPublish(edited);
    const dryResend = await tidings.app.dryRunPublish(edited, { resend: true });
    const real = await tidings.app.publish(edited);

    // Assess: the dry run agrees with publishing, and wrote nothing: the real publish still saw version 1
    expect(dry).toMatchObject({ dryRun: true, post: 'edited', version: 2 });
    expect(dry.lists).toMatchObject([{ listId: 'podcast', action: 'edited', recipients: 2, suppressed: 1 }]);
    expect(dryResend.lists).toMatchObject([
      { listId: 'podcast', action: 'would-send', sample: ['ada@example.org', 'bo@example.org'] },
    ]);
    expect(real).toMatchObject({ post: 'edited', version: 2, lists: [{ action: 'edited' }] });
    expect(sentTo()).toEqual(['ada@example.org', 'bo@example.org']);
  });
});
