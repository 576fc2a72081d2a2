import { beforeAll, describe, expect, it } from 'vitest';
import { SUBSCRIBER_PAGES_TABLE_ACCESS } from '../../../functions/adapters/aws/dynamo-table.ts';
import { createRouteTable, type HttpDeps } from '../../../functions/http/routes.ts';
import type { RouteHandler } from '../../../functions/http/types.ts';
import { useEmulators } from '../../helpers/emulators.ts';
import { type aClock, journeyDeps, linkIn, mailTo, request } from './journey-env.ts';

// The public http function's IAM policy allows item actions on four partition prefixes only
// (SUBSCRIBER_PAGES_TABLE_ACCESS, turned into dynamodb:LeadingKeys by the stack). This records every
// DynamoDB call the subscriber pages make through a whole journey, on the emulator, and checks each one
// against that policy: a page that needed more would be refused on AWS.

interface Call {
  readonly action: string;
  readonly index?: string;
  readonly partitions: readonly string[];
}

const env = useEmulators();
const calls: Call[] = [];
let deps: HttpDeps & { clock: ReturnType<typeof aClock> };
let routes: RouteHandler;

/** The `pk` of every item a DynamoDB request names (its key, its item, its batch or transaction items). */
function partitionsOf(input: Record<string, unknown>): string[] {
  const pks: string[] = [];
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    const record = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(record)) {
      if (key === 'pk' && v && typeof v === 'object' && 'S' in v) pks.push(String((v as { S: unknown }).S));
      else if (key !== 'ExpressionAttributeValues') visit(v);
    }
  };
  visit(input.Key);
  visit(input.Item);
  visit(input.RequestItems);
  visit(input.TransactItems);
  // A Query names its partition in the key condition: `#pk = :pk`.
  const placeholder = /^\s*#?(\w+)\s*=\s*(:\w+)/.exec(String(input.KeyConditionExpression ?? ''));
  const values = input.ExpressionAttributeValues as Record<string, { S?: string }> | undefined;
  const pk = placeholder?.[2] ? values?.[placeholder[2]]?.S : undefined;
  if (pk) pks.push(pk);
  return pks;
}

beforeAll(async () => {
  env().clients.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      calls.push({
        action: `dynamodb:${String(context.commandName).replace(/Command$/, '')}`,
        ...(typeof input.IndexName === 'string' ? { index: input.IndexName } : {}),
        partitions: partitionsOf(input),
      });
      return next(args);
    },
    { step: 'build', name: 'recordTableAccess' },
  );
  deps = await journeyDeps(env());
  routes = createRouteTable(deps);
});

describe('the subscriber pages and the table', () => {
  it('make only the calls the http function’s IAM policy allows, through a whole journey', async () => {
    // Prepare: the emulator's own table setup is not the pages' doing.
    calls.length = 0;
    const pathOf = (url: string) => `${new URL(url).pathname}${new URL(url).search}`;

    // Act: subscribe, confirm, view and change preferences, unsubscribe in one click, ask for a fresh link,
    // subscribe again with a known address.
    await routes(
      request('POST', '/subscribe', {
        body: { email: 'iam@example.org', list: ['podcast', 'essays'] },
        ip: '192.0.2.1',
      }),
    );
    const confirm = linkIn((await mailTo(env(), 'iam@example.org')).at(-1)?.html, '/confirm');
    await routes(request('GET', pathOf(confirm), { ip: '192.0.2.1' }));
    await routes(request('POST', pathOf(confirm), { ip: '192.0.2.1' }));
    const welcome = (await mailTo(env(), 'iam@example.org')).at(-1);
    const preferences = pathOf(linkIn(welcome?.html, '/preferences'));
    const unsubscribe = pathOf(linkIn(welcome?.html, '/unsubscribe'));
    await routes(request('GET', preferences));
    await routes(
      request('POST', preferences, { body: { list: ['podcast', 'essays'], 'cadence-podcast': 'daily' } }),
    );
    await routes(
      request('POST', unsubscribe, {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    const afterUnsubscribe = (await deps.subscribers.getByEmail('iam@example.org'))?.lists;
    await routes(request('POST', '/resend', { body: { email: 'iam@example.org' }, ip: '192.0.2.2' }));
    await routes(
      request('POST', '/subscribe', { body: { email: 'iam@example.org', list: 'podcast' }, ip: '192.0.2.3' }),
    );

    // Assess: the journey did reach the table, and every call is one the policy allows.
    expect(calls.length).toBeGreaterThan(10);
    expect(afterUnsubscribe?.podcast).toMatchObject({ status: 'unsubscribed', cadence: 'daily' });
    expect(afterUnsubscribe?.essays?.status).toBe('subscribed');
    const parts = Object.values(SUBSCRIBER_PAGES_TABLE_ACCESS);
    for (const call of calls) {
      const access = parts.find((a) => (a.actions as readonly string[]).includes(call.action));
      expect(access, `${call.action} is not allowed`).toBeDefined();
      expect(call.index, `${call.action} uses index ${call.index}`).toBeUndefined();
      expect(call.partitions.length, `${call.action} names no partition key`).toBeGreaterThan(0);
      for (const pk of call.partitions) {
        const prefixes: readonly string[] = access?.partitionPrefixes ?? [];
        expect(
          prefixes.some((p) => pk.startsWith(p)),
          `${call.action} on ${pk}`,
        ).toBe(true);
      }
    }
    // And the pages did read suppressions, which they may not write, and the import leases (a new address).
    expect(calls.some((c) => c.partitions.some((pk) => pk.startsWith('SUPP#')))).toBe(true);
    expect(calls.some((c) => c.action === 'dynamodb:Query' && c.partitions.includes('IMPORTS'))).toBe(true);
  });
});
