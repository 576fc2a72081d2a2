import { z } from 'zod';
import { LANGUAGES, overridableKeys, resolveLanguage } from '../i18n/catalogue.ts';
import { checkTimeZone, parseDeliverAt } from '../schedule/waves.ts';

/**
 * The one typed configuration, shared by the CLI, the local demo and `cdk deploy`.
 * Defaults are clamped here, where they are read, so every consumer sees the same values.
 */

const email = z.email({ error: 'must be an email address' });
const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a hex colour like #1a73e8' });
/** EventBridge Scheduler cron: six fields inside cron(…). */
const schedulerCron = z.string().regex(/^cron\((\S+\s+){5}\S+\)$/, {
  error: 'must be an EventBridge cron expression like cron(0 8 * * ? *)',
});
const listId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'must be lowercase letters, digits and dashes (max 40)' });

export const cadenceSchema = z.enum(['instant', 'daily', 'weekly']);
export type Cadence = z.infer<typeof cadenceSchema>;

export const listSchema = z.object({
  id: listId,
  name: z.string().min(1),
  /** Shown in the footer: why the reader gets this email. */
  description: z.string().min(1),
  from: z.object({ name: z.string().min(1), address: email }),
  replyTo: email.optional(),
  defaultCadence: cadenceSchema.default('instant'),
  digest: z
    .object({
      daily: schedulerCron.default('cron(0 8 * * ? *)'),
      weekly: schedulerCron.default('cron(0 8 ? * MON *)'),
      timezone: z.string().min(1).default('UTC'),
    })
    .prefault({}),
  template: z.enum(['post']).default('post'),
  /** Send a welcome email after confirmation. */
  welcome: z.boolean().default(false),
  /**
   * BCP 47 tag of the language tidings writes this list's emails in (greeting, footer, buttons, journey
   * emails, dates), e.g. `es`, `de-AT`, `zh-CN`, `ar`; right-to-left languages get `dir="rtl"`. Default:
   * `site.lang`. Must have a catalogue (core/i18n/catalogues).
   */
  language: z.string().min(1).optional(),
  /**
   * Send each edition at this local time (`HH:MM`, 24-hour) in every reader's own time zone: the edition
   * goes out in up to 24 waves (core/schedule/waves.ts). Readers with no known zone get it at this time in
   * `timeZone`. Default: no waves, everyone at once. Publish editions only; digests keep their cron.
   */
  deliverAt: z
    .string()
    .refine((v) => parseDeliverAt(v) !== undefined, {
      error: 'must be a 24-hour time like "08:00" (HH:MM)',
    })
    .optional(),
  /** The IANA time zone of readers whose own zone is unknown, for `deliverAt`. */
  timeZone: z
    .string()
    .refine((v) => checkTimeZone(v) !== undefined, {
      error: 'must be an IANA time zone like "Europe/Berlin" or "UTC"',
    })
    .default('UTC'),
});
export type ListConfig = z.infer<typeof listSchema>;

export const feedSchema = z.object({
  id: listId,
  url: httpsUrl,
  /** Lists the feed's new items go to; default: every list. */
  lists: z.array(listId).optional(),
  /** EventBridge Scheduler rate or cron for polling. */
  schedule: z.string().default('rate(15 minutes)'),
});
export type FeedConfig = z.infer<typeof feedSchema>;

