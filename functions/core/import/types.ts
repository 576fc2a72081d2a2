import type { ConsentEvidence, ListStatus } from '../../ports/subscriber-store.ts';
import type { SuppressionReason } from '../../ports/suppression-store.ts';
import type { Cadence } from '../config/schema.ts';
import type { ImportFormat } from './formats.ts';

/** A row that could not be imported, and why (stable code, one line for people). */
export interface ImportProblem {
  /** 1-based line of the file where the record starts. */
  readonly line: number;
  readonly code:
    | 'csv-syntax'
    | 'column-count'
    | 'invalid-email'
    | 'bad-attributes-json'
    | 'unknown-list'
    | 'bad-cadence'
    | 'bad-status'
    | 'duplicate'
    | 'conflict';
  readonly message: string;
}

/** One list membership as a row describes it (the use case adds updatedAt). */
export interface ImportMembership {
  readonly status: ListStatus;
  readonly cadence: Cadence;
  readonly consent?: ConsentEvidence;
  readonly unsubscribedAt?: string;
  readonly unsubscribeReason?: string;
}

/** One good row, mapped: a subscriber to merge, a suppression to add, or both. */
export interface ImportRow {
  readonly line: number;
  /** Normalized. */
  readonly email: string;
  readonly name?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Empty for rows that only suppress (cleaned, bounced, blocklisted). */
  readonly memberships: Readonly<Record<string, ImportMembership>>;
  readonly suppression?: {
    readonly reason: SuppressionReason;
    readonly at?: string;
    readonly detail: string;
  };
  /** When the source says the person signed up (ISO 8601). */
  readonly createdAt?: string;
}

export interface ImportPlan {
  readonly format: ImportFormat;
  /** Data records in the file (the header excluded). */
  readonly records: number;
  readonly rows: readonly ImportRow[];
  readonly problems: readonly ImportProblem[];
}
