import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { loadOrCreateLocalKeyRing } from '../../adapters/fs/keyring-file.ts';
import { loadPosts } from '../../adapters/fs/post-source.ts';
import { loadTemplates } from '../../adapters/fs/templates.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Post } from '../../core/posts/post.ts';
import { selectPost } from '../../core/posts/select-post.ts';
import { checkSendAt } from '../../core/schedule/send-at.ts';
import type { KeyRing } from '../../core/tokens/tokens.ts';
import { systemClock } from '../../ports/clock.ts';
import { makeRenderFn } from '../../use-cases/edition-message/compile.ts';
import type { DryRunResult } from '../../use-cases/publish-post.ts';
import type { App } from '../../wiring/app.ts';
import { cliApp, type Target, type TargetFlags } from '../../wiring/cli.ts';
import { publishToStack } from '../../wiring/publish-to-stack.ts';
import { countOf, outcomeLine, watchEditions } from '../delivery-ui.ts';
import { withTarget } from '../target-options.ts';

interface PublishOptions extends TargetFlags {
  readonly post?: string;
  readonly list?: string;
  readonly resend?: boolean;
  readonly dryRun?: boolean;
  readonly to?: string;
  readonly at?: string;
  readonly out: string;
  readonly json?: boolean;
  readonly wait: boolean;
  readonly config?: string;
}

export function registerPublish(program: Command): void {
  withTarget(program.command('publish'))
    .description(
      'publish a post (Markdown file or feed) to its lists: one edition per list, sent to instant subscribers',
    )
    .argument('<source>', 'a Markdown file, a feed file, or a feed URL')
    .option('--post <id>', 'which item of a feed (default: the newest)')
    .option('--list <id>', 'only this list')
    .option('--resend', 'send an edited post again to people who got an earlier version')
    .option('--dry-run', 'send nothing: list who would get what and write the previews')
    .option(
      '--to <addresses>',
      'send a test message to these addresses, comma-separated (subject marked [TEST]; no ledger, no subscribers)',
    )
    .option(
      '--at <time>',
      'send later: at this date and time, with its offset (2026-03-01T09:00:00+01:00); like front matter sendAt',
    )
    .option('--out <dir>', 'where --dry-run writes previews', 'out/preview')
    .option('--no-wait', 'return once the editions are planned, without waiting for the sends')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .action(async (source: string, options: PublishOptions) => {
      refuseCombinations(options);
      // On AWS a post is published by putting it in the posts bucket; the deployed functions do the rest.
      // A dry run only reads, so it runs here against the deployed table; a test send goes through SES from
      // here and touches no table.
      if (options.at) return scheduleCommand(source, options);
      if (options.stack && !options.dryRun && !options.to) return publishToStackCommand(source, options);
      const { config } = await loadConfig(options.config);
      const post = selectPost(await loadPosts(source, { siteUrl: config.site.url }), options.post, {
        source,
      });
      const render = makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock });
      // A test message's links need a key to be signed with. On a stack the deployed key stays in Secrets
      // Manager: a test message signs with a throwaway key, so its unsubscribe and preferences links are
      // inert (they name no subscriber either), and the operator needs no access to the secret.
      const keyRing = options.stack
        ? options.to
          ? throwawayKeyRing()
          : undefined
        : await loadOrCreateLocalKeyRing();
      const { app, target } = await cliApp(
        options,
        { config, render, ...(keyRing ? { keyRing } : {}) },
        { queue: !options.dryRun && !options.to },
      );
      try {
        if (options.to) await testSend(app, post, options, target);
        else if (options.dryRun) await dryRun(app, post, options);
        else if (post.sendAt !== undefined && !post.draft) await schedule(app, post, post.sendAt, options);
        else await publish(app, post, options);
      } finally {
        app.destroy();
      }
    });
}

