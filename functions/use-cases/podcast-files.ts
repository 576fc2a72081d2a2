import { parseChapters } from '../core/posts/podcast.ts';
import type { Post } from '../core/posts/post.ts';
import { oneLine } from '../core/posts/text.ts';
import { readableTranscriptType, transcriptText } from '../core/posts/transcript.ts';

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

/**
 * The post with the first readable transcript of its episode in full (WebVTT, SRT or HTML), for the web
 * archive. One that cannot be fetched or read stays a link, with a `TRANSCRIPT_UNAVAILABLE` warning.
 */
export async function withTranscript(post: Post, fetchText: FetchText): Promise<Post> {
  const podcast = post.podcast;
  const file = podcast?.transcripts?.find((t) => readableTranscriptType(t.type));
  if (!podcast || !file || podcast.transcript) return post;
  let reason: string;
  try {
    const text = await fetchText(file.url);
    const read =
      text === undefined ? { error: 'the server sent nothing' } : transcriptText(text, file.type, file.url);
    if (!('error' in read)) return { ...post, podcast: { ...podcast, transcript: read } };
    reason = read.error;
  } catch (error) {
    reason = oneLine((error as Error).message).replace(`${file.url}: `, '');
  }
  return {
    ...post,
    warnings: [
      ...post.warnings,
      {
        code: 'TRANSCRIPT_UNAVAILABLE',
        message: `${file.url}: the transcript is linked, not shown (${reason})`,
      },
    ],
  };
}

/** Chapters and transcript, fetched side by side: what the archive and the poller add to an episode. */
export async function withPodcastFiles(post: Post, fetchText: FetchText): Promise<Post> {
  if (!post.podcast) return post;
  const [chaptered, transcribed] = await Promise.all([
    withChapters(post, fetchText),
    withTranscript(post, fetchText),
  ]);
  const extra = transcribed.warnings.slice(post.warnings.length);
  return {
    ...chaptered,
    ...(transcribed.podcast?.transcript && chaptered.podcast
      ? { podcast: { ...chaptered.podcast, transcript: transcribed.podcast.transcript } }
      : {}),
    warnings: [...chaptered.warnings, ...extra],
  };
}
