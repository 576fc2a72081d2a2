import { defineConfig } from '../functions/core/config/validate.ts';

// The example configuration: the local demo and the tests use it, and `cdk deploy` reads the same shape.
// Copy it to ./tidings.config.ts and change the values for your site.
export default defineConfig({
  site: {
    name: 'Signal & Noise',
    url: 'https://signal-noise.example.com',
    logo: 'https://signal-noise.example.com/logo.png',
    brandColor: '#5b3cc4',
    font: 'Helvetica, Arial, sans-serif',
    postalAddress: 'Signal & Noise, 548 Market St #1234, San Francisco, CA 94104, USA',
    lang: 'en',
  },
  publicUrl: 'https://news.signal-noise.example.com',
  sending: {
    domain: 'signal-noise.example.com',
    mailFromDomain: 'bounce.signal-noise.example.com',
    maxRate: 14,
    configurationSet: 'tidings',
    unsubscribeMailto: 'unsubscribe@signal-noise.example.com',
    htmlBudgetKb: 100,
  },
  lists: [
    {
      id: 'podcast',
      name: 'Signal & Noise: the podcast',
      description: 'You subscribed to new episodes of the Signal & Noise podcast.',
      from: { name: 'Signal & Noise', address: 'hello@signal-noise.example.com' },
      replyTo: 'editors@signal-noise.example.com',
      defaultCadence: 'instant',
      digest: { daily: 'cron(0 8 * * ? *)', weekly: 'cron(0 8 ? * MON *)', timezone: 'Europe/Paris' },
      welcome: true,
      // The language tidings writes this list's emails in (BCP 47: en, es, de, fr, zh, ar, with a region if
      // you like); default: site.lang. A post's archive page speaks its first list's language; the archive's
      // index and the pages about no one list, the first list's.
      language: 'en',
      // Send each post at 08:00 on every reader's own clock, in up to 24 time-zone waves (their zone comes
      // from the sign-up form, with consent, or an import); timeZone is for readers whose zone is unknown.
      // deliverAt: '08:00',
      // timeZone: 'Europe/Paris',
    },
    {
      id: 'essays',
      name: 'Signal & Noise: essays',
      description: 'You subscribed to essays and notes from Signal & Noise.',
      from: { name: 'Ada at Signal & Noise', address: 'ada@signal-noise.example.com' },
      defaultCadence: 'weekly',
      digest: { daily: 'cron(0 7 * * ? *)', weekly: 'cron(0 7 ? * SAT *)', timezone: 'America/New_York' },
    },
  ],
  feeds: [
    {
      id: 'main',
      url: 'https://signal-noise.example.com/feed.xml',
      lists: ['podcast'],
      schedule: 'rate(15 minutes)',
    },
  ],
  ops: { alarmEmail: 'ops@signal-noise.example.com' },
  // Your own words for any string tidings writes, by language, then by key of the English catalogue
  // (functions/core/i18n/catalogues/en.ts); plural keys per form: 'email.morePosts_one', '…_other'.
  // strings: { en: { 'email.readThemOn': 'Read the rest on {{site}}' }, es: { 'email.greeting': '¡Hola, {{name}}!' } },
  // Where `cdk deploy` puts the stacks. Without aws.certificateArn, the certificate of publicUrl is created
  // (DNS-validated) in us-east-1 for CloudFront, which needs a concrete Region here or in the AWS CLI's.
  aws: { region: 'eu-west-1' },
});
