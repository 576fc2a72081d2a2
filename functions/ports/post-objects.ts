/** Where authors put Markdown posts as files (the posts bucket on AWS). */
export interface PostObjects {
  /** The text of one object; throws when it cannot be read. */
  readText(bucket: string, key: string): Promise<string>;
}
