import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../functions/local/local-stack.ts';
import { aPost } from '../../helpers/factories.ts';
import { aLocalStack, mailbox, manySubscribers, seed } from './stack.ts';

describe('publish and digest on the emulators', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await aLocalStack();
    await seed(stack, [
      ...manySubscribers(60, 'podcast', 'instant'),
      ...manySubscribers(20, 'essays', 'weekly', 100),
    ]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends a post once to every instant subscriber, and publishing it again sends nothing', async () => {
    // Prepare
    const post = aPost({ id: 'ep-1', slug: 'ep-1', lists: ['podcast'], contentHash: 'v1' });

    // Act
    const first = await stack.app.publish(post);
    await stack.runner.drain();
    const second = await stack.app.publish(post);
    await stack.runner.drain();

    // Assess
    const box = await mailbox(stack);
    const planned = first.lists[0];
    const ep1 = box.all.filter((m) => planned?.action === 'planned' && m.tags.edition === planned.editionId);
    expect(ep1).toHaveLength(60);
    expect(new Set(ep1.map((m) => m.destinations[0])).size).toBe(60);
    expect(second.lists.map((l) => l.action)).toEqual(['already-sent']);
    const status = await stack.app.status(ep1[0]?.tags.edition ?? '');
    expect(status).toMatchObject({
      complete: true,
      counters: { planned: 60, sent: 60, failed: 0, skipped: 0 },
    });
  });

  it('sends an edited post again only with --resend', async () => {
    // Prepare
    const v1 = aPost({ id: 'ep-2', slug: 'ep-2', lists: ['podcast'], contentHash: 'v1' });
    await stack.app.publish(v1);
    await stack.runner.drain();
    const edited = { ...v1, title: 'Episode 2 (corrected)', contentHash: 'v2' };

    // Act
    const withoutResend = await stack.app.publish(edited);
    await stack.runner.drain();
    const before = (await mailbox(stack)).all.filter((m) => m.subject === 'Episode 2 (corrected)').length;
    const withResend = await stack.app.publish(edited, { resend: true });
    await stack.runner.drain();

    // Assess
    expect(withoutResend.lists[0]?.action).toBe('edited');
    expect(before).toBe(0);
    expect(withResend.lists[0]?.action).toBe('planned');
    const corrected = (await mailbox(stack)).all.filter((m) => m.subject === 'Episode 2 (corrected)');
    expect(corrected).toHaveLength(60);
  });

  it('sends a digest of the new posts to weekly subscribers, then nothing when nothing is new', async () => {
    // Prepare: two essays that go out in digests only
    await stack.app.publish(
      aPost({
        id: 'essay-a',
        slug: 'essay-a',
        title: 'Essay A',
        lists: ['essays'],
        send: 'digest',
        date: '2026-11-01T08:00:00Z',
      }),
    );
    await stack.app.publish(
      aPost({
        id: 'essay-b',
        slug: 'essay-b',
        title: 'Essay B',
        lists: ['essays'],
        send: 'digest',
        date: '2026-11-02T08:00:00Z',
      }),
    );

    // Act
    const digest = await stack.app.digest('essays', 'weekly');
    await stack.runner.drain();
    const again = await stack.app.digest('essays', 'weekly');

    // Assess
    expect(digest.action).toBe('planned');
    if (digest.action !== 'planned') return;
    expect(digest.postIds).toEqual(['essay-b', 'essay-a']);
    const sent = (await mailbox(stack)).all.filter((m) => m.tags.edition === digest.editionId);
    expect(sent).toHaveLength(20);
    expect(sent.every((m) => /reader1\d\d@example\.org/.test(m.destinations[0] ?? ''))).toBe(true);
    expect(again.action).toBe('nothing-new');
  });
  it('sends a later post with the same date-only day, and a backdated post, in the next digest, once', async () => {
    // Prepare: a digest carried a post dated 2026-11-20 (no time); then two more posts are published
    const essay = (id: string, date: string) =>
      aPost({ id, slug: id, title: `Essay ${id}`, lists: ['essays'], send: 'digest', date });
    await stack.app.publish(essay('day-1', '2026-11-20T00:00:00.000Z'));
    const first = await stack.app.digest('essays', 'weekly');
    await stack.runner.drain();
    await stack.app.publish(essay('day-2', '2026-11-20T00:00:00.000Z'));
    await stack.app.publish(essay('backdated', '2026-01-01T00:00:00.000Z'));

    // Act
    const second = await stack.app.digest('essays', 'weekly');
    await stack.runner.drain();
    const third = await stack.app.digest('essays', 'weekly');

    // Assess
    expect(first.action === 'planned' ? first.postIds : []).toContain('day-1');
    expect(second.action === 'planned' ? second.postIds : []).toEqual(['day-2', 'backdated']);
    expect(third.action).toBe('nothing-new');
    const toReader = (await mailbox(stack)).all.filter((m) => m.destinations[0] === 'reader100@example.org');
    const editions = [first, second].map((d) => (d.action === 'planned' ? d.editionId : ''));
    expect(editions.map((id) => toReader.filter((m) => m.tags.edition === id).length)).toEqual([1, 1]);
  });
});
