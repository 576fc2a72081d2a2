import { afterAll, beforeAll } from 'vitest';

/** What a contract suite runs against: the adapter under test, and how to tidy up after it. */
export interface ContractSubject<T> {
  readonly store: T;
  readonly cleanup?: () => Promise<void>;
}

/** Builds a fresh subject (a new store, a fresh table, a new queue) for one contract suite. */
export type MakeSubject<T> = () => Promise<ContractSubject<T>>;

/**
 * Makes the subject once for the suite (beforeAll) and cleans up after it (afterAll). The tests of a
 * suite run in order and share the subject: later tests read what earlier ones wrote, as they did when
 * they were the DynamoDB adapters' own tests. Read the subject inside tests only.
 */
export function useSubject<T>(make: MakeSubject<T>): () => T {
  let subject: ContractSubject<T> | undefined;
  beforeAll(async () => {
    subject = await make();
  });
  afterAll(async () => {
    await subject?.cleanup?.();
  });
  return () => {
    if (!subject) throw new Error('useSubject(): the subject is not made yet (use it inside a test)');
    return subject.store;
  };
}
