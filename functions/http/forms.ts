import { InvalidInputError } from '../core/errors.ts';

/** Bodies larger than this are refused before parsing: no form here needs more. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a POST body as fields: `application/x-www-form-urlencoded` (an HTML form, the RFC 8058 one-click
 * POST) or `application/json` (an object of strings, or arrays of strings for repeated fields such as
 * `list`). Anything else is read as urlencoded, because some mail providers send the one-click body
 * without a content type. Throws InvalidInputError for a body that is too large or JSON of another shape.
 */
export function parseFormBody(body: string, contentType: string | undefined): URLSearchParams {
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    throw new InvalidInputError('BODY_TOO_LARGE', `request body: larger than ${MAX_BODY_BYTES} bytes`);
  }
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return fromJson(body);
  return new URLSearchParams(body);
}

function fromJson(body: string): URLSearchParams {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidInputError(
      'BODY_INVALID_JSON',
      'request body: not valid JSON; send an object of strings',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidInputError('BODY_INVALID_JSON', 'request body: JSON must be an object of strings');
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(parsed)) {
    // `lists` is the natural JSON spelling of the repeated form field `list`.
    const name = key === 'lists' ? 'list' : key;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v === 'string') params.append(name, v);
      else if (typeof v === 'number' || typeof v === 'boolean') params.append(name, String(v));
      else throw new InvalidInputError('BODY_INVALID_JSON', `request body: field "${key}" must be a string`);
    }
  }
  return params;
}

/** A field's trimmed value, or '' when absent. */
export function field(fields: URLSearchParams, name: string, maxLength = 1000): string {
  return (fields.get(name) ?? '').trim().slice(0, maxLength);
}
