import type { Config } from '../core/config/schema.ts';
import type { CompiledJourney } from '../core/render/journey-fill.ts';

/** The journey emails, compiled once (core/render/journey-template.ts); filling one is Handlebars only. */
export type JourneyTemplates = CompiledJourney;

import type { KeyRing } from '../core/tokens/tokens.ts';
import type { Clock } from '../ports/clock.ts';
import type { MailTransport } from '../ports/mail-transport.ts';
import type { SubscriberStore } from '../ports/subscriber-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';

/** What the subscribe, confirm, unsubscribe, preferences and resend use cases share. */
export interface JourneyDeps {
  readonly config: Config;
  readonly keys: KeyRing;
  readonly clock: Clock;
  readonly subscribers: SubscriberStore;
  readonly suppressions: SuppressionStore;
  readonly mail: MailTransport;
  readonly templates: JourneyTemplates;
  /** The random source for new subscriber ids. */
  readonly randomBytes: (n: number) => Uint8Array;
}
