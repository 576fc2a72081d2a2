import { describe, expect, it } from 'vitest';
import { mapSesError } from '../../../../functions/adapters/aws/map-ses-error.ts';
import {
  PermanentRecipientError,
  SendRefusedError,
  ThrottlingError,
  TransientSendError,
} from '../../../../functions/ports/errors.ts';

const sesError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('mapSesError', () => {
  it('tells apart throttling, a refused recipient, a refused call and an unknown outcome', () => {
    const to = 'ada@example.org';
    expect(mapSesError(sesError('Throttling', 'Maximum sending rate exceeded.'), to)).toBeInstanceOf(
      ThrottlingError,
    );
    expect(mapSesError(sesError('MessageRejected', 'Email address is not verified.'), to)).toBeInstanceOf(
      PermanentRecipientError,
    );
    // Refused calls: SES accepted nothing, and a retry in a moment would be refused again.
    for (const code of ['AccessDenied', 'ConfigurationSetDoesNotExist', 'AccountSendingPausedException']) {
      const mapped = mapSesError(sesError(code, 'no'), to);
      expect(mapped, code).toBeInstanceOf(SendRefusedError);
      expect(mapped.message).toContain(code);
    }
    // A socket timeout or a 5xx: SES may have accepted the message, so the outcome is unknown.
    expect(mapSesError(sesError('TimeoutError', 'socket hang up'), to)).toBeInstanceOf(TransientSendError);
    expect(mapSesError(sesError('InternalFailure', 'try again'), to)).toBeInstanceOf(TransientSendError);
  });

  it('refuses the sender, not the reader, when SES says the From identity is not verified', () => {
    // Prepare
    const from = 'podcast@news.example.com';
    const unverified = (identity: string) =>
      sesError(
        'MessageRejected',
        `Email address is not verified. The following identities failed the check in region EU-WEST-1: ${identity}`,
      );
    // Act
    const byAddress = mapSesError(unverified(from), 'ada@example.org', from);
    const byDomain = mapSesError(unverified('news.example.com'), 'ada@example.org', from);
    const reader = mapSesError(unverified('ada@example.org'), 'ada@example.org', from);
    const paused = mapSesError(sesError('AccountSendingPausedException', 'paused'), 'ada@example.org', from);
    // Assess
    expect(byAddress).toBeInstanceOf(SendRefusedError);
    expect((byAddress as SendRefusedError).reason).toBe('identity-not-verified');
    expect((byDomain as SendRefusedError).reason).toBe('identity-not-verified');
    expect(reader).toBeInstanceOf(PermanentRecipientError);
    expect((paused as SendRefusedError).reason).toBe('account-paused');
  });
});
