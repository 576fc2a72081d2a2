import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../adapters/local/config-file.ts';
import { loadOrCreateLocalKeyRing } from '../../adapters/local/keyring-file.ts';
import { findDevStack, wireAgainstDevStack } from '../../adapters/local/local-stack.ts';
import { loadPosts } from '../../adapters/local/post-source.ts';
import { loadTemplates } from '../../adapters/local/templates.ts';
import type { ListConfig } from '../../core/config/schema.ts';
import { editionId } from '../../core/editions/edition-id.ts';
import { decidePublish } from '../../core/editions/select.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Post } from '../../core/posts/post.ts';
import { selectPost } from '../../core/posts/select-post.ts';
import { checkEmail } from '../../core/subscribers/email.ts';
import { systemClock } from '../../ports/clock.ts';
import type { ListMember } from '../../ports/subscriber-store.ts';
import { composeEdition, makeRenderFn } from '../../use-cases/edition-message/compile.ts';
import type { RenderFn } from '../../use-cases/plan-edition.ts';
import type { App } from '../../wiring.ts';
import { countOf, outcomeLine, watchEditions } from '../delivery-ui.ts';
import { publishToStack } from '../publish-to-stack.ts';

interface PublishOptions {
  readonly post?: string;
  readonly list?: string;
  readonly resend?: boolean;
  readonly dryRun?: boolean;
  readonly to?: string;
  readonly out: string;
  readonly json?: boolean;
  readonly wait: boolean;
  readonly config?: string;
  readonly stack?: string;
}

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description(
      'publish a post (Markdown file or feed) to its lists: one edition per list, sent to instant subscribers',
    )
    .argument('<source>', 'a Markdown file, a feed file, or a feed URL')
    .option('--post <id>', 'which item of a feed (default: the newest)')
    .option('--list <id>', 'only this list')
    .option('--resend', 'send an edited post again to people who got an earlier version')
    .option('--dry-run', 'send nothing: list who would get what and write the previews')
    .option('--to <address>', 'send one test message to this address (no ledger, no subscribers)')
    .option('--out <dir>', 'where --dry-run writes previews', 'out/preview')
    .option('--no-wait', 'return once the editions are planned, without waiting for the sends')
    .option('--json', 'print one JSON document')
    .option('--config <file>', 'the config file')
    .option(
      '--stack <name>',
      'upload the Markdown file to the deployed stack (its stack prefix, e.g. Tidings)',
    )
    .action(async (source: string, options: PublishOptions) => {
      if (options.stack) return publishToStackCommand(source, options.stack, Boolean(options.json));
      const { config } = await loadConfig(options.config);
      const post = selectPost(await loadPosts(source, { siteUrl: config.site.url }), options.post, {
        source,
      });
      const stack = await findDevStack({ stackOption: true });
      const render = makeRenderFn({ config, templates: () => loadTemplates(), clock: systemClock });
      const keyRing = await loadOrCreateLocalKeyRing();
      const app = wireAgainstDevStack(stack, { config, keyRing, render });
      try {
        if (options.to) await testSend(app, post, options, stack.mailboxUrl);
        else if (options.dryRun) await dryRun(app, post, options);
        else await publish(app, post, options);
      } finally {
        app.destroy();
      }
    });
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
        `  ${l.listId.padEnd(12)} ${l.editionId}: ${l.resumed ? 'resumed, ' : ''}${countOf(l.plan?.enqueued, 'recipient')} queued${final ? `; ${outcomeLine(final)}` : ''}\n`,
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

