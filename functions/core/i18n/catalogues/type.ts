/** One language's strings by key (flat: `email.viewInBrowser`), plural keys with their `_one`/`_other`… suffix. */
export type Catalogue = Readonly<Record<string, string>>;
