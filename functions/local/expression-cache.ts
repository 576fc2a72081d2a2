import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type AttributeValue = Record<string, unknown>;
interface ParseContext {
  readonly attrNames?: Record<string, string>;
  readonly attrVals?: Record<string, AttributeValue>;
  readonly unusedAttrNames?: Record<string, true>;
  readonly unusedAttrVals?: Record<string, true>;
  readonly isKeyCondition?: boolean;
}
type Parse = (input: string, options: { context: ParseContext }) => unknown;
interface Parser {
  parse: Parse & { tidingsCached?: true };
}

const VALUE = Symbol('expression value');
/** A parse result with each expression value replaced by a hole naming it, to be filled in per request. */
type Template = Hole | readonly Template[] | { readonly [k: string]: Template } | Leaf;
type Hole = { readonly [VALUE]: string };
type Leaf = string | number | boolean | null | undefined;
/** Entries kept per parser: the expressions a stack sends are a few dozen. */
const MAX_ENTRIES = 1000;
/**
 * Checks that read a value's content, not only its type: a cached parse would skip them for the next
 * values, so expressions that use them are always parsed (conditionParser.js checkFunction, checkBetweenArgs).
 */
const READS_CONTENT = /between|attribute_type/i;

/**
 * dynalite parses every request's expressions (a claim's condition, a result's update) with PEG.js
 * parsers that resolve the `#names` and `:values` while they parse, so their result cannot simply be
 * reused: about a fifth of the DynamoDB thread's CPU in an edition (perf, 2,000 readers at 2,000/s), and
 * the parsers' cold code was a sixth of the optimizing compiler's work in the edition's first seconds
 * (--trace-opt). Here the parse of an expression is kept per expression, names and value types, with
 * the values left as holes; a later request gets the same result with its own values, and its used
 * names and values are marked as the parser marks them. An entry is trusted only after one more parse
 * gave exactly what the holes filled in give, values in the same places; otherwise that expression is
 * always parsed. Errors are never cached: a failing expression is parsed each time, and says why.
 */
export function cacheExpressionParses(): void {
  const fromDynalite = createRequire(require.resolve('dynalite'));
  for (const name of ['./db/conditionParser', './db/updateParser', './db/projectionParser']) {
    const parser = fromDynalite(name) as Parser;
    if (!parser.parse.tidingsCached) parser.parse = cachedParse(parser.parse);
  }
}

type Entry = { trusted: boolean; readonly template: Template } | 'uncacheable';

export function cachedParse(parse: Parse): Parse & { tidingsCached: true } {
  const entries = new Map<string, Entry>();
  const cached = (input: string, options: { context: ParseContext }) => {
    const { context } = options;
    const values = context.attrVals ?? {};
    const key = READS_CONTENT.test(input) ? undefined : keyOf(input, context);
    const entry = key === undefined ? 'uncacheable' : entries.get(key);
    if (entry !== undefined && entry !== 'uncacheable' && entry.trusted) {
      for (const n of input.match(/#[0-9A-Za-z_]+/g) ?? []) delete context.unusedAttrNames?.[n];
      for (const v of input.match(/:[0-9A-Za-z_]+/g) ?? []) delete context.unusedAttrVals?.[v];
      return fill(entry.template, values);
    }
    const result = parse(input, options);
    if (key === undefined || entry === 'uncacheable') return result;
    if (entry === undefined) {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const template = holes(result, values);
      entries.set(key, template === undefined ? 'uncacheable' : { trusted: false, template });
    } else if (same(fill(entry.template, values), result, new Set(Object.values(values))))
      entry.trusted = true;
    else entries.set(key, 'uncacheable');
    return result;
  };
  return Object.assign(cached, { tidingsCached: true as const });
}

/** The expression, its names, and the shape of each value (type tags all the way down, no content). */
function keyOf(input: string, context: ParseContext): string {
  const shape = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(shape)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]))
        : typeof v;
  return `${context.isKeyCondition ? 'K' : 'E'}\u0000${input}\u0000${JSON.stringify(context.attrNames ?? {})}\u0000${JSON.stringify(shape(context.attrVals ?? {}))}`;
}

/** The result with each value object (by identity) replaced by its name; undefined if it holds anything else. */
function holes(result: unknown, values: Record<string, AttributeValue>): Template | undefined {
  const names = new Map<unknown, string>(Object.entries(values).map(([k, v]) => [v, k]));
  let ok = true;
  const walk = (x: unknown): Template => {
    if (x === null || typeof x !== 'object') return x as Leaf;
    const name = names.get(x);
    if (name !== undefined) return { [VALUE]: name };
    if (Array.isArray(x)) return x.map(walk);
    const proto = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) ok = false;
    const copy = Object.create(proto) as Record<string, Template>;
    for (const k of Object.keys(x)) copy[k] = walk((x as Record<string, unknown>)[k]);
    return copy;
  };
  const template = walk(result);
  return ok ? template : undefined;
}

/** A fresh copy of the template with this request's values in its holes. */
function fill(template: Template, values: Record<string, AttributeValue>): unknown {
  if (template === null || typeof template !== 'object') return template;
  if (VALUE in template) return values[template[VALUE]];
  if (Array.isArray(template)) return template.map((t) => fill(t, values));
  const copy = Object.create(Object.getPrototypeOf(template)) as Record<string, unknown>;
  for (const k of Object.keys(template)) copy[k] = fill((template as Record<string, Template>)[k], values);
  return copy;
}

/** Deep equality, where this request's value objects must be the very objects the parser placed. */
function same(a: unknown, b: unknown, placed: ReadonlySet<unknown>): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  // A value must be the request's own object where the parser put it, not an equal copy either way.
  if (placed.has(a) || placed.has(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b))
    return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) &&
      same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], placed),
  );
}
