import {
  networkContains,
  parseIpAddress,
  parseIpNetwork,
  type IpNetwork,
} from '../net/ip-network.js';

/**
 * The destinations an administrator allowed although they are not public
 * (`PICKET_OUTBOUND_ALLOW`): host names, matched exactly and without regard to case, and IP
 * addresses or CIDR ranges.
 */
export class OutboundAllowList {
  readonly #hosts: ReadonlySet<string>;
  readonly #networks: readonly IpNetwork[];

  constructor(entries: readonly string[]) {
    const hosts = new Set<string>();
    const networks: IpNetwork[] = [];
    for (const entry of entries) {
      const trimmed = entry.trim();
      if (trimmed === '') {
        continue;
      }
      const network = parseIpNetwork(trimmed);
      if (network === undefined) {
        hosts.add(normalizeHost(trimmed));
      } else {
        networks.push(network);
      }
    }
    this.#hosts = hosts;
    this.#networks = networks;
  }

  /** Checks whether a host name is listed; a listed name skips the address check. */
  allowsHost(hostname: string): boolean {
    return this.#hosts.has(normalizeHost(hostname));
  }

  /** Checks whether an address lies in a listed address or range. */
  allowsAddress(address: string): boolean {
    const parsed = parseIpAddress(address);
    return (
      parsed !== undefined && this.#networks.some((network) => networkContains(network, parsed))
    );
  }
}

// `Hooks.Example.com.` and `hooks.example.com` name the same host.
function normalizeHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}
