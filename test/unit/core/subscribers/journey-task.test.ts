import { describe, expect, it } from 'vitest';
import { JOURNEY_TASK_KEY, journeyTaskOf } from '../../../../functions/core/subscribers/journey-task.ts';

describe('journeyTaskOf', () => {
  const subscribe = {
    kind: 'subscribe',
    email: 'ada@example.org',
    name: 'Ada',
    lists: ['essays'],
    source: 'https://news.example.org/subscribe',
    ip: '203.0.113.9',
  };

  it('reads the task an asynchronous invoke carries', () => {
    expect(journeyTaskOf({ [JOURNEY_TASK_KEY]: subscribe })).toEqual(subscribe);
    expect(journeyTaskOf({ [JOURNEY_TASK_KEY]: { kind: 'resend', email: 'ada@example.org' } })).toEqual({
      kind: 'resend',
      email: 'ada@example.org',
    });
  });

  it('reads nothing from a Function URL event, even one that also carries the key', () => {
    expect(journeyTaskOf({ requestContext: {}, [JOURNEY_TASK_KEY]: subscribe })).toBeUndefined();
    expect(journeyTaskOf({ version: '2.0', body: JSON.stringify({ [JOURNEY_TASK_KEY]: subscribe }) })).toBe(
      undefined,
    );
  });

  it.each([
    ['another kind', { ...subscribe, kind: 'unsubscribe' }],
    ['no address', { kind: 'resend' }],
    ['an address longer than any inbox', { kind: 'resend', email: `${'a'.repeat(320)}@x.org` }],
    ['lists that are not strings', { ...subscribe, lists: [{ id: 'essays' }] }],
    ['a name of 1,000 characters', { ...subscribe, name: 'n'.repeat(1000) }],
    ['no source', { ...subscribe, source: undefined }],
  ])('refuses a task with %s', (_label, task) => {
    expect(journeyTaskOf({ [JOURNEY_TASK_KEY]: task })).toBeUndefined();
  });
});
