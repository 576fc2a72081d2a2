import type { ErrorCode } from './error-codes.ts';

/**
 * The base of every error tidings raises on purpose. `code` is one of ERROR_CODES (error-codes.ts), stable and machine-matchable;
 * `message` is one line for people: what is wrong, where, and how to fix it.
 *
 * @example
 * throw new TidingsError('POST_FIELD_MISSING', 'examples/posts/a.md: front matter field "title" is required');
 */
export class TidingsError extends Error {
  override readonly name: string = 'TidingsError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The input (a post, a feed, a CSV row, a config field) is wrong; the message says where. */
export class InvalidInputError extends TidingsError {
  override readonly name = 'InvalidInputError';
}

/** The configuration file does not validate. */
export class ConfigError extends TidingsError {
  override readonly name = 'ConfigError';
}

/** Something that was asked for does not exist (a post id, an edition, a list). */
export class NotFoundError extends TidingsError {
  override readonly name = 'NotFoundError';
}
