// The scripts written right to left, by their BCP 47 primary language subtag.
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ks', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** The text direction of a BCP 47 language tag. */
export function directionOf(lang: string): 'ltr' | 'rtl' {
  const [primary = ''] = lang.toLowerCase().split('-');
  return RTL.has(primary) || /-(arab|hebr|thaa|syrc)\b/i.test(lang) ? 'rtl' : 'ltr';
}
