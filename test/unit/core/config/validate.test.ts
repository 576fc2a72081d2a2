import { describe, expect, it } from 'vitest';
import example from '../../../../examples/tidings.config.ts';
import { validateConfig } from '../../../../functions/core/config/validate.ts';
import { ConfigError } from '../../../../functions/core/errors.ts';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('accepts the example config and applies the defaults a user relies on', () => {
    const config = validateConfig(example, 'examples/tidings.config.ts');
    expect(config.lists.map((l) => l.id)).toEqual(['podcast', 'essays']);
    expect(config.sending.htmlBudgetKb).toBe(100);
    expect(config.lists[1]?.welcome).toBe(false);
    expect(config.lists[1]?.digest.timezone).toBe('America/New_York');
  });

  it('names the file and the field path of every wrong field, one line each', () => {
    const broken = structuredClone(example) as Record<string, unknown> & {
      lists: Array<Record<string, unknown>>;
    };
    broken.lists[0] = { ...broken.lists[0], from: { name: 'X', address: 'not-an-email' } };
    broken.lists[1] = { ...broken.lists[1], id: 'podcast', digest: { daily: '0 8 * * *' } };
    const error = errorOf(() => validateConfig(broken, 'tidings.config.ts'));
    const lines = error.message.split('\n');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(lines).toContain('tidings.config.ts: lists[0].from.address: must be an email address');
    expect(lines).toContain(
      'tidings.config.ts: lists[1].digest.daily: must be an EventBridge cron expression like cron(0 8 * * ? *)',
    );
    expect(lines).toContain('tidings.config.ts: lists[1].id: duplicate list id "podcast"');
  });

  it('rejects a From address outside the sending domain, which SES would refuse', () => {
    const cfg = structuredClone(example) as { lists: Array<{ from: { address: string } }> };
    (cfg.lists[0] as { from: { address: string } }).from.address = 'me@gmail.com';
    expect(() => validateConfig(cfg, 'c.ts')).toThrow(
      'c.ts: lists[0].from.address: must be an address at the sending domain signal-noise.example.com',
    );
  });

  it('rejects a config with no lists and says where', () => {
    expect(() => validateConfig({ ...example, lists: [] }, 'c.ts')).toThrow(
      'c.ts: lists: define at least one list',
    );
  });

  it('reads deliverAt and the list time zone (default UTC), and says in one line each what is wrong', () => {
    const ok = validateConfig(
      {
        ...example,
        lists: example.lists.map((l, i) =>
          i === 0 ? { ...l, deliverAt: '07:30', timeZone: 'Asia/Tokyo' } : l,
        ),
      },
      'c.ts',
    );
    expect([
      ok.lists[0]?.deliverAt,
      ok.lists[0]?.timeZone,
      ok.lists[1]?.deliverAt,
      ok.lists[1]?.timeZone,
    ]).toEqual(['07:30', 'Asia/Tokyo', undefined, 'UTC']);
    const error = errorOf(() =>
      validateConfig(
        { ...example, lists: example.lists.map((l) => ({ ...l, deliverAt: '8am', timeZone: 'CET' })) },
        'c.ts',
      ),
    );
    const lines = error.message.split('\n');
    expect(lines).toContain('c.ts: lists[0].deliverAt: must be a 24-hour time like "08:00" (HH:MM)');
    expect(lines).toContain(
      'c.ts: lists[1].timeZone: must be an IANA time zone like "Europe/Berlin" or "UTC"',
    );
  });
});
