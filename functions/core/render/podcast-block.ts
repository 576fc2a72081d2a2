import type { PodcastDetails } from '../posts/podcast.ts';
import { formatDuration } from './edition-view.ts';
import { escapeHtml } from './slots.ts';

/**
 * What a podcast feed says about the episode, as the email shows it under the title: the season and episode
 * number, the people (guests first, each linked where the feed links them), the chapters as a timestamped
 * list, and a link to the transcript. Every value comes from a feed, so every value is escaped; URLs are
 * http(s) only (core/posts/podcast.ts). Empty when the post has none of it.
 *
 * @example
 * podcastBlock({ episode: 43, people: [{ name: 'Jun Park', role: 'guest' }] })
 * // '<p class="t-meta">Episode 43</p><p>With Jun Park (guest)</p>'
 */
export function podcastBlock(p: PodcastDetails | undefined): string {
  if (!p) return '';
  const parts: string[] = [];
  const label = [
    p.season ? `Season ${p.season}${p.seasonName ? ` (${p.seasonName})` : ''}` : '',
    p.episode ? `Episode ${p.episode}` : '',
    p.episodeType === 'bonus' ? 'Bonus' : p.episodeType === 'trailer' ? 'Trailer' : '',
  ].filter(Boolean);
  if (label.length) parts.push(`<p class="t-meta">${escapeHtml(label.join(' · '))}</p>`);
  const people = [...(p.people ?? [])].sort(
    (a, b) => Number(b.role === 'guest') - Number(a.role === 'guest'),
  );
  if (people.length) {
    const names = people.map((person) => {
      const name = person.href
        ? `<a href="${escapeHtml(person.href)}">${escapeHtml(person.name)}</a>`
        : escapeHtml(person.name);
      return `${name} (${escapeHtml(person.role)})`;
    });
    parts.push(`<p>With ${names.join(', ')}</p>`);
  }
  if (p.chapters?.length) {
    const items = p.chapters.map((c) => {
      const time = c.startTime === 0 ? '0:00' : formatDuration(c.startTime);
      const title = c.url ? `<a href="${escapeHtml(c.url)}">${escapeHtml(c.title)}</a>` : escapeHtml(c.title);
      return `<li>${escapeHtml(time)} — ${title}</li>`;
    });
    parts.push(`<h2>Chapters</h2><ul>${items.join('')}</ul>`);
  }
  const transcript = p.transcripts?.[0];
  if (transcript) parts.push(`<p><a href="${escapeHtml(transcript.url)}">Read the transcript</a></p>`);
  return parts.join('\n');
}
