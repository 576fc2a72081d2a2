import { InvalidInputError } from '../core/errors.ts';

/** Bodies larger than this are refused before parsing: no form here needs more. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a POST body as fields: `application/x-www-form-urlencoded` (an HTML form), `multipart/form-data`
 * (what RFC 8058 says the one-click POST SHOULD be, and what Gmail and Yahoo send; parsed by Node's
 * built-in WHATWG `Response.formData()`, file parts ignored) or `application/json` (an object of strings,
 * or arrays of strings for repeated fields such as `list`). Anything else is read as urlencoded, because
 * some mail providers send the one-click body without a content type. Throws InvalidInputError for a
 * body that is too large, multipart that does not parse, or JSON of another shape.
 */
export async function parseFormBody(body: string, contentType: string | undefined): Promise<URLSearchParams> {
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) {
    throw new InvalidInputError('BODY_TOO_LARGE', `request body: larger than ${MAX_BODY_BYTES} bytes`);
  }
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return fromJson(body);
  if (type === 'multipart/form-data') return fromMultipart(body, contentType ?? '');
  return new URLSearchParams(body);
}

async function fromMultipart(body: string, contentType: string): Promise<URLSearchParams> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new InvalidInputError(
      'BODY_INVALID_MULTIPART',
      'request body: multipart/form-data that does not parse; check the boundary in the Content-Type',
    );
  }
  const params = new URLSearchParams();
  for (const [name, value] of form.entries()) if (typeof value === 'string') params.append(name, value);
  return params;
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
