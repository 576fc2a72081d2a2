import { describe, expect, it } from 'vitest';
import { sendPacing } from '../../infra/constructs/send-pipeline.ts';

describe('sendPacing', () => {
  it('splits the SES rate across senders of about 10 messages/s each', () => {
    expect(sendPacing(200)).toEqual({ maxConcurrency: 20, ratePerSender: 10 });
    expect(sendPacing(55)).toEqual({ maxConcurrency: 6, ratePerSender: 55 / 6 });
  });

  it('keeps two senders (the SQS minimum) at a low rate, without sending faster than configured', () => {
    // The sandbox's 1 message/s and the default 14/s.
    expect(sendPacing(1)).toEqual({ maxConcurrency: 2, ratePerSender: 0.5 });
    expect(sendPacing(14)).toEqual({ maxConcurrency: 2, ratePerSender: 7 });
  });

  it('never asks SQS for more than 1,000 concurrent senders', () => {
    const pacing = sendPacing(50_000);
    expect(pacing.maxConcurrency).toBe(1000);
    expect(pacing.maxConcurrency * pacing.ratePerSender).toBe(50_000);
  });
});
