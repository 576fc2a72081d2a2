import { InvalidInputError } from '../errors.ts';

/**
 * The parts of an Amazon SES event that tidings reads. The same object arrives from a configuration set
 * (`eventType`) or from identity notifications (`notificationType`), inside an SNS message or as the
 * `detail` of an EventBridge event.
 */
export interface SesEvent {
  readonly type: 'Send' | 'Delivery' | 'Bounce' | 'Complaint' | 'Reject' | 'DeliveryDelay' | 'Other';
  readonly mail: {
    readonly messageId: string;
    /** ISO 8601: when SES accepted the message. */
    readonly timestamp: string;
    readonly destination: readonly string[];
    /** Message tags, each a list of values (SES's shape). */
    readonly tags: Readonly<Record<string, readonly string[]>>;
  };
  readonly bounce?: {
    readonly bounceType: 'Permanent' | 'Transient' | 'Undetermined';
    readonly bounceSubType: string;
    readonly feedbackId: string;
    readonly timestamp: string;
    readonly recipients: readonly string[];
  };
  readonly complaint?: {
    readonly feedbackId: string;
    readonly timestamp: string;
    readonly feedbackType?: string;
    readonly recipients: readonly string[];
  };
  readonly delivery?: { readonly timestamp: string; readonly recipients: readonly string[] };
}

const KNOWN = new Set(['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject', 'DeliveryDelay']);

/**
 * Finds the SES events in a Lambda event: an SNS batch (`Records[].Sns.Message`, a JSON string), an
 * EventBridge event (`source: 'aws.ses'`, the SES event in `detail`), or a bare SES event. Throws
 * InvalidInputError for anything else, so a misrouted event shows up in the logs instead of vanishing.
 *
 * @example
 * sesEventsFrom({ Records: [{ Sns: { Message: JSON.stringify(bounce) } }] }) // [{ type: 'Bounce', … }]
 */
export function sesEventsFrom(envelope: unknown): SesEvent[] {
  if (!isObject(envelope)) throw invalid('not an object');
  if (Array.isArray(envelope.Records)) {
    return envelope.Records.map((record, i) => {
      const message = isObject(record) && isObject(record.Sns) ? record.Sns.Message : undefined;
      if (typeof message !== 'string') throw invalid(`Records[${i}].Sns.Message is not a string`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        throw invalid(`Records[${i}].Sns.Message is not JSON`);
      }
      return parseSesEvent(parsed, `Records[${i}].Sns.Message`);
    });
  }
  if (envelope.source === 'aws.ses' && isObject(envelope.detail))
    return [parseSesEvent(envelope.detail, 'detail')];
  if ('eventType' in envelope || 'notificationType' in envelope) return [parseSesEvent(envelope, 'event')];
  throw invalid('neither an SNS batch, an EventBridge aws.ses event, nor an SES event');
}

/** Normalizes one SES event object; `where` names it in errors. */
export function parseSesEvent(raw: unknown, where: string): SesEvent {
  if (!isObject(raw)) throw invalid(`${where} is not an object`);
  const rawType = str(raw.eventType) || str(raw.notificationType);
  const type = (KNOWN.has(rawType) ? rawType : 'Other') as SesEvent['type'];
  const mail = isObject(raw.mail) ? raw.mail : undefined;
  if (!mail || !str(mail.messageId)) throw invalid(`${where}.mail.messageId is missing`);
  const tags: Record<string, readonly string[]> = {};
  if (isObject(mail.tags)) {
    for (const [k, v] of Object.entries(mail.tags)) {
      if (Array.isArray(v)) tags[k] = v.filter((x): x is string => typeof x === 'string');
    }
  }
  const base = {
    type,
    mail: {
      messageId: str(mail.messageId),
      timestamp: str(mail.timestamp),
      destination: strings(mail.destination),
      tags,
    },
  };
  const b = isObject(raw.bounce) ? raw.bounce : undefined;
  const c = isObject(raw.complaint) ? raw.complaint : undefined;
  const d = isObject(raw.delivery) ? raw.delivery : undefined;
  return {
    ...base,
    ...(b && {
      bounce: {
        bounceType: (['Permanent', 'Transient'].includes(str(b.bounceType))
          ? str(b.bounceType)
          : 'Undetermined') as 'Permanent' | 'Transient' | 'Undetermined',
        bounceSubType: str(b.bounceSubType),
        feedbackId: str(b.feedbackId),
        timestamp: str(b.timestamp) || base.mail.timestamp,
        recipients: recipients(b.bouncedRecipients),
      },
    }),
    ...(c && {
      complaint: {
        feedbackId: str(c.feedbackId),
        timestamp: str(c.timestamp) || base.mail.timestamp,
        ...(str(c.complaintFeedbackType) && { feedbackType: str(c.complaintFeedbackType) }),
        recipients: recipients(c.complainedRecipients),
      },
    }),
    ...(d && {
      delivery: { timestamp: str(d.timestamp) || base.mail.timestamp, recipients: strings(d.recipients) },
    }),
  };
}

function recipients(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((r) => (isObject(r) ? str(r.emailAddress) : '')).filter((e) => e.length > 0);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(what: string): InvalidInputError {
  return new InvalidInputError(
    'FEEDBACK_EVENT_INVALID',
    `SES feedback event: ${what}; route SES events through SNS or EventBridge (source aws.ses) to the feedback function`,
  );
}
