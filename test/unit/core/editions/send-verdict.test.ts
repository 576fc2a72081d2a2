import { describe, expect, it } from 'vitest';
import { skipReason } from '../../../../functions/core/editions/send-verdict.ts';

const member = (status: string, cadence: string) => ({ lists: { podcast: { status, cadence } } });
const instantEdition = { listId: 'podcast', cadences: ['instant'] } as const;

describe('skipReason', () => {
  it('sends to a subscribed member of one of the edition’s cadences', () => {
    // Prepare
    const subscriber = member('subscribed', 'instant');
    // Act
    const reason = skipReason({ ...instantEdition, subscriber, suppressed: false });
    // Assess
    expect(reason).toBeUndefined();
  });

  it('skips a member who switched cadence since planning', () => {
    // Prepare: planned for instant readers; this one moved to the weekly digest
    const subscriber = member('subscribed', 'weekly');
    // Act
    const reason = skipReason({ ...instantEdition, subscriber, suppressed: false });
    // Assess
    expect(reason).toBe('cadence-changed');
  });

  it('skips the unsubscribed, the removed and the suppressed, suppression first', () => {
    // Act + Assess
    expect(
      skipReason({ ...instantEdition, subscriber: member('unsubscribed', 'instant'), suppressed: false }),
    ).toBe('unsubscribed');
    expect(skipReason({ ...instantEdition, subscriber: { lists: {} }, suppressed: false })).toBe(
      'unsubscribed',
    );
    expect(skipReason({ ...instantEdition, subscriber: undefined, suppressed: false })).toBe(
      'subscriber-removed',
    );
    expect(
      skipReason({ ...instantEdition, subscriber: member('unsubscribed', 'weekly'), suppressed: true }),
    ).toBe('suppressed');
  });

  it('refuses a queued address that is not the stored one, before any other reason', () => {
    // Prepare: the stored subscriber is victim@; the queue message names attacker@
    const subscriber = { email: 'victim@example.org', ...member('subscribed', 'instant') };
    // Act + Assess
    expect(
      skipReason({ ...instantEdition, subscriber, suppressed: false, queuedEmail: 'attacker@evil.example' }),
    ).toBe('address-mismatch');
    expect(
      skipReason({ ...instantEdition, subscriber, suppressed: true, queuedEmail: 'attacker@evil.example' }),
    ).toBe('address-mismatch');
    expect(
      skipReason({ ...instantEdition, subscriber, suppressed: false, queuedEmail: 'victim@example.org' }),
    ).toBeUndefined();
  });
});
