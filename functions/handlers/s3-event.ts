/** An object key as S3 events carry it (URL-encoded, spaces as `+`), as the key itself. */
export function eventObjectKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}
