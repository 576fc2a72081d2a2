import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadArchiveTemplates } from '../../adapters/fs/archive-templates.ts';
import { loadConfig } from '../../adapters/fs/config-file.ts';
import { loadPosts } from '../../adapters/fs/post-source.ts';
import { fetchDocument } from '../../adapters/web/feed-fetch.ts';
import { type ArchiveBuild, buildArchive } from '../../core/archive/build.ts';
import { archiveSite } from '../../core/archive/site.ts';
import type { Post, Warning } from '../../core/posts/post.ts';
import { withPodcastFiles } from '../../use-cases/podcast-files.ts';

interface ArchiveBuildOptions {
  readonly out: string;
  readonly config?: string;
  readonly json?: boolean;
}

/** `tidings archive build <sources…>`: the web archive as a static site. */
export function registerArchive(program: Command): void {
  const archive = program
    .command('archive')
    .description('the web archive: every post as a public page, with an index, an RSS feed and a sitemap');
  archive
    .command('build')
    .description('write the archive as a static site: index.html, <slug>/index.html, feed.xml, sitemap.xml')
    .argument(
      '<sources...>',
      'Markdown posts, folders of them, feed files (RSS, Atom, JSON Feed) or feed URLs',
    )
    .option('--out <dir>', 'output folder', 'out/archive')
    .option('--config <file>', 'config file (default: ./tidings.config.ts, then examples/tidings.config.ts)')
    .option('--json', 'print one JSON document instead of text')
    .action(async (sources: string[], opts: ArchiveBuildOptions) => {
      const result = await archiveBuild(sources, opts);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const lines = [
        `Archive: ${result.posts.length} post${result.posts.length === 1 ? '' : 's'}, ${result.files.length} files in ${result.out}`,
        `  index  ${join(result.out, 'index.html')}`,
        `  feed   ${join(result.out, 'feed.xml')}`,
        ...result.left.map((l) => `  left out: ${l.slug} (${l.reason})`),
        ...result.warnings.map((w) => `  ${w.code}: [${w.post}] ${w.message}`),
        `Served at ${result.archiveUrl}/ once deployed; \`tidings dev\` serves it locally.`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** What `tidings archive build --json` prints. */
export interface ArchiveBuildResult {
  readonly out: string;
  readonly archiveUrl: string;
  readonly files: readonly string[];
  readonly posts: ArchiveBuild['posts'];
  readonly left: ArchiveBuild['left'];
  /** What could not be added to a page (a podcast's chapters file that could not be read). */
  readonly warnings: readonly Warning[];
}

/** Reads every source, builds the archive and writes it under `opts.out`. */
export async function archiveBuild(
  sources: readonly string[],
  opts: ArchiveBuildOptions,
): Promise<ArchiveBuildResult> {
  const { config } = await loadConfig(opts.config);
  const posts: Post[] = [];
  for (const source of sources) posts.push(...(await loadPosts(source, { siteUrl: config.site.url })));
  // Chapters and transcripts: the feeds' bounded fetch, with a tighter cap.
  const fetchText = async (url: string) =>
    (await fetchDocument(url, { timeoutMs: 5_000, maxBytes: 2_000_000 })).text;
  const chaptered = await Promise.all(posts.map((p) => withPodcastFiles(p, fetchText)));
  const site = archiveSite(config);
  const build = buildArchive(chaptered, site, await loadArchiveTemplates());
  const out = resolve(opts.out);
  for (const file of build.files) {
    const path = join(out, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.body);
  }
  return {
    out,
    archiveUrl: site.archiveUrl,
    files: build.files.map((f) => f.path),
    posts: build.posts,
    left: build.left,
    warnings: chaptered.flatMap((p) =>
      p.warnings
        .filter((w) => w.code === 'CHAPTERS_UNAVAILABLE' || w.code === 'TRANSCRIPT_UNAVAILABLE')
        .map((w) => ({ ...w, post: p.slug })),
    ),
  };
}
