/**
 * SES takes at most 50 recipients per message, and a send batch larger than that makes one slow SQS
 * message hold many recipients hostage to one retry. 50 is the ceiling; smaller sizes are allowed.
 */
export const MAX_BATCH_SIZE = 50;

/**
 * Splits items into batches of at most `size` (clamped to 1..50), keeping their order.
 *
 * @example
 * toBatches(range(120), 50).map((b) => b.length) // [50, 50, 20]
 */
export function toBatches<T>(items: readonly T[], size: number = MAX_BATCH_SIZE): T[][] {
  const n = Math.max(1, Math.min(MAX_BATCH_SIZE, Math.floor(size)));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/**
 * Keeps the first occurrence of each key. The planner pages subscribers by a keyset cursor; a
 * subscriber must appear once per edition even if a store returns them twice (Ghost #12259: members
 * with several subscriptions got duplicates because the recipient set had no DISTINCT).
 */
export function distinctBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  seen: Set<string> = new Set(),
): T[] {
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}
