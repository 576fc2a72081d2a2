import { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import { parseDuration, RESERVED_SLUGS } from './text.ts';

/** `YYYY-MM-DD`, optionally with a time `THH:MM[:SS[.fff]]` and an offset (`Z`, `+02:00`). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Turns an ISO 8601 date or date-time into a canonical UTC timestamp. A date or a time without an offset
 * is read as UTC, so the result never depends on the machine's time zone.
 *
 * @returns the ISO string, or undefined when `value` is not an ISO 8601 date.
 */
export function isoDate(value: string): string | undefined {
  const text = value.trim();
  if (!ISO_8601.test(text)) return undefined;
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text.slice(10));
  const withTime = text.length === 10 ? `${text}T00:00:00Z` : hasOffset ? text : `${text}Z`;
  const time = Date.parse(withTime.replace(' ', 'T'));
  if (Number.isNaN(time)) return undefined;
  // Date.parse rolls 2026-02-30 over into March; a date that does not exist is a typo, not a date.
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  return new Date(time).toISOString();
}

const text = z.union([z.string(), z.number()]).transform((v) => String(v));
const textList = z.union([text, z.array(text)]);

const mediaSchema = z.object({
  kind: z.enum(['audio', 'video']),
  url: z.string().min(1),
  title: text.optional(),
  duration: z
    .union([z.number().nonnegative(), z.string().refine((d) => parseDuration(d) !== undefined)])
    .optional(),
  image: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
});

const frontMatterSchema = z.object({
  title: text.refine((t) => t.trim() !== ''),
  date: z.string().refine((d) => isoDate(d) !== undefined),
  subtitle: text.optional(),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    .refine((s) => !RESERVED_SLUGS.has(s))
    .optional(),
  author: textList.optional(),
  url: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/i)
    .optional(),
  cover: z.string().min(1).optional(),
  coverAlt: text.optional(),
  media: z.array(mediaSchema).optional(),
  tags: textList.optional(),
  lists: textList.optional(),
  send: z.enum(['instant', 'digest', 'never']).optional(),
  excerpt: text.optional(),
  draft: z.boolean().optional(),
  archive: z.boolean().optional(),
  sendAt: z.union([z.string(), z.date()]).optional(),
});

/** The front matter of a Markdown post, validated; see DESIGN.md "Markdown front matter". */
export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** The field names the front matter may use. Others are ignored with a warning. */
export const FRONT_MATTER_FIELDS: readonly string[] = Object.keys(frontMatterSchema.shape);

// What each field must be, in words an author understands.
const EXPECTED: Record<string, string> = {
  title: 'a non-empty text',
  date: 'an ISO 8601 date such as 2026-03-01 or 2026-03-01T09:30:00Z',
  subtitle: 'a text',
  slug: `lowercase letters, digits and hyphens, such as my-first-post, other than ${[...RESERVED_SLUGS].join(' or ')} (the web archive's own folders)`,
  author: 'a name or a list of names',
  url: 'an absolute http(s) URL',
  cover: 'an image URL or path',
  coverAlt: 'a text',
  media: 'a list of {kind, url, title?, duration?, image?}',
  'media.kind': '"audio" or "video"',
  'media.url': 'a URL',
  'media.title': 'a text',
  'media.duration': 'seconds or hh:mm:ss',
  'media.image': 'an image URL',
  'media.type': 'a MIME type such as audio/mpeg',
  tags: 'a tag or a list of tags',
  lists: 'a list id or a list of list ids',
  send: '"instant", "digest" or "never"',
  excerpt: 'a text',
  draft: 'true or false',
  archive: 'true or false',
  sendAt: 'a date and time with its offset, such as 2026-03-01T09:00:00+01:00',
};

/**
 * Validates the front matter of a Markdown post.
 *
 * @param data the parsed YAML (anything).
 * @param file the file name, for the error message.
 * @throws InvalidInputError with one line naming the file and the first wrong field, e.g.
 *   `examples/posts/x.md: front matter "date" must be an ISO 8601 date … (got "yesterday")`.
 */
export function validateFrontMatter(
  data: unknown,
  file: string,
): { frontMatter: FrontMatter; unknownFields: string[] } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidInputError(
      'POST_FRONT_MATTER_INVALID',
      `${file}: front matter must be YAML fields between two "---" lines, starting with title and date`,
    );
  }
  // An empty YAML value (`subtitle:`) means "not set", not "null".
  const fields = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== undefined));
  const result = frontMatterSchema.safeParse(fields);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const name = path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .slice(1);
    const key = path.filter((p) => typeof p !== 'number').join('.');
    const got = valueAt(fields, path);
    if (got === undefined) {
      throw new InvalidInputError('POST_FIELD_MISSING', `${file}: front matter "${name}" is required`);
    }
    throw new InvalidInputError(
      'POST_FIELD_INVALID',
      `${file}: front matter "${name}" must be ${EXPECTED[key] ?? 'valid'} (got ${show(got)})`,
    );
  }
  const unknownFields = Object.keys(fields).filter((k) => !FRONT_MATTER_FIELDS.includes(k));
  return { frontMatter: result.data, unknownFields };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function show(value: unknown): string {
  const json = value instanceof Date ? value.toISOString() : JSON.stringify(value);
  const one = (json ?? String(value)).replace(/[\r\n]+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
