import { describe, expect, it } from 'vitest';
import { DynamoEditionStore } from '../../../functions/adapters/aws/dynamo-edition-store.ts';
import type { Edition, StoredRendering } from '../../../functions/ports/edition-store.ts';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();
const store = () => new DynamoEditionStore({ doc: env().clients.doc, tableName: env().tableName });

function anEdition(id: string, overrides: Partial<Edition> = {}): Edition {
  return {
    id,
    listId: 'podcast',
    kind: 'publish',
    cadences: ['instant'],
    posts: [{ id: 'ep-42', contentHash: 'abc', version: 1 }],
    status: 'planning',
    createdAt: '2026-04-01T08:00:00.000Z',
    ...overrides,
  };
}

// The behaviour every EditionStore shares is in test/contract/edition-store.contract.ts; this is what only
// the DynamoDB layout needs proving: rendered content gzipped and split over several items.
describe('DynamoEditionStore', () => {
  it('keeps rendered content far larger than an item can hold, and gives it back intact', async () => {
    // Prepare: ~1.2 MB of JSON that compresses badly (random-ish), so it spans several chunks
    await store().createIfAbsent(anEdition('ed-big'));
    let seed = 7;
    const noise = Array.from({ length: 60_000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed.toString(36);
    }).join(' ');
    const rendered: StoredRendering = {
      editionId: 'ed-big',
      subject: 'Épisode 42 — “quotes”',
      preheader: 'Épisode 42',
      html: `<p>${noise}</p>`,
      text: noise,
      warnings: [],
      bytes: { html: noise.length + 7, text: noise.length },
      compiled: {
        version: 1,
        editionId: 'ed-big',
        head: [{ bytes: 'Subject: =?UTF-8?Q?=C3=89pisode_42?=\r\n' }, { slot: 'to' }],
        text: [{ bytes: noise }, { slot: 'unsubscribeUrl' }],
        middle: '\r\n--b\r\n',
        html: [{ bytes: `<p>${noise}</p>` }],
        tail: '\r\n--b--\r\n',
      },
    };
    // Act
    await store().saveRendered('ed-big', rendered);
    const back = await store().getRendered('ed-big');
    // Assess
    expect(back).toEqual(rendered);
    expect(await store().getRendered('ed-once')).toBeUndefined();
  });
});
