import type { MessageKey } from '../i18n/catalogue.ts';
import type { Translator } from '../i18n/translator.ts';
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
 * podcastBlock({ episode: 43, people: [{ name: 'Jun Park', role: 'guest' }] }, translator('en'))
 * // '<p class="t-meta">Episode 43</p><p>With Jun Park (guest)</p>'
 */
export function podcastBlock(p: PodcastDetails | undefined, i18n: Translator): string {
  if (!p) return '';
  const parts: string[] = [];
  const label = episodeLabel(p, i18n);
  if (label.length) parts.push(`<p class="t-meta">${escapeHtml(label.join(' · '))}</p>`);
  const people = [...(p.people ?? [])].sort(
    (a, b) => Number(b.role === 'guest') - Number(a.role === 'guest'),
  );
  if (people.length) {
    const names = people.map((person) => {
      const name = person.href
        ? `<a href="${escapeHtml(person.href)}">${escapeHtml(person.name)}</a>`
        : escapeHtml(person.name);
      return `${name} (${escapeHtml(roleName(person.role, i18n))})`;
    });
    // Escaped around the names, which are HTML made here: a marker stands for them while translating.
    const marker = 'tidingspeoplex';
    const sentence = escapeHtml(i18n.t('podcast.with', { people: marker }));
    parts.push(`<p>${sentence.split(marker).join(i18n.list(names, 'unit'))}</p>`);
  }
  if (p.chapters?.length) {
    const items = p.chapters.map((c) => {
      const time = c.startTime === 0 ? '0:00' : formatDuration(c.startTime);
      const title = c.url ? `<a href="${escapeHtml(c.url)}">${escapeHtml(c.title)}</a>` : escapeHtml(c.title);
      return `<li>${escapeHtml(time)} — ${title}</li>`;
    });
    parts.push(`<h2>${escapeHtml(i18n.t('podcast.chapters'))}</h2><ul>${items.join('')}</ul>`);
  }
  const transcript = p.transcripts?.[0];
  if (transcript)
    parts.push(
      `<p><a href="${escapeHtml(transcript.url)}">${escapeHtml(i18n.t('podcast.transcript'))}</a></p>`,
    );
  return parts.join('\n');
}

/** "Season 2 (Deep cuts) · Episode 43 · Bonus", in the translator's language: plain text. */
export function episodeLabel(p: PodcastDetails, i18n: Translator): string[] {
  return [
    p.season
      ? p.seasonName
        ? i18n.t('podcast.seasonNamed', { number: p.season, name: p.seasonName })
        : i18n.t('podcast.season', { number: p.season })
      : '',
    p.episode ? i18n.t('podcast.episode', { number: p.episode }) : '',
    p.episodeType === 'bonus'
      ? i18n.t('podcast.bonus')
      : p.episodeType === 'trailer'
        ? i18n.t('podcast.trailer')
        : '',
  ].filter(Boolean);
}

const ROLES: Readonly<Record<string, MessageKey>> = {
  guest: 'podcast.role.guest',
  host: 'podcast.role.host',
  cohost: 'podcast.role.cohost',
  'co-host': 'podcast.role.cohost',
};

/** A Podcasting 2.0 role in the translator's language; a role without a message stays as the feed wrote it. */
export function roleName(role: string, i18n: Translator): string {
  const key = ROLES[role.toLowerCase()];
  return key ? i18n.t(key) : role;
}
