import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { aLocalStack } from '../delivery/stack.ts';

describe('applySendQuota', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // SES reports a MaxSendRate of 12/s; the stack is configured for more than that.
    stack = await aLocalStack({
      startRunner: false,
      emulators: { sendQuota: { maxSendRate: 12, max24HourSend: 50_000 } },
      wiring: { sendRate: 50 },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("paces each of several senders at its share of SES's MaxSendRate, never at the configured rate", async () => {
    // The local stack already paced its one sender to the quota when it started.
    expect(stack.app.sendRate()).toBe(12);
    // Four concurrent senders share the account's 12/s: each may send 3/s.
    expect(await stack.app.applySendQuota(4)).toBe(3);
    expect(stack.app.sendRate()).toBe(3);
    // One sender alone takes the whole quota, still below the configured 50/s.
    expect(await stack.app.applySendQuota()).toBe(12);
    expect(stack.app.sendRate()).toBe(12);
  });
});