/** Lists who would get what, and writes each edition's preview; sends and records nothing. */
async function dryRun(app: App, post: Post, options: PublishOptions): Promise<void> {
  const decisions = decidePublish(post, app.config.lists, options.list);
  await mkdir(options.out, { recursive: true });
  const report = [];
  for (const d of decisions) {
    if (d.action !== 'send') {
      report.push({ listId: d.listId, action: d.action, reason: d.reason });
      continue;
    }
    const id = editionId(d.spec);
    const existing = await app.stores.editions.get(id);
    const list = app.config.lists.find((l) => l.id === d.listId);
    if (!list) continue;
    const rendered = await renderPost(app, id, post, list);
    const base = join(options.out, id);
    await writeFile(`${base}.html`, rendered.html);
    await writeFile(`${base}.txt`, rendered.text);
    const recipients: ListMember[] = [];
    let suppressed = 0;
    let cursor: string | undefined;
    do {
      const page = await app.stores.subscribers.pageByList(
        d.listId,
        { status: 'subscribed', cadence: 'instant' },
        cursor,
        500,
      );
      const blocked = await app.stores.suppressions.getMany(page.items.map((m) => m.email));
      suppressed += page.items.filter((m) => blocked.has(m.email)).length;
      recipients.push(...page.items.filter((m) => !blocked.has(m.email)));
      cursor = page.cursor;
    } while (cursor);
    report.push({
      listId: d.listId,
      action: existing?.checkpoint?.done ? 'already-sent' : 'would-send',
      editionId: id,
      subject: rendered.subject,
      recipients: recipients.length,
      suppressed,
      sample: recipients.slice(0, 10).map((r) => r.email),
      preview: { html: `${base}.html`, text: `${base}.txt` },
      warnings: rendered.warnings.map((w) => w.code),
    });
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ postId: post.id, dryRun: true, lists: report }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${post.title} (${post.id}): dry run, nothing sent\n`);
  for (const r of report) {
    if (!('recipients' in r) || !r.sample || !r.preview) {
      process.stdout.write(`  ${r.listId.padEnd(12)} ${r.action} (${'reason' in r ? r.reason : ''})\n`);
      continue;
    }
    process.stdout.write(
      `  ${r.listId.padEnd(12)} ${r.action === 'already-sent' ? 'already sent as' : 'would send'} ${r.editionId} to ${countOf(r.recipients, 'instant subscriber')} (${r.suppressed} suppressed left out)\n` +
        `  ${''.padEnd(12)} e.g. ${r.sample.join(', ') || '(nobody)'}\n` +
        `  ${''.padEnd(12)} preview: ${r.preview.html}, ${r.preview.text}\n`,
    );
  }
}

/** One test message to one address: the real rendering and MIME, no subscribers, no ledger. */
/** Renders one post as the edition `id` of `list`, with the templates in ./templates (or the built-in ones). */
function renderPost(app: App, id: string, post: Post, list: ListConfig): ReturnType<RenderFn> {
  return makeRenderFn({ config: app.config, templates: () => loadTemplates(), clock: app.clock })({
    editionId: id,
    kind: 'post',
    posts: [post],
    list,
  });
}

async function testSend(app: App, post: Post, options: PublishOptions, mailboxUrl: string): Promise<void> {
  const to = checkEmail(options.to ?? '');
  if (!to.ok) throw new InvalidInputError('ADDRESS_INVALID', `--to ${options.to}: ${to.message}`);
  const listId = options.list ?? post.lists?.[0] ?? app.config.lists[0]?.id ?? '';
  const list = app.config.lists.find((l) => l.id === listId);
  if (!list) throw new InvalidInputError('LIST_UNKNOWN', `--list ${listId}: no such list in the config`);
  const id = `test-${editionId({ listId, kind: 'publish', cadence: 'instant', posts: [post] })}`;
  const rendered = await renderPost(app, id, post, list);
  if (!app.keyRing) throw new InvalidInputError('KEYRING_MISSING', 'no signing keys for the test message');
  const prepared = composeEdition(
    { config: app.config, keyRing: app.keyRing },
    { ...rendered, subject: `[TEST] ${rendered.subject}` },
    { id, listId, cadences: ['instant'] },
  );
  const raw = prepared.build({
    subscriberId: 'test',
    email: to.email,
    deliveryId: `${id}.test-${Date.now()}`,
    now: app.clock.now(),
  });
  const { messageId } = await app.transport.sendRaw(raw, {
    from: prepared.from,
    to: to.email,
    configurationSet: app.config.sending.configurationSet,
    tags: { test: 'true', list: listId },
  });
  if (options.json)
    process.stdout.write(`${JSON.stringify({ test: true, to: to.email, messageId, editionId: id })}\n`);
  else
    process.stdout.write(
      `test message sent to ${to.email} (SES message id ${messageId}); see it at ${mailboxUrl}\n`,
    );
}

/** `--stack`: upload to the deployed posts bucket; the S3 put publishes the post on AWS. */
async function publishToStackCommand(source: string, stack: string, json: boolean): Promise<void> {
  const result = await publishToStack(source, stack);
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `uploaded ${source} to s3://${result.bucket}/${result.key} (${result.stackName}); the publish function sends it. Watch it with \`tidings status\`.\n`,
  );
}
