/**
 * The stable codes of the warnings that normalizing a post can raise. `tidings preview` prints them and
 * `--json` carries them, so scripts may match on them: never rename one, only add.
 */
export const WARNING_CODES = [
  /** A `<script>` element was removed. */
  'DROPPED_SCRIPT',
  /** A `<style>` element was removed (email clients get their styles from the template). */
  'DROPPED_STYLE',
  /** A form or a form control (`form`, `input`, `button`, `select`, `textarea`) was removed. */
  'DROPPED_FORM',
  /** An iframe, object or embed that is not a recognized media provider was removed. */
  'DROPPED_IFRAME',
  /** An `on*` event-handler attribute was removed. */
  'DROPPED_EVENT_HANDLER',
  /** A link or image with a `javascript:`, `data:`, `vbscript:` or other non-web URL was neutralized. */
  'UNSAFE_URL',
  /** An image has no alt text; `alt=""` was kept so screen readers skip it. */
  'IMAGE_NO_ALT',
  /** Substack's subscribe widget (a form, meaningless in email) was removed. */
  'DROPPED_SUBSCRIBE_WIDGET',
  /** The body was cut at Substack's paywall marker and ends with a "Continue reading" button. */
  'PAYWALL_CUT',
  /** The front matter has a field tidings does not know (often a typo); it was ignored. */
  'UNKNOWN_FRONT_MATTER_FIELD',
  /** A feed item has no usable date; the feed's own date (or the Unix epoch) stands in. */
  'ITEM_NO_DATE',
  /** A feed item has no title; one was made from its text. */
  'ITEM_NO_TITLE',
  /**
   * A feed item has no link and the feed has no site link either: the post points at the config's site
   * URL when the loader knows it, otherwise the email has no "read online" links for it.
   */
  'ITEM_NO_LINK',
  /** A podcast episode's chapters file could not be fetched or is not a JSON chapters file; the chapters are left out. */
  'CHAPTERS_UNAVAILABLE',
  /** An episode's transcript could not be fetched or read; the archive page links to it instead of showing it. */
  'TRANSCRIPT_UNAVAILABLE',
  /** The rendered email would pass the HTML budget (Gmail clips at 102 KB); the body was cut, or the digest is too long. */
  'GMAIL_CLIP_RISK',
  /** A media placeholder in the body points at a media item the post does not have; it was left out. */
  'MEDIA_PLACEHOLDER_UNKNOWN',
  /** HTML nested deeper than 100 levels (hostile or broken markup) was flattened to its text there. */
  'FLATTENED_NESTING',
] as const;

/** One of {@link WARNING_CODES}. */
export type WarningCode = (typeof WARNING_CODES)[number];

/** A warning with a stable code, shown by `tidings preview` and logged by the pipeline. */
export interface Warning {
  /** One of {@link WARNING_CODES}: scripts match on it, so a new one is added there first. */
  readonly code: WarningCode;
  readonly message: string;
  /** Which post it is about (its slug), when several posts are previewed together (a digest). */
  readonly post?: string;
}

/**
 * Collects warnings while a post is normalized, one entry per code: the first detail is kept and later
 * ones are counted, so a post with 40 images without alt gives one readable line, not 40.
 */
export class WarningCollector {
  readonly #byCode = new Map<WarningCode, { message: string; count: number }>();

  add(code: WarningCode, message: string): void {
    const seen = this.#byCode.get(code);
    if (seen) seen.count += 1;
    else this.#byCode.set(code, { message, count: 1 });
  }

  /** Adds warnings that were already collected elsewhere (e.g. by the body sanitizer). */
  addAll(warnings: readonly Warning[]): void {
    for (const w of warnings) this.add(w.code, w.message);
  }

  list(): Warning[] {
    return [...this.#byCode].map(([code, { message, count }]) => ({
      code,
      message: count > 1 ? `${message} (and ${count - 1} more)` : message,
    }));
  }
}
