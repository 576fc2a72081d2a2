// Send later on the in-memory adapter set: a post scheduled with --at (or front matter sendAt) goes out
// once its time has come, once, in its newest version; a cancelled one never goes out.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../../functions/adapters/fs/templates.ts';
import { makeRenderFn } from '../../../functions/use-cases/edition-message/compile.ts';
import { memoryApp } from '../../../functions/wiring/memory.ts';
import { aKeyRing, anExampleConfig, aPost, aSubscriber } from '../../helpers/factories.ts';
import { aClock } from '../../integration/journey/journey-env.ts';

const config = anExampleConfig();
const clock = aClock('2026-12-01T08:00:00.000Z');
const render = makeRenderFn({ config, templates: () => loadTemplates(), clock });

let tidings: ReturnType<typeof memoryApp>;
beforeEach(async () => {
  clock.set('2026-12-01T08:00:00.000Z');
  tidings = memoryApp({ config, keyRing: aKeyRing(), clock, render, sendRate: 1000 });
  await tidings.adapters.subscribers.putMany([
    aSubscriber({ id: 's_ada', email: 'ada@example.org' }),
    aSubscriber({ id: 's_bo', email: 'bo@example.org' }),
  ]);
});

/** "to: Subject" of every message sent, from the raw MIME (the subjects are ASCII here). */
const subjects = () =>
  tidings.adapters.transport
    .sent()
    .map((m) => `${m.to}: ${/^Subject: (.*)$/m.exec(Buffer.from(m.raw).toString('latin1'))?.[1] ?? '?'}`)
    .sort();
const episode = (title: string) => aPost({ id: 'ep-9', slug: 'ep-9', title, lists: ['podcast'] });

describe('send later', () => {
  it('sends nothing before the time, then the newest version once to each reader, even fired twice at once', async () => {
    // Prepare
    const first = await tidings.app.scheduled.add(
      episode('Episode 9 (draft title)'),
      '2026-12-01T10:00:00+01:00',
    );
    const edit = await tidings.app.scheduled.add(episode('Episode 9'), '2026-12-01T10:30:00+01:00');

    // Act
    clock.set('2026-12-01T09:15:00.000Z');
    const early = await tidings.app.scheduled.fireDue();
    await tidings.drain();
    const sentEarly = subjects();
    clock.set('2026-12-01T09:31:00.000Z');
    const [a, b] = await Promise.all([tidings.app.scheduled.fireDue(), tidings.app.scheduled.fireDue()]);
    await tidings.drain();
    const later = await tidings.app.scheduled.fireDue();

    // Assess
    expect(first).toEqual({ id: 'ep-9', at: '2026-12-01T09:00:00.000Z', outcome: 'created' });
    expect(edit).toEqual({ id: 'ep-9', at: '2026-12-01T09:30:00.000Z', outcome: 'replaced' });
    expect(early).toEqual([]);
    expect(sentEarly).toEqual([]);
    expect([...(a ?? []), ...(b ?? [])].length).toBeGreaterThanOrEqual(1);
    expect(subjects()).toEqual(['ada@example.org: Episode 9', 'bo@example.org: Episode 9']);
    expect(later).toEqual([]);
    expect(await tidings.app.scheduled.list()).toEqual([]);
  });

  it('sends nothing once cancelled, and says so', async () => {
    // Act
    await tidings.app.scheduled.add(episode('Episode 9'), '2026-12-02T08:00:00Z');
    const cancelled = await tidings.app.scheduled.cancel('ep-9');
    clock.set('2026-12-03T08:00:00.000Z');
    await tidings.app.scheduled.fireDue();
    await tidings.drain();

    // Assess
    expect(cancelled).toBe('cancelled');
    expect(subjects()).toEqual([]);
    await expect(tidings.app.scheduled.cancel('ep-9')).rejects.toThrow(
      'no send is scheduled for "ep-9"; `tidings scheduled` lists the waiting ones',
    );
  });

  it('refuses a time in the past, one more than a year ahead, or one without its offset, in one line', async () => {
    const post = episode('Episode 9');
    await expect(tidings.app.scheduled.add(post, '2026-11-30T08:00:00Z')).rejects.toThrow(
      '--at 2026-11-30T08:00:00Z: that time has passed (it is 2026-12-01T08:00:00.000Z now); publish without it to send now',
    );
    await expect(tidings.app.scheduled.add(post, '2028-01-01T08:00:00Z')).rejects.toThrow(
      '--at 2028-01-01T08:00:00Z: more than 365 days ahead; schedule it closer to the time',
    );
    await expect(tidings.app.scheduled.add(post, '2026-12-02 09:00')).rejects.toThrow(
      /^--at "2026-12-02 09:00": give a date and time with its offset/,
    );
    expect(await tidings.app.scheduled.list()).toEqual([]);
  });

  it('schedules a Markdown post whose front matter has sendAt instead of sending it', async () => {
    // Act
    const result = await tidings.app.publishMarkdown({
      markdown:
        '---\ntitle: Later\ndate: 2026-12-01\nslug: later\nlists: podcast\nsendAt: 2026-12-01T12:00:00Z\n---\nSoon.\n',
      path: 'posts/later.md',
    });
    await tidings.drain();
    const before = subjects();
    clock.set('2026-12-01T12:00:01.000Z');
    await tidings.app.scheduled.fireDue();
    await tidings.drain();

    // Assess
    expect(result.scheduled).toEqual({ id: 'later', at: '2026-12-01T12:00:00.000Z', outcome: 'created' });
    expect(before).toEqual([]);
    expect(subjects()).toEqual(['ada@example.org: Later', 'bo@example.org: Later']);
  });
});
