import type { Cadence } from '../config/schema.ts';
import type { ConsentEvidence, ListStatus } from '../subscribers/model.ts';
import type { SuppressionReason } from '../suppressions/model.ts';

/** The CSV exports tidings recognizes from their header row. */
export type ImportFormat =
  | 'generic'
  | 'substack'
  | 'mailchimp-subscribed'
  | 'mailchimp-unsubscribed'
  | 'mailchimp-cleaned'
  | 'ghost'
  | 'listmonk';

/** What planImport needs besides the file: the lists it may fill, the format and where the file came from. */
export interface PlanImportOptions {
  /** The list rows go to when the file does not say (every format but generic's `lists` column). */
  readonly listId: string;
  /** Known lists and their default cadence (from the config). */
  readonly lists: Readonly<Record<string, Cadence>>;
  /** 'auto' (default) detects it from the header row. */
  readonly format?: ImportFormat | 'auto';
  /** Where the rows came from, kept as consent evidence (e.g. the file name). */
  readonly source: string;
}

/** A row that could not be imported, and why (stable code, one line for people). */
export interface ImportProblem {
  /** 1-based line of the file where the record starts. */
  readonly line: number;
  readonly code:
    | 'csv-syntax'
    | 'column-count'
    | 'field-too-long'
    | 'invalid-email'
    | 'bad-attributes-json'
    | 'unknown-list'
    | 'bad-cadence'
    | 'bad-status'
    | 'bad-time-zone'
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
  /** The IANA time zone of a `timezone` / `time_zone` column (Mailchimp's TIMEZONE, tidings' own export). */
  readonly timeZone?: string;
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

/** What planImport makes of a file: the format it read, the good rows merged by address, and the bad ones. */
export interface ImportPlan {
  readonly format: ImportFormat;
  /** Data records in the file (the header excluded). */
  readonly records: number;
  readonly rows: readonly ImportRow[];
  readonly problems: readonly ImportProblem[];
}

/** One data row's cells, keyed by column (see `columnKey`), values trimmed. */
export type Cells = ReadonlyMap<string, string>;

/** What a format's mapper makes of one row: the row without its line and email, or why it is bad. */
export type MappedRow = Omit<ImportRow, 'line' | 'email'> | { readonly problem: Omit<ImportProblem, 'line'> };
