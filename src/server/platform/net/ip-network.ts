import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number, with its version. */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

/** An address range in CIDR form; a plain address is a range of one (`/32` or `/128`). */
export interface IpNetwork {
  version: 4 | 6;
  /** The network address with the host bits cleared. */
  base: bigint;
  prefixLength: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function ipv4ToBigInt(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(text: string): bigint {
  // An embedded IPv4 tail such as `::ffff:10.0.0.1` is rewritten as its two 16-bit groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let hex = text;
  if (tail.includes('.')) {
    const v4 = ipv4ToBigInt(tail);
    hex = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }

  const [left = '', right] = hex.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const missing = 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(missing).fill('0'), ...rightGroups];

  return groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

/**
 * Parses an IPv4 or IPv6 address. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as Node
 * reports IPv4 clients on a dual-stack socket) is read as the IPv4 address it carries.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const trimmed = text.trim();

  if (isIPv4(trimmed)) {
    return { version: 4, value: ipv4ToBigInt(trimmed) };
  }
  if (!isIPv6(trimmed) || trimmed.includes('%')) {
    return undefined;
  }

  const value = ipv6ToBigInt(trimmed);
  if (value >> 32n === 0xffffn) {
    return { version: 4, value: value & 0xffffffffn };
  }
  return { version: 6, value };
}

function hostMask(version: 4 | 6, prefixLength: number): bigint {
  return (1n << BigInt(BITS[version] - prefixLength)) - 1n;
}

/**
 * Parses `address` or `address/prefix` for IPv4 and IPv6. Host bits may be set
 * (`10.0.0.5/30` is the range 10.0.0.4 to 10.0.0.7), as Relay's `ipnetwork` parser allows.
 */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const [addressText = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) {
    return undefined;
  }

  const trimmed = addressText.trim();
  const version = isIPv4(trimmed) ? 4 : isIPv6(trimmed) && !trimmed.includes('%') ? 6 : undefined;
  if (version === undefined) {
    return undefined;
  }

  const value = version === 4 ? ipv4ToBigInt(trimmed) : ipv6ToBigInt(trimmed);
  const prefixLength = prefixText === undefined ? BITS[version] : Number(prefixText.trim());
  const validPrefix =
    prefixText === undefined ||
    (/^\s*\d{1,3}\s*$/.test(prefixText) && prefixLength <= BITS[version]);
  if (!validPrefix) {
    return undefined;
  }

  return { version, base: value & ~hostMask(version, prefixLength), prefixLength };
}

/** Checks whether the address lies in the network. IPv4 and IPv6 never contain each other. */
export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  if (network.version !== address.version) {
    return false;
  }
  return (address.value & ~hostMask(network.version, network.prefixLength)) === network.base;
}