/** Options that ask for two different things: one line, before anything is read or sent. */
function refuseCombinations(options: PublishOptions): void {
  if (options.dryRun && options.to) {
    throw new InvalidInputError(
      'OPTION_INVALID',
      '--dry-run sends nothing and --to sends a test message: use one of them',
    );
  }
  if (options.at && (options.dryRun || options.to)) {
    throw new InvalidInputError(
      'OPTION_INVALID',
      `--at schedules the real send; ${options.dryRun ? '--dry-run' : '--to'} happens now: run it without --at first`,
    );
  }
  if (options.to && options.resend) {
    throw new InvalidInputError(
      'OPTION_INVALID',
      '--resend is about an edition already sent to subscribers; a test message (--to) has no edition to resend: drop --resend',
    );
  }
}

function throwawayKeyRing(): KeyRing {
  return { current: { id: 'test-send', secret: new Uint8Array(randomBytes(32)) } };
}

async function publish(app: App, post: Post, options: PublishOptions): Promise<void> {
  const result = await app.publish(post, {
    ...(options.list ? { list: options.list } : {}),
    resend: Boolean(options.resend),
  });
  const planned = result.lists.flatMap((l) => (l.action === 'planned' ? [l.editionId] : []));
  const finals = options.wait && planned.length ? await watchEditions((id) => app.status(id), planned) : [];
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...result, editions: finals }, null, 2)}\n`);
    return;
  }
  const out = process.stdout;
  out.write(`${post.title} (${post.id}, version ${result.version}, ${result.post})\n`);
  for (const l of result.lists) {
    if (l.action === 'planned') {
      const final = finals.find((f) => f.id === l.editionId);
      out.write(
        `  ${l.listId.padEnd(12)} ${l.editionId}: ${l.resumed ? 'resumed, ' : ''}${countOf(l.plan?.enqueued, 'recipient')} queued${final ? `; ${outcomeLine(final)}` : ''}${final?.paused ? `; paused (${final.paused.reason}): \`${final.paused.resume}\`` : ''}\n`,
      );
    } else if (l.action === 'already-sent') {
      out.write(`  ${l.listId.padEnd(12)} already sent as ${l.editionId}: nothing new to send\n`);
    } else if (l.action === 'edited') {
      out.write(
        `  ${l.listId.padEnd(12)} edited since ${l.previousEditionId} went out: run again with --resend to send the new version\n`,
      );
    } else {
      out.write(
        `  ${l.listId.padEnd(12)} ${l.action === 'digest-only' ? 'goes out in the next digest' : 'not sent'} (${l.reason})\n`,
      );
    }
  }
}

type DryRunList = DryRunResult['lists'][number];
/** A dry run's list as printed: the rendering replaced by the preview files it was written to. */
type DryRunLine =
  | Exclude<DryRunList, { readonly recipients: number }>
  | (Omit<Extract<DryRunList, { readonly recipients: number }>, 'rendered'> & {
      readonly subject?: string;
      readonly preview?: { readonly html: string; readonly text: string };
      readonly warnings?: readonly string[];
    });

/** Lists who would get what, and writes each edition's preview; sends and records nothing. */
async function dryRun(app: App, post: Post, options: PublishOptions): Promise<void> {
  const result = await app.dryRunPublish(post, {
    ...(options.list ? { list: options.list } : {}),
    resend: Boolean(options.resend),
  });
  await mkdir(options.out, { recursive: true });
  const report: DryRunLine[] = [];
  for (const l of result.lists) {
    if (!('recipients' in l) || !l.rendered) {
      report.push(l);
      continue;
    }
    const { rendered, ...rest } = l;
    const base = join(options.out, l.editionId);
    await writeFile(`${base}.html`, rendered.html);
    await writeFile(`${base}.txt`, rendered.text);
    report.push({
      ...rest,
      subject: rendered.subject,
      preview: { html: `${base}.html`, text: `${base}.txt` },
      warnings: rendered.warnings.map((w) => w.code),
    });
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...result, lists: report }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${post.title} (${post.id}): dry run, nothing sent\n`);
  for (const r of report) process.stdout.write(dryRunLines(r));
}

