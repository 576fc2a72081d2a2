import { afterAll, beforeAll } from 'vitest';
import { type AwsClients, EMULATOR_CREDENTIALS, makeClients } from '../../functions/adapters/aws/clients.ts';
import {
  createQueues,
  createTable,
  type EmulatorOptions,
  type Emulators,
  startEmulators,
} from '../../functions/local/emulators.ts';

export interface EmulatorContext {
  readonly emulators: Emulators;
  readonly clients: AwsClients;
  /** The single table, created fresh for this file. */
  readonly tableName: string;
  /** The send queue (with its DLQ), created fresh for this file. */
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

/**
 * Starts the embedded emulators once for a test file (beforeAll) and stops them after (afterAll).
 * Read the context inside tests or hooks, not at module level: it is filled in by beforeAll.
 *
 * @example
 * const env = useEmulators();
 * it('…', async () => { const store = new DynamoSubscriberStore({ doc: env().clients.doc, tableName: env().tableName }); });
 */
export function useEmulators(
  options: EmulatorOptions & { readonly queueName?: string } = {},
): () => EmulatorContext {
  let ctx: EmulatorContext | undefined;
  beforeAll(async () => {
    const emulators = await startEmulators(options);
    const clients = makeClients({
      region: 'us-east-1',
      endpoints: emulators.endpoints,
      credentials: EMULATOR_CREDENTIALS,
    });
    const tableName = 'tidings-test';
    const queueName = options.queueName ?? 'tidings-send';
    await createTable(clients.dynamodb, tableName);
    const queues = await createQueues(clients.sqs, [queueName], { visibilityTimeoutSeconds: 5 });
    ctx = {
      emulators,
      clients,
      tableName,
      queueUrl: queues.urls[queueName] ?? '',
      dlqUrl: queues.dlqUrls[queueName] ?? '',
    };
  });
  afterAll(async () => {
    ctx?.clients.destroy();
    await ctx?.emulators.stop();
  });
  return () => {
    if (!ctx)
      throw new Error('useEmulators(): the emulators are not started yet (use the context inside a test)');
    return ctx;
  };
}
