import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  feedbackActions,
  healthWindowDays,
  listHealth,
  sesEventsFrom,
  transientBounceVerdict,
} from '../../../../functions/core/feedback/index.ts';

const TAGS = { list: 'list', edition: 'edition', subscriber: 'subscriber' } as const;
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/ses-events/${name}.json`, import.meta.url), 'utf8'));
const ENVELOPES = ['sns', 'eventbridge'] as const;

describe('sesEventsFrom + feedbackActions', () => {
  for (const envelope of ENVELOPES) {
    describe(`${envelope} envelope`, () => {
      it('suppresses the recipient of a permanent bounce and notes it on the ledger', () => {
        // Prepare
        const events = sesEventsFrom(fixture(`${envelope}-bounce-permanent`));
        // Act
        const actions = events.flatMap((e) => feedbackActions(e, TAGS));
        // Assess
        expect(actions).toEqual([
          {
            kind: 'ledger',
            editionId: 'podcast-instant-3f1c2a9b7d10',
            subscriberId: 's_01hqbounce0000000000000000',
            type: 'Bounce',
            messageId: '0102017b7a1fc4f1-aaaa-bounce-permanent-000000',
            at: '2026-11-28T10:00:02.669Z',
          },
          {
            kind: 'suppress',
            email: 'gone@example.org',
            reason: 'hard-bounce',
            detail: 'Permanent/General',
            at: '2026-11-28T10:00:02.669Z',
          },
          { kind: 'count', listId: 'podcast', metric: 'bounced' },
        ]);
      });

      it('only counts a transient bounce, by its feedback id', () => {
        const actions = sesEventsFrom(fixture(`${envelope}-bounce-transient`)).flatMap((e) =>
          feedbackActions(e, TAGS),
        );
        expect(actions.filter((a) => a.kind === 'suppress')).toEqual([]);
        expect(actions).toContainEqual({
          kind: 'count-transient-bounce',
          email: 'full@example.org',
          feedbackId: '0102017b7a1fc9a3-transient-1-000000',
          at: '2026-11-28T10:00:02.669Z',
        });
      });

      it('suppresses a complainer and takes them off every list', () => {
        const actions = sesEventsFrom(fixture(`${envelope}-complaint`)).flatMap((e) =>
          feedbackActions(e, TAGS),
        );
        expect(actions).toContainEqual({
          kind: 'suppress',
          email: 'angry@example.org',
          reason: 'complaint',
          detail: 'abuse',
          at: '2026-11-28T10:05:00.000Z',
        });
        expect(actions).toContainEqual({
          kind: 'unsubscribe-all',
          email: 'angry@example.org',
          at: '2026-11-28T10:05:00.000Z',
        });
        expect(actions).toContainEqual({ kind: 'count', listId: 'podcast', metric: 'complained' });
      });

      it('records Delivery and Send on the ledger, and suppresses nobody', () => {
        for (const [name, type] of [
          ['delivery', 'Delivery'],
          ['send', 'Send'],
        ] as const) {
          const actions = sesEventsFrom(fixture(`${envelope}-${name}`)).flatMap((e) =>
            feedbackActions(e, TAGS),
          );
          expect(actions.map((a) => a.kind).sort()).toEqual(['count', 'ledger']);
          expect(actions).toContainEqual(
            expect.objectContaining({ kind: 'ledger', type, subscriberId: 's_01hqreader000000000000000' }),
          );
        }
      });
    });
  }

  it('reads the same event identically from both envelopes', () => {
    for (const name of ['bounce-permanent', 'bounce-transient', 'complaint', 'delivery', 'send']) {
      expect(sesEventsFrom(fixture(`sns-${name}`))).toEqual(sesEventsFrom(fixture(`eventbridge-${name}`)));
    }
  });

  it('refuses an event that is neither SNS nor EventBridge with a clear error', () => {
    expect(() => sesEventsFrom({ hello: 'world' })).toThrow(/neither an SNS batch/);
    expect(() => sesEventsFrom({ Records: [{ Sns: { Message: '{not json' } }] })).toThrow(/not JSON/);
  });

  it('ignores the ledger for a message without delivery tags (a confirmation email)', () => {
    const event = sesEventsFrom(fixture('sns-bounce-permanent'))[0];
    if (!event) throw new Error('fixture has no event');
    const untagged = { ...event, mail: { ...event.mail, tags: { kind: ['confirm'] } } };
    expect(feedbackActions(untagged, TAGS).map((a) => a.kind)).toEqual(['suppress']);
  });
});

describe('transientBounceVerdict', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  it('suppresses at the third transient bounce within 30 days', () => {
    const times = ['2026-11-01T00:00:00Z', '2026-11-20T00:00:00Z', '2026-11-28T10:00:00Z'];
    expect(transientBounceVerdict(times.slice(0, 2), now)).toEqual({ suppress: false, recent: 2 });
    expect(transientBounceVerdict(times, now)).toEqual({ suppress: true, recent: 3 });
  });
  it('forgets bounces older than 30 days', () => {
    const times = ['2026-10-01T00:00:00Z', '2026-11-20T00:00:00Z', '2026-11-28T10:00:00Z'];
    expect(transientBounceVerdict(times, now)).toEqual({ suppress: false, recent: 2 });
  });
});

describe('listHealth', () => {
  it('pauses at a 2 % bounce rate and a 0.08 % complaint rate, not below', () => {
    expect(listHealth({ sent: 1000, bounced: 19, complained: 0 }).pause).toBeUndefined();
    expect(listHealth({ sent: 1000, bounced: 20, complained: 0 }).pause).toBe('bounce-rate');
    expect(listHealth({ sent: 10_000, bounced: 0, complained: 7 }).pause).toBeUndefined();
    expect(listHealth({ sent: 10_000, bounced: 0, complained: 8 }).pause).toBe('complaint-rate');
  });
  it('does not judge a list on a handful of sends', () => {
    expect(listHealth({ sent: 20, bounced: 5, complained: 1 }).pause).toBeUndefined();
  });
  it('covers the last 7 UTC days', () => {
    expect(healthWindowDays(new Date('2026-11-28T01:00:00Z'))).toEqual([
      '2026-11-28',
      '2026-11-27',
      '2026-11-26',
      '2026-11-25',
      '2026-11-24',
      '2026-11-23',
      '2026-11-22',
    ]);
  });
});