export const configSchema = z
  .object({
    site: z.object({
      name: z.string().min(1),
      url: httpsUrl,
      logo: httpsUrl.optional(),
      brandColor: colour.default('#1a73e8'),
      font: z.string().default('Helvetica, Arial, sans-serif'),
      /** CAN-SPAM: a valid postal address in every message. */
      postalAddress: z.string().min(5),
      lang: z.string().default('en'),
    }),
    /** Where subscriber-facing pages live (unsubscribe, preferences, confirm). */
    publicUrl: httpsUrl,
    sending: z.object({
      domain: z
        .string()
        .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, { error: 'must be a domain like news.example.com' }),
      /** Custom MAIL FROM subdomain (e.g. bounce.news.example.com). */
      mailFromDomain: z.string().optional(),
      /**
       * Messages per second; the sender uses the lower of this and SES's MaxSendRate. Up to what SES grants
       * production accounts (tens of thousands a second); the send queue's maximum concurrency is derived
       * from it (infra/constructs/send-pipeline.ts, sendPacing). See docs/delivery.md on a new table's
       * DynamoDB warm-up at high rates.
       */
      maxRate: z.number().positive().max(50_000).default(14),
      configurationSet: z.string().default('tidings'),
      /** The mailto: half of List-Unsubscribe. */
      unsubscribeMailto: email.optional(),
      /** Gmail clips at 102 KB; stay under it. */
      htmlBudgetKb: z.number().int().min(20).max(1000).default(100),
    }),
    lists: z.array(listSchema).min(1, { error: 'define at least one list' }),
    feeds: z.array(feedSchema).default([]),
    ops: z.object({ alarmEmail: email.optional() }).prefault({}),
    /**
     * The author's own words for any string tidings writes, by language (a catalogue id like `es`, or an
     * exact tag like `es-MX`), then by key of the English catalogue (core/i18n/catalogues/en.ts), plural keys
     * in the language's forms (`email.morePosts_one`, `…_other`).
     */
    strings: z.record(z.string(), z.record(z.string(), z.string())).default({}),
    /** Where and how `cdk deploy` puts the stacks. Every field is optional. */
    aws: z
      .object({
        /** Region to deploy to; default: the CLI's (CDK_DEFAULT_REGION). */
        region: z
          .string()
          .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: 'must be an AWS Region like eu-west-1' })
          .optional(),
        /** Account to deploy to; default: the CLI's (CDK_DEFAULT_ACCOUNT). */
        account: z
          .string()
          .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })
          .optional(),
        /**
         * An ACM certificate for the host of publicUrl, in us-east-1 (CloudFront reads certificates only
         * there). Default: `cdk deploy` creates one, validated by DNS, in a `<prefix>-certificate` stack.
         */
        certificateArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/, {
            error:
              'must be the ARN of an ACM certificate in us-east-1 (CloudFront reads certificates only there)',
          })
          .optional(),
        /** Prefix of the stack names: `<prefix>-stateful` and `<prefix>-stateless`. */
        stackPrefix: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, {
            error: 'must start with a letter; letters, digits, dashes',
          })
          .default('Tidings'),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const site = resolveLanguage(cfg.site.lang);
    if (!site.ok) ctx.addIssue({ code: 'custom', path: ['site', 'lang'], message: site.reason });
    cfg.lists.forEach((l, i) => {
      if (l.language === undefined) return;
      const lang = resolveLanguage(l.language);
      if (!lang.ok)
        ctx.addIssue({
          code: 'custom',
          path: ['lists', i, 'language'],
          message: `list "${l.id}": ${lang.reason}`,
        });
    });
    for (const [tag, strings] of Object.entries(cfg.strings)) {
      const lang = resolveLanguage(tag);
      if (!lang.ok) {
        ctx.addIssue({ code: 'custom', path: ['strings', tag], message: lang.reason });
        continue;
      }
      const keys = overridableKeys(lang.id);
      for (const key of Object.keys(strings)) {
        if (!keys.has(key))
          ctx.addIssue({
            code: 'custom',
            path: ['strings', tag, key],
            message: `unknown string key for ${lang.id}; the keys are those of functions/core/i18n/catalogues/${lang.id}.ts (${LANGUAGES.join(', ')} ship)`,
          });
      }
    }
    const ids = new Set<string>();
    cfg.lists.forEach((l, i) => {
      if (ids.has(l.id))
        ctx.addIssue({ code: 'custom', path: ['lists', i, 'id'], message: `duplicate list id "${l.id}"` });
      ids.add(l.id);
      if (
        !l.from.address.endsWith(`@${cfg.sending.domain}`) &&
        !l.from.address.endsWith(`.${cfg.sending.domain}`)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['lists', i, 'from', 'address'],
          message: `must be an address at the sending domain ${cfg.sending.domain}`,
        });
      }
    });
    cfg.feeds.forEach((f, i) => {
      for (const id of f.lists ?? []) {
        if (!ids.has(id))
          ctx.addIssue({ code: 'custom', path: ['feeds', i, 'lists'], message: `unknown list "${id}"` });
      }
    });
  });

/** What a config file may contain (defaults not yet applied). */
export type ConfigInput = z.input<typeof configSchema>;
/** A validated configuration with every default applied. */
export type Config = z.infer<typeof configSchema>;
