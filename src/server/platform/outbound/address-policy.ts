import { parseIpAddress, type IpAddress } from '../net/ip-network.js';

/** A range of addresses that outbound requests must not reach, with what it is. */
interface BlockedRange {
  version: 4 | 6;
  base: bigint;
  prefixLength: number;
  /** Completes "10.0.0.5 is ...", such as "a private address". */
  description: string;
}

function range(version: 4 | 6, text: string, description: string): BlockedRange {
  const [address = '', prefix = ''] = text.split('/');
  const parsed = parseIpAddress(address);
  if (parsed === undefined) {
    throw new Error(`invalid built-in range ${text}`);
  }
  return { version, base: parsed.value, prefixLength: Number(prefix), description };
}

function contains(blocked: BlockedRange, address: IpAddress): boolean {
  const bits = blocked.version === 4 ? 32 : 128;
  return (
    blocked.version === address.version &&
    address.value >> BigInt(bits - blocked.prefixLength) ===
      blocked.base >> BigInt(bits - blocked.prefixLength)
  );
}

// IPv4 ranges that are not on the public internet (IANA special-purpose registry, RFC 6890).
// The first match gives the description, so the broadcast address comes before 240.0.0.0/4.
const IPV4_BLOCKED: readonly BlockedRange[] = [
  range(4, '0.0.0.0/8', 'an unspecified address'),
  range(4, '10.0.0.0/8', 'a private address'),
  range(4, '100.64.0.0/10', 'a shared (carrier-grade NAT) address'),
  range(4, '127.0.0.0/8', 'a loopback address'),
  range(4, '169.254.0.0/16', 'a link-local address'),
  range(4, '172.16.0.0/12', 'a private address'),
  range(4, '192.0.0.0/24', 'a reserved address'),
  range(4, '192.0.2.0/24', 'a documentation address'),
  range(4, '192.88.99.0/24', 'a reserved address'),
  range(4, '192.168.0.0/16', 'a private address'),
  range(4, '198.18.0.0/15', 'a reserved address'),
  range(4, '198.51.100.0/24', 'a documentation address'),
  range(4, '203.0.113.0/24', 'a documentation address'),
  range(4, '224.0.0.0/4', 'a multicast address'),
  range(4, '255.255.255.255/32', 'the broadcast address'),
  range(4, '240.0.0.0/4', 'a reserved address'),
];

// IPv6 outside 2000::/3 is not global unicast; these give the usual names of its parts.
const IPV6_OUTSIDE_GLOBAL: readonly BlockedRange[] = [
  range(6, '::/128', 'an unspecified address'),
  range(6, '::1/128', 'a loopback address'),
  range(6, 'fc00::/7', 'a unique local address'),
  range(6, 'fe80::/10', 'a link-local address'),
  range(6, 'fec0::/10', 'a site-local address'),
  range(6, 'ff00::/8', 'a multicast address'),
];

// Parts of 2000::/3 that are not ordinary public addresses. 2001::/23 holds Teredo, ORCHID and
// benchmarking ranges; Teredo tunnels can lead to any IPv4 address.
const IPV6_GLOBAL_BLOCKED: readonly BlockedRange[] = [
  range(6, '2001:db8::/32', 'a documentation address'),
  range(6, '3fff::/20', 'a documentation address'),
  range(6, '2001::/23', 'a reserved address'),
];

const GLOBAL_UNICAST = range(6, '2000::/3', '');
const NAT64 = range(6, '64:ff9b::/96', '');
const SIX_TO_FOUR = range(6, '2002::/16', '');

/**
 * Returns why an address must not be reached (such as "a private address"), or undefined for a
 * public address. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64 `64:ff9b::/96` and
 * 6to4 `2002::/16`) are judged by the IPv4 address they lead to. Text that is not an address is
 * refused too.
 */
export function blockedAddressReason(text: string): string | undefined {
  const address = parseIpAddress(text);
  if (address === undefined) {
    return 'not a valid IP address';
  }
  return classify(address);
}

function classify(address: IpAddress): string | undefined {
  if (address.version === 4) {
    return IPV4_BLOCKED.find((blocked) => contains(blocked, address))?.description;
  }

  const embedded = embeddedIpv4(address);
  if (embedded !== undefined) {
    const reason = classify(embedded);
    return reason === undefined ? undefined : `an address of ${formatIpv4(embedded)}, ${reason}`;
  }
  if (!contains(GLOBAL_UNICAST, address)) {
    const named = IPV6_OUTSIDE_GLOBAL.find((blocked) => contains(blocked, address));
    // The rest, such as the deprecated IPv4-compatible `::a.b.c.d`, is reserved or unassigned.
    return named?.description ?? 'a reserved address';
  }
  return IPV6_GLOBAL_BLOCKED.find((blocked) => contains(blocked, address))?.description;
}

function embeddedIpv4(address: IpAddress): IpAddress | undefined {
  if (contains(NAT64, address)) {
    return { version: 4, value: address.value & 0xffffffffn };
  }
  if (contains(SIX_TO_FOUR, address)) {
    return { version: 4, value: (address.value >> 80n) & 0xffffffffn };
  }
  return undefined;
}

function formatIpv4(address: IpAddress): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
}
