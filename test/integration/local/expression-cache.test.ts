// dynalite's expression parses, kept per expression, names and value types (functions/local/expression-cache.ts).
// Each expression below is sent at least three times: the first parse is kept, the second checks it, the
// third and later are served from it. What a reader of the table would notice is asserted: which values
// were written, which conditions held, and that every request DynamoDB refuses is still refused.
import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { cachedParse } from '../../../functions/local/expression-cache.ts';
import { useEmulators } from '../../helpers/emulators.ts';

describe('the DynamoDB emulator, expression parses kept', () => {
  const env = useEmulators();
  const key = (id: string) => ({ pk: { S: `EXPR#${id}` }, sk: { S: 'A' } });
  const update = (
    id: string,
    expression: string,
    values: Record<string, AttributeValue>,
    extra: { names?: Record<string, string>; condition?: string } = {},
  ) =>
    env().clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: env().tableName,
        Key: key(id),
        UpdateExpression: expression,
        ...(extra.condition ? { ConditionExpression: extra.condition } : {}),
        ExpressionAttributeNames: extra.names ?? { '#n': 'note' },
        ExpressionAttributeValues: values,
      }),
    );
  const read = async (id: string) =>
    (await env().clients.dynamodb.send(new GetItemCommand({ TableName: env().tableName, Key: key(id) })))
      .Item;

  it("writes each request's own values, however often the expression was seen", async () => {
    for (let i = 0; i < 6; i++)
      await update(
        `own-${i}`,
        'SET #n = :v, #c = :c',
        { ':v': { S: `note ${i}` }, ':c': { N: String(i) } },
        { names: { '#n': 'note', '#c': 'count' } },
      );
    for (let i = 0; i < 6; i++)
      expect(await read(`own-${i}`)).toMatchObject({ note: { S: `note ${i}` }, count: { N: String(i) } });
  });

  it("checks each request's condition against its own values", async () => {
    await update('cond', 'SET #n = :v', { ':v': { S: 'v0' } });
    for (let i = 1; i <= 4; i++)
      await update(
        'cond',
        'SET #n = :v',
        { ':v': { S: `v${i}` }, ':was': { S: `v${i - 1}` } },
        { condition: '#n = :was' },
      );
    // The fifth time, the expected value is stale: the condition fails and nothing is written.
    await expect(
      update('cond', 'SET #n = :v', { ':v': { S: 'v9' }, ':was': { S: 'v2' } }, { condition: '#n = :was' }),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await read('cond'))?.note).toEqual({ S: 'v4' });
  });

  it('still refuses a value left unused, a value of the wrong type, and an undefined name', async () => {
    for (let i = 0; i < 3; i++) await update('refuse', 'ADD #n :one', { ':one': { N: '1' } });
    await expect(
      update('refuse', 'ADD #n :one', { ':one': { N: '1' }, ':spare': { S: 'x' } }),
    ).rejects.toThrow(/unused in expressions: keys: \{:spare\}/);
    await expect(update('refuse', 'ADD #n :one', { ':one': { S: 'one' } })).rejects.toThrow(
      /Incorrect operand type for operator or function; operator: ADD, operand type: STRING/,
    );
    await expect(
      update('refuse', 'ADD #n :one', { ':one': { N: '1' } }, { names: { '#m': 'note' } }),
    ).rejects.toThrow(/attribute name used in the document path is not defined; attribute name: #n/);
    expect((await read('refuse'))?.note).toEqual({ N: '3' });
  });

  it('parses BETWEEN and attribute_type every time: they read the values, not only their types', async () => {
    const { dynamodb } = env().clients;
    await dynamodb.send(
      new PutItemCommand({ TableName: env().tableName, Item: { ...key('between'), n: { N: '5' } } }),
    );
    const between = (lo: string, hi: string) =>
      update(
        'between',
        'SET #n = :v',
        { ':v': { S: 'ok' }, ':lo': { N: lo }, ':hi': { N: hi } },
        { names: { '#n': 'note', '#x': 'n' }, condition: '#x BETWEEN :lo AND :hi' },
      );
    for (let i = 0; i < 3; i++) await between('1', '9');
    await expect(between('9', '1')).rejects.toThrow(/upper bound to be greater than or equal to lower bound/);
    const typed = (type: string) =>
      update(
        'between',
        'SET #n = :v',
        { ':v': { S: 'ok' }, ':t': { S: type } },
        { names: { '#n': 'note', '#x': 'n' }, condition: 'attribute_type(#x, :t)' },
      );
    for (let i = 0; i < 3; i++) await typed('N');
    await expect(typed('NUMBER')).rejects.toThrow(/Invalid attribute type name found; type: NUMBER/);
  });
});

describe('cachedParse', () => {
  it('never serves a parser that copies its values, and serves one that places them', () => {
    let calls = 0;
    const copying = cachedParse((_input, { context }) => {
      calls++;
      return { set: [{ path: ['note'], val: { ...context.attrVals?.[':v'] } }] };
    });
    const placing = cachedParse((_input, { context }) => {
      calls++;
      return { set: [{ path: ['note'], val: context.attrVals?.[':v'] }] };
    });
    const run = (parse: typeof copying, s: string) =>
      parse('SET #n = :v', {
        context: {
          attrNames: { '#n': 'note' },
          attrVals: { ':v': { S: s } },
          unusedAttrVals: { ':v': true },
        },
      });
    const copied = ['a', 'b', 'c', 'd'].map((s) => run(copying, s));
    expect(calls).toBe(4);
    expect(copied.at(-1)).toEqual({ set: [{ path: ['note'], val: { S: 'd' } }] });
    calls = 0;
    const placed = ['a', 'b', 'c', 'd'].map((s) => run(placing, s));
    expect(calls).toBe(2);
    expect(placed.map((r) => (r as { set: { val: { S: string } }[] }).set[0]?.val.S)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });
});
