// Writes examples/subscribers.csv: about 1,000 synthetic subscribers for the demo and the tests, in
// the generic import format (docs/table-design.md and `tidings subscribers import --help` describe it).
// Deterministic: the same file every run. Addresses use the reserved example.com/.org/.net domains and
// IPs come from the documentation ranges (RFC 5737), so nothing here is anyone's real data.
//
//   node --import tsx examples/generate-subscribers.ts
import { writeFileSync } from 'node:fs';

const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Radia',
  'Tim',
  'Frances',
  'Edsger',
  'Katherine',
  'Donald',
  'Hedy',
  'John',
  'Zoë',
  'José',
  'Åsa',
  'Chloé',
  'Mei',
  'Ravi',
  'Amara',
  'Noah',
  'Olu',
  'Yuki',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  'Allen',
  'Dijkstra',
  'Johnson',
  'Knuth',
  'Lamarr',
  "O'Neil",
  'Núñez',
  'Lindqvist',
  'Dubois',
  'Chen',
  'Patel',
  'Okafor',
  'Smith, Jr.',
  'Adeyemi',
  'Tanaka',
  'Müller',
];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const CITIES = ['Lyon', 'Berlin', 'Lagos', 'Osaka', 'Toronto', 'São Paulo', 'Pune', 'Austin', ''];
const NETS = ['192.0.2', '198.51.100', '203.0.113'];

let seed = 20260401;
function rand(): number {
  seed = (seed * 1664525 + 1013904223) % 2 ** 32;
  return seed / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const rows: string[][] = [];
for (let i = 0; i < 1000; i++) {
  const first = pick(FIRST);
  const last = pick(LAST);
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .replace(/\.+/g, '.')
    .replace(/\.$/, '')
    .toLowerCase();
  const email = `${local}.${i}@${pick(DOMAINS)}`;
  const r = rand();
  const lists = r < 0.45 ? 'podcast' : r < 0.75 ? 'essays' : 'podcast;essays';
  const c = rand();
  const cadence = c < 0.6 ? 'instant' : c < 0.8 ? 'daily' : 'weekly';
  const s = rand();
  const status =
    s < 0.88
      ? 'subscribed'
      : s < 0.94
        ? 'unsubscribed'
        : s < 0.96
          ? 'pending'
          : s < 0.98
            ? 'bounced'
            : s < 0.99
              ? 'complained'
              : 'suppressed';
  const created = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 3 * 365 * 86_400_000)).toISOString();
  const ip = rand() < 0.7 ? `${pick(NETS)}.${1 + Math.floor(rand() * 254)}` : '';
  // A few addresses written the way people type them: capitals, spaces around.
  const written =
    i % 97 === 0
      ? `  ${email.toUpperCase().replace(/@.*/, '')}@${email.split('@')[1]?.toUpperCase()} `
      : email;
  rows.push([written, `${first} ${last}`, lists, cadence, status, created, ip, pick(CITIES)]);
}
// Rows an import must refuse, each for a different reason (reported with their line numbers).
const bad: string[][] = [
  ['jane.doe@', 'Jane Doe', 'podcast', 'instant', 'subscribed', '2024-05-01T10:00:00.000Z', '', ''],
  ['no-at-sign.example.com', 'No At', 'essays', 'weekly', 'subscribed', '2024-05-02T10:00:00.000Z', '', ''],
  ['two..dots@example.com', 'Two Dots', 'podcast', 'daily', 'subscribed', '2024-05-03T10:00:00.000Z', '', ''],
  [
    'newsletter.fan@example.org',
    'Wrong List',
    'newsletter',
    'instant',
    'subscribed',
    '2024-05-04T10:00:00.000Z',
    '',
    '',
  ],
  [
    'monthly.reader@example.net',
    'Wrong Cadence',
    'essays',
    'monthly',
    'subscribed',
    '2024-05-05T10:00:00.000Z',
    '',
    '',
  ],
  ['short.row@example.com', 'Short Row', 'podcast'],
];
for (const [k, b] of bad.entries()) rows.splice(100 + k * 150, 0, b);

const header = ['email', 'name', 'lists', 'cadence', 'status', 'created_at', 'ip', 'city'];
const text = [header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n');
writeFileSync(new URL('./subscribers.csv', import.meta.url), `${text}\r\n`);
process.stdout.write(`wrote examples/subscribers.csv: ${rows.length} rows (${bad.length} invalid)\n`);
