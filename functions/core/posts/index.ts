export {
  excerptFromHtml,
  type NormalizeBodyOptions,
  type NormalizedBody,
  normalizeBody,
} from './body.ts';
export { MAX_IMAGE_WIDTH } from './body-media.ts';
export { contentHash } from './content-hash.ts';
export { recognizeEmbed } from './embeds.ts';
export { type ParseFeedOptions, parseFeed } from './feed.ts';
export { FRONT_MATTER_FIELDS, type FrontMatter, isoDate, validateFrontMatter } from './front-matter.ts';
export { type ParseMarkdownOptions, parseMarkdownPost } from './markdown.ts';
export type { Media, Post, SendMode, Warning } from './post.ts';
export { newestFirst, selectPost } from './select-post.ts';
export { oneLine, parseDuration, slugify, truncateAtWord } from './text.ts';
export { WARNING_CODES, type WarningCode } from './warnings.ts';
