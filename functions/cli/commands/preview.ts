import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { loadPosts } from '../../adapters/fs/post-source.ts';
import { loadTemplates } from '../../adapters/fs/templates.ts';
import type { Config, ListConfig } from '../../core/config/schema.ts';
import { editionId } from '../../core/editions/edition-id.ts';
import { type DigestCandidate, selectDigestPosts } from '../../core/editions/select.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { buildMessage, compileMessage, type Recipient } from '../../core/mime/compile-message.ts';
import { isoDate } from '../../core/posts/front-matter.ts';
import type { Post, Warning } from '../../core/posts/post.ts';
import { selectPost } from '../../core/posts/select-post.ts';
import { renderEdition } from '../../core/render/render-edition.ts';
import { escapeHtml, fillSlots, greetingFor } from '../../core/render/slots.ts';
import { recipientLinks } from '../../core/tokens/links.ts';
import type { KeyRing } from '../../core/tokens/tokens.ts';

interface PreviewOptions {
  readonly post?: string;
  readonly digest?: boolean;
  readonly since?: string;
  readonly list?: string;
  readonly config?: string;
  readonly out: string;
  readonly json?: boolean;
}

/** The subscriber every preview is addressed to. */
export const SAMPLE_SUBSCRIBER: Recipient = {
  email: 'sample.reader@example.com',
  name: 'Sample Reader',
  subscriberId: 'preview-sample-subscriber',
};

