/** Why sending to a list stopped, set by the feedback handler when the list's reputation is at risk. */
export interface SendingPause {
  readonly listId: string;
  /** Stable code: 'bounce-rate' | 'complaint-rate' | 'manual'. */
  readonly reason: string;
  /** ISO 8601. */
  readonly at: string;
  /** The rates that tripped it (fractions, 0.02 = 2 %), over `windowDays`. */
  readonly bounceRate?: number;
  readonly complaintRate?: number;
  readonly sent?: number;
}

/**
 * Why one edition stopped: SES refused the sender itself (the From identity lost its verification, the
 * account is paused, the configuration set is gone). Its readers did nothing wrong, so their deliveries
 * wait; `tidings editions resume <id>` lets them go once the cause is fixed.
 */
export interface EditionPause {
  readonly editionId: string;
  readonly listId: string;
  /** Stable code: 'identity-not-verified' | 'account-paused' | 'configuration-set-missing' | 'refused'. */
  readonly reason: string;
  /** ISO 8601. */
  readonly at: string;
  /** SES's answer, one line. */
  readonly detail?: string;
}

/**
 * The flag the sender checks before each batch: while a list is paused, its deliveries wait (they are
 * not failed), so resuming sends them. Set by record-feedback, cleared by an operator.
 */
export interface SendingPauseStore {
  /** The pause of a list, if it is paused. */
  get(listId: string): Promise<SendingPause | undefined>;
  /** Pauses a list; returns false when it was already paused (the first reason is kept). */
  pause(pause: SendingPause): Promise<boolean>;
  /** Lifts the pause. A list that is not paused is not an error. Returns the lifted pause, if any. */
  resume(listId: string): Promise<SendingPause | undefined>;
  /** The pause of one edition (the sender's error budget), if it is paused. */
  getEdition(editionId: string): Promise<EditionPause | undefined>;
  /** Pauses an edition; returns false when it was already paused (the first reason is kept). */
  pauseEdition(pause: EditionPause): Promise<boolean>;
  /** Lifts an edition's pause; returns the lifted pause, if any. */
  resumeEdition(editionId: string): Promise<EditionPause | undefined>;
}
