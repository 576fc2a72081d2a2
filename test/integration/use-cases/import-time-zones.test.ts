// A `timezone` / `time_zone` column on import, against DynamoDB on the emulator: each reader's zone is kept
// (Mailchimp's TIMEZONE, tidings' generic file); a zone that is not an IANA name is a bad row, and the
// all-or-nothing rule holds for it as for any bad row; a later file without the column keeps the zone.
import { describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../../functions/adapters/aws/dynamo-subscriber-store.ts';
import { DynamoSuppressionStore } from '../../../functions/adapters/aws/dynamo-suppression-store.ts';
import { importSubscribers } from '../../../functions/use-cases/import-subscribers.ts';
import { exportMembers } from '../../../functions/use-cases/manage-subscribers.ts';
import { useEmulators } from '../../helpers/emulators.ts';

const env = useEmulators();
const LISTS = { podcast: 'instant', essays: 'weekly' } as const;
let counter = 1000;

function deps() {
  const dynamo = { doc: env().clients.doc, tableName: env().tableName };
  return {
    subscribers: new DynamoSubscriberStore(dynamo),
    suppressions: new DynamoSuppressionStore(dynamo),
    clock: { now: () => new Date('2026-04-01T12:00:00.000Z') },
    randomBytes: (n: number) => {
      const b = new Uint8Array(n);
      new DataView(b.buffer).setUint32(0, ++counter);
      return b;
    },
  };
}
const run = (text: string, skipBadRows = false) =>
  importSubscribers(deps(), { text, source: 'zones.csv', listId: 'podcast', lists: LISTS, skipBadRows });
const zoneOf = async (email: string) => (await deps().subscribers.getByEmail(email))?.timeZone;
const membersZones = async () =>
  Object.fromEntries(
    (await deps().subscribers.pageByList('podcast', { status: 'subscribed' }, undefined, 100)).items.map(
      (m) => [m.email, m.timeZone ?? null],
    ),
  );

describe('importing subscribers with a time zone column', () => {
  it('refuses the whole file for one bad zone, naming the line and the column, and imports nobody', async () => {
    const text = [
      'email,name,time_zone',
      'kenji@example.jp,Kenji,Asia/Tokyo',
      'mars@example.org,Marvin,Mars/Olympus',
    ].join('\n');
    await expect(run(text)).rejects.toThrow(
      'zones.csv: line 3: bad-time-zone: column "time_zone": "Mars/Olympus" is not an IANA time zone like Europe/Berlin or America/New_York; nothing was imported',
    );
    expect(await deps().subscribers.getByEmail('kenji@example.jp')).toBeUndefined();
  });

  it('keeps each reader’s zone (generic time_zone, an empty cell is no zone), skipping a bad row when asked', async () => {
    const text = [
      'email,name,time_zone',
      'kenji@example.jp,Kenji,Asia/Tokyo',
      'greta@example.de,Greta,Europe/Berlin',
      'nobody-knows@example.org,Nora,',
      'mars@example.org,Marvin,+02:00',
    ].join('\n');
    const report = await run(text, true);
    expect(report.problems.map((p) => [p.line, p.code])).toEqual([[5, 'bad-time-zone']]);
    expect(report.created).toBe(3);
    expect(await zoneOf('kenji@example.jp')).toBe('Asia/Tokyo');
    expect(await zoneOf('greta@example.de')).toBe('Europe/Berlin');
    expect(await zoneOf('nobody-knows@example.org')).toBeUndefined();
    expect(await deps().subscribers.getByEmail('mars@example.org')).toBeUndefined();
    // The zone is the subscriber's own field, not also an attribute.
    expect((await deps().subscribers.getByEmail('kenji@example.jp'))?.attributes).toEqual({});
  });

  it('reads Mailchimp’s TIMEZONE, and a later file without the column keeps the zones', async () => {
    const mailchimp = [
      'Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS',
      'ana@example.com.br,Ana,Souza,3,2024-01-02 10:00:00,,2024-01-02 10:05:00,,,,-3,-3,America/Sao_Paulo,BR,SP,2024-01-02 10:05:00,1,a1,,',
    ].join('\n');
    const first = await run(mailchimp);
    const again = await run(['email,name', 'ana@example.com.br,Ana S.', 'kenji@example.jp,Kenji'].join('\n'));
    expect(first.format).toBe('mailchimp-subscribed');
    expect(again.problems).toEqual([]);
    expect(await zoneOf('ana@example.com.br')).toBe('America/Sao_Paulo');
    expect(await zoneOf('kenji@example.jp')).toBe('Asia/Tokyo');
    // The planner reads the zone from the list's pages, without a profile read.
    expect(await membersZones()).toMatchObject({
      'ana@example.com.br': 'America/Sao_Paulo',
      'kenji@example.jp': 'Asia/Tokyo',
      'nobody-knows@example.org': null,
    });
  });

  it('exports the zone in a time_zone column, which imports back as it was', async () => {
    const { columns, rows } = await exportMembers(deps(), { listId: 'podcast' });
    const kenji = rows.find((r) => r.email === 'kenji@example.jp');
    expect(columns).toContain('time_zone');
    expect(kenji?.time_zone).toBe('Asia/Tokyo');
    expect(rows.find((r) => r.email === 'nobody-knows@example.org')?.time_zone).toBe('');
  });
});
