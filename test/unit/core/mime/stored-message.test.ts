import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../../functions/adapters/fs/templates.ts';
import { buildMessage, compileMessage } from '../../../../functions/core/mime/compile-message.ts';
import { fromStoredMessage, toStoredMessage } from '../../../../functions/core/mime/stored-message.ts';
import { renderEdition } from '../../../../functions/core/render/render-edition.ts';
import { recipientLinks } from '../../../../functions/core/tokens/links.ts';
import { aKeyRing, anExampleConfig, aPost } from '../../../helpers/factories.ts';

const config = anExampleConfig();
const list = config.lists[0] ?? (undefined as never);
const envelope = { from: list.from, listId: list.id, listName: list.name, domain: config.sending.domain };
const reader = { email: 'zoe@example.org', name: 'Zoë Ünal', subscriberId: 's_2' };
const links = recipientLinks({
  publicUrl: config.publicUrl,
  ring: aKeyRing(),
  subscriberId: 's_2',
  listId: list.id,
  nowSeconds: 1_800_000_000,
});
const meta = { messageId: 'ed.s_2@signal-noise.example.com', date: new Date('2026-11-29T09:00:00Z') };

async function compiled() {
  const edition = await renderEdition({
    kind: 'post',
    posts: [aPost({ title: 'Épisode 42 🎙️', bodyHtml: '<p>naïve café — ✓</p>' })],
    list,
    config,
    templates: await loadTemplates(),
    editionId: 'ed',
    now: new Date('2026-11-29T08:00:00Z'),
  });
  return compileMessage(edition, envelope);
}

describe('stored compiled message', () => {
  it('builds the same message after a round trip through JSON', async () => {
    // Prepare
    const original = await compiled();
    // Act
    const restored = fromStoredMessage(JSON.parse(JSON.stringify(toStoredMessage(original))));
    // Assess
    expect(buildMessage(restored, reader, links, meta)).toBe(buildMessage(original, reader, links, meta));
  });

  it('refuses a stored message with text that is not 7-bit, naming the edition', async () => {
    const stored = toStoredMessage(await compiled());
    const tampered = { ...stored, html: [{ bytes: 'café' }, ...stored.html] };
    expect(() => fromStoredMessage(tampered)).toThrow(/edition ed: .*not 7-bit; plan it again/);
  });

  it('refuses a stored message with a slot this version does not know', async () => {
    const stored = toStoredMessage(await compiled());
    const tampered = { ...stored, text: [...stored.text, { slot: 'password' }] };
    expect(() => fromStoredMessage(tampered)).toThrow(/unknown slot "password"/);
  });
});
