/**
 * DNS as `tidings doctor` reads it. A name with no record of the type (NXDOMAIN, NODATA) gives `[]`;
 * any other failure (a timeout, SERVFAIL) throws.
 */
export interface DnsLookup {
  /** TXT records, each one's character-strings joined. */
  txt(name: string): Promise<readonly string[]>;
  /** MX exchanges, lowest priority first. */
  mx(name: string): Promise<readonly string[]>;
}
