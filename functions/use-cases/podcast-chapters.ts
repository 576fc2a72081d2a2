import { parseChapters } from '../core/posts/podcast.ts';
import type { Post } from '../core/posts/post.ts';
import { oneLine } from '../core/posts/text.ts';

/** Reads a URL as text with the feeds' bounded fetch; `undefined` when there is nothing (a 304). */
export type FetchText = (url: string) => Promise<string | undefined>;

/**
 * The post with its podcast chapters, read from the episode's JSON chapters file (`podcast:chapters`).
 * A file that cannot be fetched or is not a chapters file leaves the post without chapters and adds a
 * `CHAPTERS_UNAVAILABLE` warning: an episode is never held back for its chapters.
 */
export async function withChapters(post: Post, fetchText: FetchText): Promise<Post> {
  const url = post.podcast?.chaptersUrl;
  if (!post.podcast || !url || post.podcast.chapters) return post;
  let reason: string;
  try {
    const text = await fetchText(url);
    const parsed = text === undefined ? { error: 'the server sent nothing' } : parseChapters(text, url);
    if ('chapters' in parsed) return { ...post, podcast: { ...post.podcast, chapters: parsed.chapters } };
    reason = parsed.error;
  } catch (error) {
    // The fetch names the URL itself; the warning names it once.
    reason = oneLine((error as Error).message).replace(`${url}: `, '');
  }
  return {
    ...post,
    warnings: [
      ...post.warnings,
      { code: 'CHAPTERS_UNAVAILABLE', message: `${url}: the chapters were left out (${reason})` },
    ],
  };
}
