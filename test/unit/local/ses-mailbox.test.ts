// The SES emulator's mailbox (issue 13 §3): bounded memory, an exact count, and the messages it keeps
// readable whole.
import { describe, expect, it } from 'vitest';
import { SesMailbox } from '../../../functions/local/ses-mailbox.ts';

function mime(n: number): Buffer {
  return Buffer.from(
    [
      'From: "Signal & Noise" <hello@signal-noise.example.com>',
      `To: reader${n}@example.org`,
      `Subject: Episode for reader ${n}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Hello reader ${n}.`,
    ].join('\r\n'),
  );
}

function accept(box: SesMailbox, n: number): string {
  return box.accept(
    {
      source: 'hello@signal-noise.example.com',
      destinations: [`reader${n}@example.org`],
      tags: { n: String(n) },
    },
    mime(n),
  );
}

describe('SesMailbox', () => {
  it('keeps the last 3 of 10 messages whole, the envelopes of all 10, and counts 10', async () => {
    // Prepare
    const box = new SesMailbox({ keep: 3 });

    // Act
    const ids = Array.from({ length: 10 }, (_, n) => accept(box, n));

    // Assess
    expect(box.count).toBe(10);
    expect(Object.keys(box.envelopes())).toEqual(ids);
    expect(Object.values(box.envelopes()).map((e) => e.tags.n)).toEqual(
      Array.from({ length: 10 }, (_, n) => String(n)),
    );
    const whole = await box.store();
    expect(whole.map((m) => m.subject)).toEqual([
      'Episode for reader 7',
      'Episode for reader 8',
      'Episode for reader 9',
    ]);
    expect(whole[0]?.destination.to).toEqual(['reader7@example.org']);
    expect(whole[0]?.body.text).toContain('Hello reader 7.');
    expect(box.raw(ids[0] as string)).toBeUndefined();
    expect(box.raw(ids[9] as string)?.toString()).toContain('Subject: Episode for reader 9');
  });

  it('gives every message its own id', () => {
    const box = new SesMailbox({ keep: 0 });
    const ids = new Set(Array.from({ length: 5_000 }, (_, n) => accept(box, n)));
    expect(ids.size).toBe(5_000);
    expect(box.count).toBe(5_000);
  });

  it('drops the oldest envelopes past its bound of 1,000, and still counts every message', () => {
    const box = new SesMailbox({ keep: 1, envelopes: 1_000 });
    const total = 1_200;
    let first = '';
    for (let n = 0; n < total; n++) {
      const id = box.accept({ destinations: ['a@example.org'], tags: {} }, undefined);
      if (n === 0) first = id;
    }
    const kept = Object.keys(box.envelopes());
    expect(box.count).toBe(total);
    expect(kept.length).toBeGreaterThanOrEqual(1_000);
    expect(kept.length).toBeLessThanOrEqual(1_100);
    expect(kept).not.toContain(first);
  });

  it('empties on clear, count included', async () => {
    const box = new SesMailbox({ keep: 5 });
    for (let n = 0; n < 4; n++) accept(box, n);
    box.clear();
    expect(box.count).toBe(0);
    expect(await box.store()).toEqual([]);
    accept(box, 9);
    expect((await box.store()).map((m) => m.subject)).toEqual(['Episode for reader 9']);
  });
});
