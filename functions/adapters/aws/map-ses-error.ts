// How SES's answers map onto the ports' send errors, shared by the production transport
// (ses-query-transport.ts) and the SDK reference transport the tests compare it with (test/oracles/).
import { InvalidInputError } from '../../core/errors.ts';
import {
  PermanentRecipientError,
  SendRefusedError,
  ThrottlingError,
  TransientSendError,
} from '../../ports/errors.ts';

/**
 * Turns an SES SDK error into ThrottlingError, PermanentRecipientError, SendRefusedError or
 * TransientSendError. `from`: the envelope sender, so that a MessageRejected about the sender's own
 * identity (not verified any more) is told apart from one about the recipient: the first refuses every
 * reader of the list and pauses the edition; the second fails that one delivery.
 */
export function mapSesError(error: unknown, to: string, from?: string): Error {
  if (
    error instanceof ThrottlingError ||
    error instanceof PermanentRecipientError ||
    error instanceof TransientSendError ||
    error instanceof SendRefusedError ||
    error instanceof InvalidInputError
  ) {
    return error;
  }
  const e = error as { name?: string; Code?: string; message?: string };
  const code = e?.name ?? e?.Code ?? 'Error';
  const message = e?.message ?? String(error);
  if (
    code === 'Throttling' ||
    code === 'ThrottlingException' ||
    /maximum sending rate exceeded/i.test(message)
  ) {
    return new ThrottlingError(`SES throttled the send to ${to}: ${message}`, { cause: error });
  }
  if (code === 'MessageRejected' && from && namesSender(message, from)) {
    return new SendRefusedError(`SES refused the sender ${from}: ${message}`, {
      cause: error,
      reason: 'identity-not-verified',
    });
  }
  if (code === 'MessageRejected') {
    return new PermanentRecipientError('message-rejected', `SES rejected the message to ${to}: ${message}`, {
      cause: error,
    });
  }
  if (code === 'InvalidParameterValue' && /address|recipient|destination|mailbox/i.test(message)) {
    return new PermanentRecipientError('invalid-address', `SES refused the address ${to}: ${message}`, {
      cause: error,
    });
  }
  if (REFUSAL_CODES.has(code)) {
    return new SendRefusedError(`SES refused to send (${code}): ${message}`, {
      cause: error,
      reason: REFUSAL_REASONS[code] ?? 'refused',
    });
  }
  return new TransientSendError(`sending to ${to} failed (${code}): ${message}`, { cause: error });
}

/**
 * Whether SES's "not verified" answer names the sender: "Email address is not verified. The following
 * identities failed the check in region EU-WEST-1: news@example.com" lists the identities that failed,
 * the From address (or its domain) among them when the sender lost its verification.
 */
function namesSender(message: string, from: string): boolean {
  if (!/not verified|failed the check/i.test(message)) return false;
  const failed = (message.split(/failed the check[^:]*:/i)[1] ?? message).toLowerCase();
  const address = from.toLowerCase();
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return failed
    .split(/[\s,]+/)
    .map((s) => s.replace(/[.;]+$/, ''))
    .some((identity) => identity === address || identity === domain);
}

/** Why a refusal pauses an edition, by SES error code. */
const REFUSAL_REASONS: Readonly<Record<string, string>> = {
  AccountSendingPausedException: 'account-paused',
  ConfigurationSetSendingPausedException: 'account-paused',
  ConfigurationSetDoesNotExist: 'configuration-set-missing',
  MailFromDomainNotVerifiedException: 'identity-not-verified',
};

/** SES answers that mean "not accepted, and not about this recipient": configuration or account problems. */
const REFUSAL_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AccountSendingPausedException',
  'ConfigurationSetDoesNotExist',
  'ConfigurationSetSendingPausedException',
  'MailFromDomainNotVerifiedException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidParameterValue',
  'ValidationError',
]);
