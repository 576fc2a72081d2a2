// How SES's answers map onto the ports' send errors, shared by the production transport
// (ses-query-transport.ts) and the SDK reference transport the tests compare it with (test/oracles/).
import { InvalidInputError } from '../../core/errors.ts';
import {
  PermanentRecipientError,
  SendRefusedError,
  ThrottlingError,
  TransientSendError,
} from '../../ports/errors.ts';

/** Turns an SES SDK error into ThrottlingError, PermanentRecipientError or TransientSendError. */
export function mapSesError(error: unknown, to: string): Error {
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
    return new SendRefusedError(`SES refused to send (${code}): ${message}`, { cause: error });
  }
  return new TransientSendError(`sending to ${to} failed (${code}): ${message}`, { cause: error });
}

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
