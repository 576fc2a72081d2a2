import { load } from 'cheerio/slim';
import { parseSync } from 'subtitle';
import { normalizeBody } from './body.ts';
import type { TranscriptText } from './podcast.ts';
import { oneLine } from './text.ts';

/** The transcript types that can be shown in full (captions and web pages); JSON and others are linked. */
export function readableTranscriptType(type: string): 'captions' | 'html' | undefined {
  if (type.includes('vtt') || type.includes('subrip') || type.includes('srt')) return 'captions';
  return type.includes('html') ? 'html' : undefined;
}

/**
 * A transcript file as text: WebVTT or SRT captions (parsed with `subtitle`) become paragraphs, one per run of
 * one speaker (`<v Name>`), with markup dropped and entities decoded; HTML goes through the same sanitizer as post
 * bodies. Returns a one-line reason instead when nothing readable is in it.
 *
 * @example
 * transcriptText('WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ada>Hi.', 'text/vtt', url)
 * // { url, paragraphs: [{ speaker: 'Ada', text: 'Hi.' }] }
 */
export function transcriptText(
  text: string,
  type: string,
  url: string,
): TranscriptText | { readonly error: string } {
  if (readableTranscriptType(type) === 'html') {
    const html = normalizeBody(text, { baseUrl: url }).html;
    return html ? { url, html } : { error: 'the page has no readable text' };
  }
  let cues: string[];
  try {
    cues = parseSync(text).flatMap((node) => (node.type === 'cue' ? [node.data.text] : []));
  } catch (cause) {
    return { error: `not WebVTT or SRT captions: ${oneLine((cause as Error).message)}` };
  }
  const paragraphs: { speaker?: string; text: string }[] = [];
  for (const cue of cues) {
    const speaker = /<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(cue)?.[1]?.trim();
    // Cue text is HTML-like (<v>, <i>, &amp;): its text, decoded, on one line.
    const words = oneLine(load(cue, {}, false).text());
    if (!words) continue;
    const last = paragraphs.at(-1);
    if (last && last.speaker === speaker) last.text = `${last.text} ${words}`;
    else paragraphs.push({ ...(speaker ? { speaker } : {}), text: words });
  }
  return paragraphs.length ? { url, paragraphs } : { error: 'no captions in it' };
}
