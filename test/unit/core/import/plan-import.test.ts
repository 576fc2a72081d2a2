import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  type ImportPlan,
  planImport,
  protectCell,
  unprotectCell,
} from '../../../../functions/core/import/index.ts';

const LISTS = { podcast: 'instant', essays: 'weekly' } as const;
const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/import/${name}`, import.meta.url), 'utf8');
const plan = (name: string, listId = 'podcast'): ImportPlan =>
  planImport(fixture(name), { listId, lists: LISTS, source: name });
const row = (p: ImportPlan, email: string) =>
  p.rows.find((r) => r.email.toLowerCase() === email.toLowerCase());

describe('detectFormat', () => {
  it('tells each export apart from its header row', () => {
    expect(detectFormat(['\uFEFFemail', 'name'])).toBe('generic');
    expect(
      detectFormat('email,active_subscription,expiry,email_disabled,prefer_digests,created_at'.split(',')),
    ).toBe('substack');
    expect(
      detectFormat('email,expiry,email_disabled,prefer_digests,stripe_connected_customer_id,type'.split(',')),
    ).toBe('substack');
    expect(detectFormat(['Email Address', 'First Name', 'OPTIN_TIME'])).toBe('mailchimp-subscribed');
    expect(detectFormat(['Email Address', 'UNSUB_TIME'])).toBe('mailchimp-unsubscribed');
    expect(detectFormat(['Email Address', 'CLEAN_TIME'])).toBe('mailchimp-cleaned');
    expect(detectFormat('id,email,name,note,subscribed_to_emails,created_at'.split(','))).toBe('ghost');
    expect(detectFormat(['email', 'name', 'attributes'])).toBe('listmonk');
    expect(detectFormat(['address', 'name'])).toBeUndefined();
  });
});

describe('planImport: generic CSV with a BOM, CRLF, quotes and bad rows', () => {
  const p = plan('generic.csv');

  it('reads the email column despite the byte-order mark, and quoted commas, quotes and line breaks', () => {
    expect(p.format).toBe('generic');
    expect(row(p, 'ada@example.com')?.name).toBe('Lovelace, Ada');
    expect(row(p, 'bob@example.org')?.name).toBe('Bob "The Builder"');
    expect(row(p, 'carol@example.net')?.name).toBe('Carol\nTwo-Lines');
  });

  it('normalizes the address: domain lowercased, local part kept', () => {
    expect(row(p, 'bob@example.org')?.email).toBe('Bob@example.org');
  });

  it('reports each bad row with its line number and reason, and keeps the good ones', () => {
    expect(p.problems.map((x) => [x.line, x.code])).toEqual([
      [6, 'invalid-email'],
      [8, 'column-count'],
      [9, 'bad-cadence'],
      [10, 'unknown-list'],
    ]);
    expect(p.rows.map((r) => r.email)).toEqual([
      'ada@example.com',
      'Bob@example.org',
      'carol@example.net',
      'dave@example.com',
      'hugo@example.com',
      'ivy@example.com',
    ]);
    expect(p.records).toBe(11);
  });

  it('keeps lists, cadence, consent time and IP, and other columns as attributes', () => {
    const ada = row(p, 'ada@example.com');
    expect(Object.keys(ada?.memberships ?? {})).toEqual(['podcast', 'essays']);
    expect(ada?.memberships.essays).toMatchObject({
      status: 'subscribed',
      cadence: 'weekly',
      consent: {
        at: '2025-11-02T09:15:00.000Z',
        ip: '203.0.113.7',
        method: 'import:generic',
        source: 'generic.csv',
      },
    });
    expect(ada?.attributes).toEqual({ company: 'Analytical Engines' });
  });

  it('never makes an unsubscribed, cleaned or complained row an active member', () => {
    expect(row(p, 'carol@example.net')?.memberships.podcast?.status).toBe('unsubscribed');
    expect(row(p, 'dave@example.com')).toMatchObject({
      memberships: {},
      suppression: { reason: 'hard-bounce' },
    });
    expect(row(p, 'hugo@example.com')).toMatchObject({
      memberships: {},
      suppression: { reason: 'complaint' },
    });
    expect(row(p, 'ivy@example.com')?.memberships.podcast?.status).toBe('pending');
  });
});

describe('planImport: Substack', () => {
  it('turns email_disabled into unsubscribed and prefer_digests into weekly, keeping signup times', () => {
    const p = plan('substack-all.csv');
    expect(p.format).toBe('substack');
    expect(row(p, 'reader1@example.com')?.memberships.podcast).toMatchObject({
      status: 'subscribed',
      cadence: 'instant',
      consent: { at: '2024-01-15T10:22:31.000Z', method: 'import:substack' },
    });
    expect(row(p, 'reader2@example.com')?.memberships.podcast?.cadence).toBe('weekly');
    expect(row(p, 'reader2@example.com')?.attributes.substack_paid).toBe('true');
    expect(row(p, 'gone@example.com')?.memberships.podcast?.status).toBe('unsubscribed');
  });

  it('reads the paid export too, without keeping the Stripe id', () => {
    const p = plan('substack-paid.csv', 'essays');
    expect(row(p, 'patron@example.com')).toMatchObject({
      attributes: { substack_type: 'founding', substack_expiry: '2026-06-01T00:00:00.000Z' },
      memberships: { essays: { status: 'subscribed', cadence: 'weekly' } },
    });
    expect(JSON.stringify(p.rows)).not.toContain('cus_');
    expect(row(p, 'lapsed@example.com')?.memberships.essays?.status).toBe('unsubscribed');
  });
});

describe('planImport: Mailchimp', () => {
  it('keeps OPTIN/CONFIRM times and IPs as consent evidence, merge fields and tags as attributes', () => {
    const p = plan('mailchimp-subscribed.csv');
    expect(p.format).toBe('mailchimp-subscribed');
    expect(p.problems).toEqual([]);
    expect(row(p, 'anna@example.com')).toMatchObject({
      name: 'Anna Schmidt',
      attributes: {
        address: 'Hauptstr. 1, 10115 Berlin',
        phone_number: '+49 30 123456',
        tags: '"VIP","Podcast"',
      },
      memberships: {
        podcast: {
          status: 'subscribed',
          consent: {
            at: '2021-03-01T09:00:00.000Z',
            ip: '192.0.2.10',
            confirmedAt: '2021-03-01T09:05:12.000Z',
            confirmedIp: '192.0.2.10',
            method: 'import:mailchimp',
          },
        },
      },
    });
  });

  it('imports the unsubscribed export as unsubscribed, with when and why', () => {
    const p = plan('mailchimp-unsubscribed.csv');
    expect(p.format).toBe('mailchimp-unsubscribed');
    expect(row(p, 'quit@example.com')?.memberships.podcast).toMatchObject({
      status: 'unsubscribed',
      unsubscribedAt: '2023-09-09T09:09:09.000Z',
      unsubscribeReason: 'import:mailchimp I no longer want to receive these emails',
    });
  });

  it('imports the cleaned export as hard-bounce suppressions, not members', () => {
    const p = plan('mailchimp-cleaned.csv');
    expect(row(p, 'bounce@example.com')).toMatchObject({
      memberships: {},
      suppression: { reason: 'hard-bounce', at: '2022-02-02T02:02:02.000Z' },
    });
  });
});

describe('planImport: Ghost and listmonk', () => {
  it('makes Ghost members who are not subscribed to emails, or deleted, unsubscribed', () => {
    const p = plan('ghost.csv', 'essays');
    expect(p.format).toBe('ghost');
    expect(row(p, 'member@example.com')).toMatchObject({
      name: 'Mia Member',
      attributes: {
        labels: 'VIP, Beta',
        note: 'Met at the conference, Lyon',
        ghost_id: '6390a1b2c3d4e5f601234567',
      },
      memberships: { essays: { status: 'subscribed', consent: { at: '2022-12-07T14:03:22.000Z' } } },
    });
    expect(row(p, 'quiet@example.com')?.memberships.essays?.status).toBe('unsubscribed');
    expect(row(p, 'deleted@example.com')?.memberships.essays).toMatchObject({
      status: 'unsubscribed',
      unsubscribedAt: '2024-03-01T00:00:00.000Z',
    });
  });

  it('reads listmonk attributes JSON, reports broken JSON on its line, and suppresses blocklisted rows', () => {
    const p = plan('listmonk.csv');
    expect(p.format).toBe('listmonk');
    expect(row(p, 'lm1@example.com')?.attributes).toEqual({
      city: 'Bengaluru',
      projects: '3',
      tags: '["a","b"]',
    });
    expect(row(p, 'lm1@example.com')?.memberships.podcast?.consent?.at).toBe('2024-05-01T10:00:00.000Z');
    expect(p.problems).toEqual([
      { line: 3, code: 'bad-attributes-json', message: 'the attributes column is not valid JSON' },
    ]);
    expect(row(p, 'lm3@example.com')).toMatchObject({ memberships: {}, suppression: { reason: 'manual' } });
  });

  it('imports listmonk disabled as unsubscribed and reports an unknown status on its line', () => {
    const p = planImport(
      'uuid,email,name,attributes,status\n' +
        'u1,on@example.com,On,{},enabled\n' +
        'u2,off@example.com,Off,{},disabled\n' +
        'u3,odd@example.com,Odd,{},paused\n',
      { listId: 'podcast', lists: LISTS, source: 'lm.csv' },
    );
    expect(row(p, 'on@example.com')?.memberships.podcast?.status).toBe('subscribed');
    expect(row(p, 'off@example.com')?.memberships.podcast?.status).toBe('unsubscribed');
    expect(row(p, 'odd@example.com')).toBeUndefined();
    expect(p.problems.map((x) => [x.line, x.code])).toEqual([[4, 'bad-status']]);
  });
});

describe('planImport: one address on several rows', () => {
  it("merges one row per list into one subscriber, keeping each list's status", () => {
    const p = planImport(
      'email,lists,status\nada@example.com,podcast,subscribed\nada@example.com,essays,unsubscribed\n',
      { listId: 'podcast', lists: LISTS, source: 'x.csv' },
    );
    expect(p.rows).toHaveLength(1);
    expect(row(p, 'ada@example.com')?.memberships.podcast?.status).toBe('subscribed');
    expect(row(p, 'ada@example.com')?.memberships.essays?.status).toBe('unsubscribed');
    expect(p.problems).toEqual([]);
  });

  it('keeps the opt-out when two rows contradict each other on one list, and reports it', () => {
    const p = planImport(
      'email,lists,status\nbea@example.com,podcast,unsubscribed\nbea@example.com,podcast,subscribed\n',
      { listId: 'podcast', lists: LISTS, source: 'x.csv' },
    );
    expect(row(p, 'bea@example.com')?.memberships.podcast?.status).toBe('unsubscribed');
    expect(p.problems.map((x) => [x.line, x.code])).toEqual([[3, 'conflict']]);
    expect(p.problems[0]?.message).toContain('kept unsubscribed');
  });
});

describe('planImport: refusals', () => {
  it('says which columns it saw when it cannot tell the format', () => {
    expect(() =>
      planImport('address,name\na@example.com,A\n', { listId: 'podcast', lists: LISTS, source: 'x.csv' }),
    ).toThrow(/cannot tell the format.*address,name/);
  });

  it('refuses a forced format that would subscribe people the file says opted out', () => {
    const force = (name: string, format: 'generic' | 'mailchimp-subscribed' | 'substack') => () =>
      planImport(fixture(name), { listId: 'podcast', lists: LISTS, source: name, format });
    expect(force('mailchimp-unsubscribed.csv', 'mailchimp-subscribed')).toThrow(
      /mailchimp-unsubscribed export.*drop --format/,
    );
    expect(force('substack-all.csv', 'generic')).toThrow(/substack export/);
    expect(force('ghost.csv', 'generic')).toThrow(/ghost export/);
    expect(() =>
      planImport('email,status\na@example.com,unsubscribed\n', {
        listId: 'podcast',
        lists: LISTS,
        source: 'x.csv',
        format: 'substack',
      }),
    ).toThrow(/would ignore the status column status/);
  });

  it('takes a forced format that reads every status column there is', () => {
    const p = planImport('email,status\na@example.com,disabled\n', {
      listId: 'podcast',
      lists: LISTS,
      source: 'x.csv',
      format: 'listmonk',
    });
    expect(p.format).toBe('listmonk');
    expect(row(p, 'a@example.com')?.memberships.podcast?.status).toBe('unsubscribed');
  });

  it('takes a status or column named like an object built-in as plain text, never a prototype member', () => {
    const opts = { listId: 'podcast', lists: LISTS, source: 'x.csv' } as const;
    const listmonk = planImport('email,name,attributes,status\na@example.com,A,{},constructor\n', opts);
    expect(row(listmonk, 'a@example.com')).toBeUndefined();
    expect(listmonk.problems.map((x) => [x.line, x.code])).toEqual([[2, 'bad-status']]);
    const generic = planImport('email,status\nb@example.com,tostring\n', opts);
    expect(row(generic, 'b@example.com')).toBeUndefined();
    expect(generic.problems.map((x) => x.code)).toEqual(['bad-status']);
    const forced = planImport('email,constructor\nc@example.com,x\n', { ...opts, format: 'generic' });
    expect(row(forced, 'c@example.com')?.memberships.podcast?.status).toBe('subscribed');
  });

  it('refuses a --list that is not in the config', () => {
    expect(() =>
      planImport('email\na@example.com\n', { listId: 'nope', lists: LISTS, source: 'x.csv' }),
    ).toThrow(/--list nope: no such list/);
  });

  it('reports a stray quote on its line and goes on with the next rows', () => {
    const p = planImport('email,name\na@example.com,"Al"ice"\nb@example.com,Bea\n', {
      listId: 'podcast',
      lists: LISTS,
      source: 'x.csv',
    });
    expect(p.problems.map((x) => [x.line, x.code])).toEqual([[2, 'csv-syntax']]);
    expect(p.rows.map((r) => r.email)).toEqual(['b@example.com']);
  });
});

describe('protectCell / unprotectCell', () => {
  it('turns every formula-looking cell into text and gives each cell back exactly', () => {
    const cells = ['=1+1', '+44 20', '-3', '@SUM(A1)', '\tx', "'=quoted", "'plain", 'plain', ''];
    expect(cells.map(protectCell)).toEqual([
      "'=1+1",
      "'+44 20",
      "'-3",
      "'@SUM(A1)",
      "'\tx",
      "''=quoted",
      "'plain",
      'plain',
      '',
    ]);
    expect(cells.map(protectCell).map(unprotectCell)).toEqual(cells);
  });
});
