import type { DnsLookup } from '../../ports/dns-lookup.ts';

/** DNS from a table of records; a name listed in `failing` throws, as a timeout would. */
export class MemoryDnsLookup implements DnsLookup {
  constructor(
    private readonly records: {
      readonly txt?: Readonly<Record<string, readonly string[]>>;
      readonly mx?: Readonly<Record<string, readonly string[]>>;
      readonly failing?: readonly string[];
    } = {},
  ) {}

  async txt(name: string): Promise<readonly string[]> {
    this.#fail(name);
    return [...(this.records.txt?.[name] ?? [])];
  }

  async mx(name: string): Promise<readonly string[]> {
    this.#fail(name);
    return [...(this.records.mx?.[name] ?? [])];
  }

  #fail(name: string): void {
    if (this.records.failing?.includes(name)) throw new Error(`queryTxt ETIMEOUT ${name}`);
  }
}
