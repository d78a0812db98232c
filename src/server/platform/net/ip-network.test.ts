import { describe, expect, it } from 'vitest';

import { networkContains, parseIpAddress, parseIpNetwork } from './ip-network.js';

function isListed(ip: string, networks: string[]): boolean {
  const address = parseIpAddress(ip);
  if (address === undefined) {
    throw new Error(`test address ${ip} does not parse`);
  }
  return networks.some((text) => {
    const network = parseIpNetwork(text);
    return network !== undefined && networkContains(network, address);
  });
}

// Address, listed networks, expected decision; the first rows are Relay's client-IP filter cases.
const CASES: [string, string[], boolean][] = [
  ['1.2.3.4', [], false],
  ['122.33.230.14', ['122.33.230.14'], true],
  ['122.33.230.14', ['112.133.110.33', '122.33.230.14'], true],
  ['aaaa:bbbb::cccc', ['aaaa:bbbb::cccc'], true],
  ['aaaa:bbbb::cccc', ['121.121.12.121', 'aaaa:bbbb::cccc'], true],
  ['aaaa:bbbb::ccce', ['aaaa:bbbb::cccc'], false],
  ['122.33.230.1', ['122.33.230.0/30'], true],
  ['122.33.230.2', ['122.33.230.0/30'], true],
  ['122.33.230.4', ['122.33.230.0/30'], false],
  ['122.33.230.5', ['122.33.230.4/30'], true],
  ['a:b:c::1', ['a:b:c::0/126'], true],
  ['a:b:c::2', ['a:b:c::0/126'], true],
  ['a:b:c::4', ['a:b:c::0/126'], false],
  ['a:b:c::5', ['a:b:c::4/126'], true],
  ['127.0.0.1', ['0.0.0.0', '192.168.1.1', '10.0.0.0/8'], false],
  ['127.0.0.1', ['127.0.0.1'], true],
  ['127.0.0.1', ['0.0.0.0', '127.0.0.1', '192.168.1.1'], true],
  ['127.0.0.1', ['127.0.0.0/8'], true],
  ['127.0.0.1', ['0.0.0.0', '127.0.0.0/8', '192.168.1.0/8'], true],
  ['127.0.0.1', ['lol/bar'], false],
  ['2001:db8:0:0:0:ff00:42:8329', ['2001:db8::/32'], true],
  ['2001:db9::1', ['2001:db8::/32'], false],
  ['::1', ['::1/128'], true],
  ['1.2.3.4', ['::/0'], false],
  ['1.2.3.4', ['0.0.0.0/0'], true],
  ['::ffff:10.1.2.3', ['10.0.0.0/8'], true],
];

describe('CIDR matching', () => {
  it.each(CASES)('%s against %j is %s', (ip, networks, expected) => {
    expect(isListed(ip, networks)).toBe(expected);
  });
});

describe('parseIpAddress', () => {
  it('reads an embedded IPv4 tail of an IPv6 address', () => {
    expect(parseIpAddress('64:ff9b::10.0.0.1')).toEqual({
      version: 6,
      value: (0x64n << 112n) | (0xff9bn << 96n) | 0x0a000001n,
    });
  });

  it('reads an IPv4-mapped address as IPv4', () => {
    expect(parseIpAddress('::ffff:127.0.0.1')).toEqual({ version: 4, value: 0x7f000001n });
  });

  it('rejects text that is not an address', () => {
    expect(parseIpAddress('localhost')).toBeUndefined();
  });

  it('rejects a zone index', () => {
    expect(parseIpAddress('fe80::1%eth0')).toBeUndefined();
  });
});

describe('parseIpNetwork', () => {
  it('clears host bits of the base address', () => {
    expect(parseIpNetwork('10.0.0.5/30')).toEqual({
      version: 4,
      base: 0x0a000004n,
      prefixLength: 30,
    });
  });

  it('rejects an IPv4 prefix over 32', () => {
    expect(parseIpNetwork('10.0.0.0/33')).toBeUndefined();
  });

  it('rejects an IPv6 prefix over 128', () => {
    expect(parseIpNetwork('::/129')).toBeUndefined();
  });

  it('rejects a prefix that is not a number', () => {
    expect(parseIpNetwork('10.0.0.0/8a')).toBeUndefined();
  });

  it('rejects two slashes', () => {
    expect(parseIpNetwork('10.0.0.0/8/8')).toBeUndefined();
  });
});
