// How much of a row an import keeps: the same bounds as the signup form, so that an imported subscriber
// is no larger than one who signed up, and no row can outgrow a store item (400 KB in DynamoDB).

/** A name is cut to this many characters, as the signup form cuts it (use-cases/subscribe.ts). */
export const MAX_IMPORT_NAME_LENGTH = 100;

/**
 * A cell longer than this makes its row a `field-too-long` problem: no column of any export needs more
 * (an address is at most 320, a tag list or a JSON of attributes a few hundred), and the form reads no
 * field longer than 1,000 characters either.
 */
export const MAX_IMPORT_CELL_LENGTH = 1000;