function dryRunLines(r: DryRunLine): string {
  const pad = ''.padEnd(12);
  if (!('recipients' in r) || !r.preview)
    return `  ${r.listId.padEnd(12)} ${r.action} (${'reason' in r ? r.reason : ''})\n`;
  const head =
    r.action === 'already-sent'
      ? `already sent as ${r.editionId}: nothing new would go out`
      : r.action === 'edited'
        ? `edited since ${r.previousEditionId} went out: nothing would go out without --resend`
        : `would send ${r.editionId} to ${countOf(r.recipients, 'instant subscriber')} (${r.suppressed} suppressed left out)`;
  return (
    `  ${r.listId.padEnd(12)} ${head}\n` +
    `  ${pad} e.g. ${r.sample.join(', ') || '(nobody)'}\n` +
    `  ${pad} preview: ${r.preview.html}, ${r.preview.text}\n`
  );
}

/** Test messages to the --to addresses: the real rendering and MIME, no subscribers, no ledger. */
async function testSend(app: App, post: Post, options: PublishOptions, target: Target): Promise<void> {
  const to = (options.to ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const result = await app.testSend(post, { to, ...(options.list ? { list: options.list } : {}) });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ test: true, ...result })}\n`);
    return;
  }
  for (const sent of result.sent)
    process.stdout.write(`test message sent to ${sent.to} (SES message id ${sent.messageId})\n`);
  process.stdout.write(
    target.kind === 'dev'
      ? `see it at ${target.dev.mailboxUrl}\n`
      : `nothing was recorded for ${result.editionId}: subscribers get it only from publish\n`,
  );
}

/**
 * `--at`: the post waits in the table (local, or the stack's) until its time: on a stack its one-time
 * schedule wakes the reconcile function then (the 5-minute pass is the backstop); locally `tidings dev`.
 */
async function scheduleCommand(source: string, options: PublishOptions): Promise<void> {
  // A wrong time is refused before anything is read or connected to.
  checkSendAt(options.at ?? '', new Date(), '--at');
  const { config } = await loadConfig(options.config);
  const post = selectPost(await loadPosts(source, { siteUrl: config.site.url }), options.post, { source });
  // On a stack the send also gets its one-time schedule (the stateless stack's send timer group).
  const { app } = await cliApp(options, { config }, { timer: true });
  try {
    await schedule(app, post, options.at ?? '', options, '--at');
  } finally {
    app.destroy();
  }
}

async function schedule(
  app: App,
  post: Post,
  at: string,
  options: PublishOptions,
  where = `${post.slug}: front matter "sendAt"`,
): Promise<void> {
  const result = await app.scheduled.add(post, at, {
    ...(options.list ? { list: options.list } : {}),
    ...(options.resend ? { resend: true } : {}),
    where,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ postId: post.id, scheduled: result }, null, 2)}
`);
    return;
  }
  const verb =
    result.outcome === 'created'
      ? 'scheduled'
      : result.outcome === 'replaced'
        ? 'rescheduled (this version replaces the waiting one)'
        : 'already going out: too late to change it';
  process.stdout.write(
    `${post.title} (${post.id}): ${verb} for ${result.at}; \`tidings scheduled\` lists what waits, \`tidings scheduled cancel ${post.id}\` cancels it
`,
  );
}

/** `--stack`: upload to the deployed posts bucket; the S3 put publishes the post on AWS. */
async function publishToStackCommand(source: string, options: PublishOptions): Promise<void> {
  // The upload publishes the file as the S3 put does on AWS: every targeted list, once. Options that ask
  // for something else would be ignored there, so they are refused here, not dropped silently.
  const refused = [
    options.list ? '--list' : '',
    options.resend ? '--resend' : '',
    options.post ? '--post' : '',
  ].filter(Boolean);
  if (refused.length) {
    throw new InvalidInputError(
      'OPTION_INVALID',
      `publish --stack uploads the post for the deployed functions, which cannot take ${refused.join(', ')}; drop ${refused.length > 1 ? 'them' : 'it'}, or use --dry-run to see who would get what, or --to to send a test`,
    );
  }
  const result = await publishToStack(source, options.stack ?? '');
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `uploaded ${source} to s3://${result.bucket}/${result.key} (${result.stackName}); the publish function sends it. Watch it with \`tidings status\`.\n`,
  );
}