/** `tidings preview <post.md | feed.xml | feed URL>`: renders what subscribers would get, to files. */
export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('render a post (or a digest) to .html, .txt and a full .eml for a sample subscriber')
    .argument('<source>', 'a Markdown post, a feed file (RSS 2.0, Atom, JSON Feed) or a feed URL')
    .option('--post <ref>', 'which post: id, slug, or 1-based index, newest first (default: the newest)')
    .option('--digest', 'put every selected post into one digest')
    .option('--since <date>', 'with --digest: only posts dated on or after this ISO 8601 date')
    .option('--list <id>', 'the list whose sender, footer and template to use (default: the first list)')
    .option('--config <file>', 'config file (default: ./tidings.config.ts, then examples/tidings.config.ts)')
    .option('--out <dir>', 'output folder', 'out/preview')
    .option('--json', 'print one JSON document instead of text')
    .action(async (source: string, opts: PreviewOptions) => {
      const result = await preview(source, opts);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const lines = [
        `Subject: ${result.subject}`,
        `Preheader: ${result.preheader}`,
        ...Object.entries(result.files).map(
          ([kind, path]) =>
            `  ${kind.padEnd(5)} ${path}  (${kb(result.bytes[kind as keyof typeof result.bytes])})`,
        ),
        result.warnings.length === 0
          ? 'No warnings.'
          : `Warnings:\n${result.warnings.map((w) => `  ${w.code}: ${w.post ? `[${w.post}] ` : ''}${w.message}`).join('\n')}`,
        ...(result.excluded.length === 0
          ? []
          : [
              `Left out of the digest, as a digest run would:\n${result.excluded.map((e) => `  ${e.post}: ${e.reason}`).join('\n')}`,
            ]),
        `The .eml is addressed to ${SAMPLE_SUBSCRIBER.email}; its links carry tokens signed with a throwaway preview key, so they do not work against a deployment.`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** What `tidings preview --json` prints. */
export interface PreviewResult {
  readonly files: { readonly html: string; readonly text: string; readonly eml: string };
  readonly subject: string;
  readonly preheader: string;
  readonly bytes: { readonly html: number; readonly text: number; readonly eml: number };
  /** Each with a stable code (see functions/core/posts/warnings.ts) and, in a digest, the post's slug. */
  readonly warnings: readonly Warning[];
  /** With --digest: the posts of the source that a digest of the list would not carry, and why. */
  readonly excluded: readonly { readonly post: string; readonly reason: string }[];
}

async function preview(source: string, opts: PreviewOptions): Promise<PreviewResult> {
  if (!opts.digest && opts.since) {
    throw new InvalidInputError('OPTION_INVALID', '--since only applies with --digest');
  }
  if (opts.digest && opts.post) {
    throw new InvalidInputError(
      'OPTION_INVALID',
      '--post picks one post and --digest takes them all; use one of them',
    );
  }
  const since = opts.since === undefined ? undefined : sinceDate(opts.since);
  const { config } = await loadConfig(opts.config);
  const list = pickList(config, opts.list);
  const posts = await loadPosts(source, { siteUrl: config.site.url });
  const { chosen, excluded } = opts.digest
    ? digestPosts(posts, list.id, source, since)
    : { chosen: [selectPost(posts, opts.post, { source })], excluded: [] };
  const kind = opts.digest ? 'digest' : 'post';
  const id = editionId({
    listId: list.id,
    kind: opts.digest ? 'digest' : 'publish',
    cadence: opts.digest ? 'weekly' : 'instant',
    posts: chosen,
  });
  const rendered = await renderEdition({
    kind,
    posts: chosen,
    list,
    config,
    templates: await loadTemplates(),
    editionId: id,
    now: new Date(),
  });

  // A throwaway key, clearly named: preview links must never verify against a real deployment.
  const ring: KeyRing = { current: { id: 'preview-sample-key', secret: randomBytes(32) } };
  const links = recipientLinks({
    publicUrl: config.publicUrl,
    ring,
    subscriberId: SAMPLE_SUBSCRIBER.subscriberId,
    listId: list.id,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  const compiled = compileMessage(rendered, {
    from: list.from,
    ...(list.replyTo ? { replyTo: list.replyTo } : {}),
    listId: list.id,
    listName: list.name,
    domain: config.sending.domain,
    ...(config.sending.unsubscribeMailto ? { unsubscribeMailto: config.sending.unsubscribeMailto } : {}),
  });
  const message = buildMessage(compiled, SAMPLE_SUBSCRIBER, links, {
    messageId: `${id}.preview@${config.sending.domain}`,
    date: new Date(),
  });
  const eml = Buffer.concat([
    Buffer.from('X-Tidings-Preview: sample subscriber; links signed with a throwaway preview key\r\n'),
    Buffer.from(message, 'latin1'),
  ]);
  const values = {
    greeting: greetingFor(SAMPLE_SUBSCRIBER.name, rendered.greetings),
    email: SAMPLE_SUBSCRIBER.email,
    unsubscribeUrl: links.unsubscribeUrl,
    preferencesUrl: links.preferencesUrl,
  };
  const html = fillSlots(rendered.html, {
    greeting: escapeHtml(values.greeting),
    email: escapeHtml(values.email),
    unsubscribeUrl: escapeHtml(values.unsubscribeUrl),
    preferencesUrl: escapeHtml(values.preferencesUrl),
  });
  const text = fillSlots(rendered.text, values);

  const name = fileName(opts.digest ? `digest-${list.id}` : (chosen[0]?.slug ?? 'post'));
  const dir = resolve(opts.out);
  const files = {
    html: join(dir, `${name}.html`),
    text: join(dir, `${name}.txt`),
    eml: join(dir, `${name}.eml`),
  };
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(files.html, html);
    await writeFile(files.text, text);
    await writeFile(files.eml, eml);
  } catch (cause) {
    throw outputError(opts.out, cause);
  }
  return {
    files,
    subject: rendered.subject,
    preheader: rendered.preheader,
    bytes: { html: Buffer.byteLength(html), text: Buffer.byteLength(text), eml: eml.length },
    warnings: attributed(rendered.warnings, chosen, opts.digest === true),
    excluded,
  };
}

/**
 * In a digest, says which post each of the posts' own warnings came from. The renderer passes those on
 * as the same objects, so identity tells them apart from the edition's own (GMAIL_CLIP_RISK, …).
 */
function attributed(warnings: readonly Warning[], posts: readonly Post[], digest: boolean): Warning[] {
  const origin = new Map<Warning, string>();
  if (digest) for (const p of posts) for (const w of p.warnings) origin.set(w, p.slug);
  return warnings.map((w) => {
    const post = origin.get(w);
    return { code: w.code, message: w.message, ...(post ? { post } : {}) };
  });
}

/** One line for an --out folder that cannot be written, instead of a raw EEXIST/EACCES. */
function outputError(out: string, cause: unknown): InvalidInputError {
  const error = cause as NodeJS.ErrnoException;
  const why =
    error.code === 'EEXIST' || error.code === 'ENOTDIR'
      ? 'a file is in the way where a folder should be'
      : error.code === 'EACCES' || error.code === 'EPERM'
        ? 'permission denied'
        : error.code === 'EROFS'
          ? 'the file system is read-only'
          : (error.message ?? String(cause)).split('\n')[0];
  return new InvalidInputError(
    'OUTPUT_UNWRITABLE',
    `--out ${out}: cannot write the preview there (${why}); pass --out with a folder you can write to`,
    { cause },
  );
}

/** `--since` as a strict ISO 8601 date, like the front matter's `date` (no "March 5", no "1"). */
function sinceDate(since: string): string {
  const iso = isoDate(since);
  if (!iso) {
    throw new InvalidInputError(
      'OPTION_INVALID',
      `--since "${since}" is not an ISO 8601 date; use YYYY-MM-DD (e.g. 2026-11-01) or YYYY-MM-DDTHH:MM[:SS]Z`,
    );
  }
  return iso;
}

function pickList(config: Config, id: string | undefined): ListConfig {
  const list = id ? config.lists.find((l) => l.id === id) : config.lists[0];
  if (!list) {
    throw new NotFoundError(
      'LIST_UNKNOWN',
      `no list "${id}" in the config; the lists are: ${config.lists.map((l) => l.id).join(', ')}`,
    );
  }
  return list;
}

/**
 * The posts a digest of `listId` would carry from this source: like the digest run, only posts that
 * target the list (front matter `lists:`, none meaning every list), and never drafts or `send: never`
 * (selectDigestPosts, the digest use case's own filter), newest first. `since` stands in for the cursor.
 */
function digestPosts(
  posts: readonly Post[],
  listId: string,
  source: string,
  since: string | undefined,
): { chosen: Post[]; excluded: { post: string; reason: string }[] } {
  const excluded: { post: string; reason: string }[] = [];
  const candidates: (DigestCandidate & { post: Post })[] = [];
  for (const p of posts) {
    if (p.lists && !p.lists.includes(listId)) {
      excluded.push({ post: p.slug, reason: `not on list "${listId}" (its lists: ${p.lists.join(', ')})` });
    } else if (p.draft) excluded.push({ post: p.slug, reason: 'draft' });
    else if (p.send === 'never') excluded.push({ post: p.slug, reason: 'send: never' });
    else if (since && p.date < since) excluded.push({ post: p.slug, reason: `dated before ${since}` });
    // A preview has no store: the post's date stands in for when tidings recorded it.
    else candidates.push({ ...p, recordedAt: p.date, post: p });
  }
  const chosen = selectDigestPosts(candidates).map((c) => c.post);
  if (chosen.length === 0) {
    throw new NotFoundError(
      'NO_POSTS',
      `no posts in ${source} for a digest of list "${listId}"${since ? ` dated on or after ${since}` : ''}${excluded.length ? ` (${excluded.length} left out: drafts, send: never, other lists or older)` : ''}`,
    );
  }
  return { chosen, excluded };
}

function fileName(slug: string): string {
  return (
    slug
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'preview'
  );
}

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
