import type { ItunesNs, PodcastNs } from 'feedsmith';
import { z } from 'zod';
import { oneLine, safeUrl, WEB_SCHEMES } from './text.ts';

/** One paragraph of a transcript: consecutive captions of one speaker. */
export interface TranscriptParagraph {
  readonly speaker?: string;
  readonly text: string;
}

/** A transcript read in full, for the web archive: paragraphs from captions, or sanitized HTML. */
export type TranscriptText =
  | { readonly url: string; readonly paragraphs: readonly TranscriptParagraph[] }
  | { readonly url: string; readonly html: string };

/** One person of an episode (Podcasting 2.0 `podcast:person`): a guest, a host, … */
export interface PodcastPerson {
  readonly name: string;
  /** Lower case, as the podcast taxonomy spells it: `host`, `guest`, `producer`, … Default `host`. */
  readonly role: string;
  readonly href?: string;
  readonly img?: string;
}

/** One chapter: where it starts, in seconds, and its title. */
export interface PodcastChapter {
  readonly startTime: number;
  readonly title: string;
  readonly url?: string;
}

/** A transcript file of an episode (`podcast:transcript`). */
export interface PodcastTranscript {
  readonly url: string;
  /** MIME type: text/vtt, application/x-subrip, text/html, application/json, text/plain. */
  readonly type: string;
  readonly language?: string;
}

/** What a podcast feed says about an episode, beyond the post itself (Podcasting 2.0 and iTunes tags). */
export interface PodcastDetails {
  readonly season?: number;
  readonly seasonName?: string;
  readonly episode?: number;
  readonly episodeType?: 'full' | 'trailer' | 'bonus';
  readonly people?: readonly PodcastPerson[];
  /** The JSON chapters file; `chapters` holds its chapters once fetched. */
  readonly chaptersUrl?: string;
  readonly chapters?: readonly PodcastChapter[];
  readonly transcripts?: readonly PodcastTranscript[];
  /** The first readable transcript in full (captions or a web page), once fetched: the archive shows it. */
  readonly transcript?: TranscriptText;
}

const positiveInt = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined);

/**
 * The podcast details of a feed item from its `podcast:` and `itunes:` tags, with every URL made absolute
 * and checked (http/https only). `undefined` when the item has none.
 *
 * @example
 * podcastDetails({ episode: { number: 42 }, persons: [{ display: 'Maya', role: 'guest' }] }, undefined, base)
 * // { episode: 42, people: [{ name: 'Maya', role: 'guest' }] }
 */
export function podcastDetails(
  podcast: PodcastNs.Item | undefined,
  itunes: ItunesNs.Item | undefined,
  baseUrl: string,
): PodcastDetails | undefined {
  const url = (value: string | undefined) => (value ? safeUrl(value, baseUrl, WEB_SCHEMES) : undefined);
  const season = positiveInt(podcast?.season?.number) ?? positiveInt(itunes?.season);
  const episode = positiveInt(podcast?.episode?.number) ?? positiveInt(itunes?.episode);
  const type = itunes?.episodeType?.toLowerCase();
  const people = (podcast?.persons ?? []).flatMap((p): PodcastPerson[] => {
    const name = oneLine(p.display ?? '');
    if (!name) return [];
    const href = url(p.href);
    const img = url(p.img);
    return [
      {
        name,
        role: oneLine(p.role ?? 'host').toLowerCase(),
        ...(href ? { href } : {}),
        ...(img ? { img } : {}),
      },
    ];
  });
  const chaptersUrl = url(podcast?.chapters?.url);
  const transcripts = (podcast?.transcripts ?? []).flatMap((t): PodcastTranscript[] => {
    const href = url(t.url);
    return href && t.type
      ? [{ url: href, type: t.type.toLowerCase(), ...(t.language ? { language: oneLine(t.language) } : {}) }]
      : [];
  });
  const details: PodcastDetails = {
    ...(season ? { season } : {}),
    ...(podcast?.season?.name ? { seasonName: oneLine(podcast.season.name) } : {}),
    ...(episode ? { episode } : {}),
    ...(type === 'full' || type === 'trailer' || type === 'bonus' ? { episodeType: type } : {}),
    ...(people.length ? { people } : {}),
    ...(chaptersUrl ? { chaptersUrl } : {}),
    ...(transcripts.length ? { transcripts } : {}),
  };
  return Object.keys(details).length ? details : undefined;
}

// The JSON chapters format (Podcasting 2.0, application/json+chapters): only what an email or a page shows.
const chaptersSchema = z.object({
  chapters: z.array(
    z.object({
      startTime: z.number().nonnegative(),
      title: z.string().optional(),
      url: z.string().optional(),
      toc: z.boolean().optional(),
    }),
  ),
});

/**
 * The chapters of a JSON chapters file, in time order, leaving out the ones marked `toc: false` or without
 * a title. Returns a one-line reason instead when the file is not a chapters file.
 *
 * @example
 * parseChapters('{"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"}]}', base)
 * // { chapters: [{ startTime: 0, title: 'Intro' }] }
 */
export function parseChapters(
  text: string,
  baseUrl: string,
): { readonly chapters: PodcastChapter[] } | { readonly error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return { error: `not JSON: ${oneLine((cause as Error).message)}` };
  }
  const parsed = chaptersSchema.safeParse(json);
  if (!parsed.success)
    return { error: 'not a chapters file: it needs a "chapters" list of {startTime, title}' };
  const chapters = parsed.data.chapters
    .filter((c) => c.toc !== false && c.title && oneLine(c.title))
    .map((c): PodcastChapter => {
      const href = c.url ? safeUrl(c.url, baseUrl, WEB_SCHEMES) : undefined;
      return { startTime: c.startTime, title: oneLine(c.title ?? ''), ...(href ? { url: href } : {}) };
    })
    .sort((a, b) => a.startTime - b.startTime);
  return { chapters };
}
