import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sesEventsFrom } from '../../../functions/core/feedback/index.ts';
import { makeFeedbackHandler } from '../../../functions/handlers/feedback.ts';
import { quietObservability } from '../../../functions/handlers/observability.ts';
import type { Adapters } from '../../../functions/wiring/adapters.ts';
import type { App } from '../../../functions/wiring/app.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { aSubscriber } from '../../helpers/factories.ts';
import { aClock, feedbackApp, journeyDeps } from './journey-env.ts';

const env = useEmulators();
let deps: Awaited<ReturnType<typeof journeyDeps>>;
let fb: { app: Pick<App, 'recordFeedback'>; adapters: Adapters };

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/ses-events/${name}.json`, import.meta.url), 'utf8'));

/** The fixture's SES event with another recipient (and feedback id), in the same envelope. */
function withRecipient(name: string, email: string, feedbackId?: string, timestamp?: string): unknown {
  const event = fixture(name) as {
    Records?: { Sns: { Message: string } }[];
    detail?: Record<string, unknown>;
  };
  const swap = (ses: Record<string, unknown>) => {
    const text = JSON.stringify(ses)
      .replaceAll(/"(gone|full|angry|reader)@example\.org"/g, JSON.stringify(email))
      .replaceAll('0102017b7a1fc9a3-transient-1-000000', feedbackId ?? '0102017b7a1fc9a3-transient-1-000000');
    const out = JSON.parse(text) as { bounce?: { timestamp: string } };
    if (timestamp && out.bounce) out.bounce.timestamp = timestamp;
    return out;
  };
  if (event.Records) {
    return {
      Records: event.Records.map((r) => ({
        ...r,
        Sns: { ...r.Sns, Message: JSON.stringify(swap(JSON.parse(r.Sns.Message))) },
      })),
    };
  }
  return { ...event, detail: swap(event.detail ?? {}) };
}

beforeAll(async () => {
  deps = await journeyDeps(env(), aClock('2026-11-28T12:00:00.000Z'));
  fb = { app: feedbackApp(deps), adapters: deps.adapters };
});

describe('recordFeedback on the emulators', () => {
  for (const envelope of ['sns', 'eventbridge'] as const) {
    it(`suppresses a hard bounce (${envelope})`, async () => {
      const email = `gone-${envelope}@example.org`;
      const summary = await fb.app.recordFeedback(
        sesEventsFrom(withRecipient(`${envelope}-bounce-permanent`, email)),
      );
      expect(summary.suppressed).toEqual([{ email, reason: 'hard-bounce' }]);
      expect(await deps.suppressions.get(email)).toMatchObject({
        reason: 'hard-bounce',
        detail: 'Permanent/General',
      });
    });

    it(`suppresses a complainer and takes them off every list (${envelope})`, async () => {
      const email = `angry-${envelope}@example.org`;
      await deps.subscribers.put(
        aSubscriber({
          id: `s_angry${envelope}`,
          email,
          lists: {
            podcast: { status: 'subscribed', cadence: 'instant', updatedAt: '2026-11-01T00:00:00.000Z' },
            essays: { status: 'subscribed', cadence: 'weekly', updatedAt: '2026-11-01T00:00:00.000Z' },
          },
        }),
      );
      const summary = await fb.app.recordFeedback(
        sesEventsFrom(withRecipient(`${envelope}-complaint`, email)),
      );
      expect(summary.unsubscribed).toEqual([email]);
      expect(await deps.suppressions.get(email)).toMatchObject({ reason: 'complaint' });
      const lists = (await deps.subscribers.getByEmail(email))?.lists ?? {};
      expect(Object.values(lists).map((m) => [m.status, m.unsubscribeReason])).toEqual([
        ['unsubscribed', 'complaint'],
        ['unsubscribed', 'complaint'],
      ]);
    });

    it(`suppresses after the third transient bounce within 30 days, counting a redelivered event once (${envelope})`, async () => {
      const email = `full-${envelope}@example.org`;
      const bounce = (n: number, at: string) =>
        fb.app.recordFeedback(
          sesEventsFrom(withRecipient(`${envelope}-bounce-transient`, email, `fb-${envelope}-${n}`, at)),
        );
      await bounce(1, '2026-11-10T00:00:00.000Z');
      await bounce(2, '2026-11-20T00:00:00.000Z');
      await bounce(2, '2026-11-20T00:00:00.000Z'); // SNS delivers at least once
      expect(await deps.suppressions.get(email)).toBeUndefined();
      const third = await bounce(3, '2026-11-28T11:00:00.000Z');
      expect(third.suppressed).toEqual([{ email, reason: 'hard-bounce' }]);
      expect((await deps.suppressions.get(email))?.detail).toBe('3 transient bounces within 30 days');
    });

    it(`notes Send and Delivery on the delivery the tags name (${envelope})`, async () => {
      const key = { editionId: 'podcast-instant-3f1c2a9b7d10', subscriberId: 's_01hqreader000000000000000' };
      await fb.adapters.ledger.claim(key, 'reader@example.org', '2026-11-28T10:00:00.000Z');
      await fb.app.recordFeedback(sesEventsFrom(fixture(`${envelope}-send`)));
      await fb.app.recordFeedback(sesEventsFrom(fixture(`${envelope}-delivery`)));
      const delivery = await fb.adapters.ledger.get(key);
      expect(delivery?.sesEvents).toMatchObject({
        Send: '2026-11-28T10:00:01.000Z',
        Delivery: '2026-11-28T10:00:03.120Z',
      });
      expect(delivery?.sesMessageId).toBe('0102017b7a1fc4f1-eeee-send-000000');
      expect(await deps.suppressions.get('reader@example.org')).toBeUndefined();
    });
  }

  it('pauses a list once its bounce rate reaches 2 % of at least 200 sends, and says so once', async () => {
    const today = deps.clock.now().toISOString().slice(0, 10);
    await fb.adapters.feedback.addListCounts('essays', today, { sent: 500, bounced: 8 });
    // A hard bounce of an essays email: 9/500 = 1.8 % after the first, 10/500 = 2 % after the second.
    const tagged = (email: string) => {
      const event = withRecipient('eventbridge-bounce-permanent', email) as {
        detail: { mail: { tags: Record<string, string[]> } };
      };
      event.detail.mail.tags.list = ['essays'];
      return event;
    };
    const first = await fb.app.recordFeedback(sesEventsFrom(tagged('b1@example.org')));
    expect(first.paused).toEqual([]);
    expect(await fb.adapters.pauses.get('essays')).toBeUndefined();
    const second = await fb.app.recordFeedback(sesEventsFrom(tagged('b2@example.org')));
    expect(second.paused).toEqual([
      expect.objectContaining({ listId: 'essays', reason: 'bounce-rate', sent: 500 }),
    ]);
    expect((await fb.adapters.pauses.get('essays'))?.bounceRate).toBeCloseTo(10 / 500);
    const third = await fb.app.recordFeedback(sesEventsFrom(tagged('b3@example.org')));
    expect(third.paused).toEqual([]);
    expect(await fb.adapters.pauses.get('podcast')).toBeUndefined();
  });

  it('runs the same through the Lambda handler for both envelopes', async () => {
    const handler = makeFeedbackHandler(async () => fb.app, quietObservability());
    const sns = await handler(withRecipient('sns-bounce-permanent', 'h-sns@example.org'));
    const eb = await handler(withRecipient('eventbridge-bounce-permanent', 'h-eb@example.org'));
    expect(sns.suppressed).toEqual([{ email: 'h-sns@example.org', reason: 'hard-bounce' }]);
    expect(eb.suppressed).toEqual([{ email: 'h-eb@example.org', reason: 'hard-bounce' }]);
    await expect(handler({ nonsense: true })).rejects.toThrow(/neither an SNS batch/);
  });
});
