// A cap on how deeply a body's elements nest, applied right after parsing and before anything walks or
// serializes the tree: dom-serializer, css-select and sanitize-html recurse once per level, and a post or a
// feed item nested a few thousand levels deep (15 KB of `<div>`s) overflowed the stack.
import type { CheerioAPI } from 'cheerio/slim';
import { type AnyNode, hasChildren, isTag, Text } from 'domhandler';
import type { WarningCollector } from './warnings.ts';

/**
 * Deepest element nesting a body keeps. Real posts stay well under 30 levels (Substack's deepest markup
 * is about 10); anything past this is flattened to its text.
 */
export const MAX_BODY_NESTING = 100;

/**
 * Flattens every element at depth `max` whose subtree nests further: its descendants become their text,
 * in order, and one `FLATTENED_NESTING` warning says so. Iterative (an explicit stack), so it cannot
 * overflow however deep the input is. Returns how many subtrees were flattened.
 *
 * @example
 * const $ = load('<div>'.repeat(3000) + 'x' + '</div>'.repeat(3000), {}, false);
 * capNesting($, warnings) // 1: the div at depth 100 now holds the text 'x'
 */
export function capNesting($: CheerioAPI, warnings: WarningCollector, max = MAX_BODY_NESTING): number {
  let flattened = 0;
  const stack: [AnyNode, number][] = $.root()
    .contents()
    .toArray()
    .map((n): [AnyNode, number] => [n, 1]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [AnyNode, number];
    if (!isTag(node)) continue;
    if (depth < max) {
      for (const child of node.children) stack.push([child, depth + 1]);
      continue;
    }
    if (!node.children.some(isTag)) continue;
    const text = new Text(nodeText(node));
    text.parent = node;
    node.children = [text];
    flattened++;
  }
  if (flattened > 0) {
    warnings.add(
      'FLATTENED_NESTING',
      `flattened HTML nested deeper than ${max} levels to its text (${flattened} place${flattened > 1 ? 's' : ''})`,
    );
  }
  return flattened;
}

/**
 * The text of a subtree in document order, without recursion (domutils' textContent recurses once per
 * level, and overflows on the same hostile input).
 *
 * @example
 * nodeText(load('<p>a<b>b</b></p>', {}, false).root()[0]) // 'ab'
 */
export function nodeText(root: AnyNode): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (node instanceof Text) parts.push(node.data);
    else if (hasChildren(node))
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
  }
  return parts.join('');
}
