import { Resolver } from 'node:dns/promises';
import type { DnsLookup } from '../../ports/dns-lookup.ts';

/** Codes node:dns gives for a name without records of the type asked: an answer, not a failure. */
const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

/**
 * DNS through node's resolver (c-ares): the system's name servers, or `servers` (`ip` or `ip:port`, as
 * `tidings doctor --dns` and the tests give a server on 127.0.0.1).
 */
export class NodeDnsLookup implements DnsLookup {
  readonly #resolver: Resolver;

  constructor(servers?: readonly string[]) {
    this.#resolver = new Resolver({ timeout: 3_000, tries: 2 });
    if (servers?.length) this.#resolver.setServers([...servers]);
  }

  async txt(name: string): Promise<readonly string[]> {
    return this.#none(async () => (await this.#resolver.resolveTxt(name)).map((r) => r.join('')));
  }

  async mx(name: string): Promise<readonly string[]> {
    return this.#none(async () =>
      (await this.#resolver.resolveMx(name)).sort((a, b) => a.priority - b.priority).map((r) => r.exchange),
    );
  }

  async #none(lookup: () => Promise<string[]>): Promise<readonly string[]> {
    try {
      return await lookup();
    } catch (error) {
      if (NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) return [];
      throw error;
    }
  }
}
