// Shared setup for the delivery tests: a local stack on the emulators, the example config with a
// sender pace high enough for tests, and builders for many subscribers.

import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import type { Cadence } from '../../../functions/core/config/schema.ts';
import { readSesStore, type SentMessage } from '../../../functions/local/emulators.ts';
import {
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from '../../../functions/local/local-stack.ts';
import { systemClock } from '../../../functions/ports/clock.ts';
import type { Subscriber } from '../../../functions/ports/subscriber-store.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { aKeyRing, anExampleConfig } from '../../helpers/factories.ts';

export async function aLocalStack(options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  const config = anExampleConfig();
  return startLocalStack({
    config,
    keyRing: aKeyRing(),
    render: makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock }),
    senders: 2,
    visibilityTimeoutSeconds: 2,
    ...options,
    wiring: { sendRate: 1000, ...options.wiring },
  });
}

/** `n` subscribers of one list and cadence, ids `s_00000…`, addresses `reader0@example.org…`. */
export function manySubscribers(
  n: number,
  listId: string,
  cadence: Cadence,
  from = 0,
  prefix = 'reader',
): Subscriber[] {
  const at = '2026-01-05T10:00:00.000Z';
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      id: `s_${listId}_${String(i).padStart(5, '0')}`,
      email: `${prefix}${i}@example.org`,
      name: `Reader ${i}`,
      attributes: {},
      lists: {
        [listId]: {
          status: 'subscribed',
          cadence,
          updatedAt: at,
          consent: { at, method: 'import:test', source: 'test' },
        },
      },
      createdAt: at,
      updatedAt: at,
    };
  });
}

export async function seed(stack: LocalStack, subscribers: readonly Subscriber[]): Promise<void> {
  for (let i = 0; i < subscribers.length; i += 500) {
    await stack.adapters.subscribers.putMany(subscribers.slice(i, i + 500));
  }
}

/** Messages in the SES emulator's store, by envelope recipient. */
export async function mailbox(
  stack: LocalStack,
): Promise<{ all: SentMessage[]; countFor(email: string): number }> {
  const all = await readSesStore(stack.emulators.sesStoreUrl);
  const counts = new Map<string, number>();
  for (const m of all) {
    for (const to of m.destinations.length ? m.destinations : m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return { all, countFor: (email) => counts.get(email) ?? 0 };
}
