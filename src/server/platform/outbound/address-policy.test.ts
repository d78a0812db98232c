import { describe, expect, it } from 'vitest';

import { blockedAddressReason } from './address-policy.js';
import { OutboundAllowList } from './allow-list.js';

describe('blockedAddressReason', () => {
  it.each([
    ['10.0.0.5', 'a private address'],
    ['10.255.255.255', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.254', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['169.254.169.254', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
    ['100.127.255.255', 'a shared (carrier-grade NAT) address'],
    ['224.0.0.251', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['240.0.0.1', 'a reserved address'],
    ['192.0.0.8', 'a reserved address'],
    ['198.18.0.1', 'a reserved address'],
    ['192.0.2.10', 'a documentation address'],
    ['198.51.100.7', 'a documentation address'],
    ['203.0.113.99', 'a documentation address'],
    ['::', 'an unspecified address'],
    ['::1', 'a loopback address'],
    ['fe80::1', 'a link-local address'],
    ['febf::1', 'a link-local address'],
    ['fc00::1', 'a unique local address'],
    ['fd12:3456::1', 'a unique local address'],
    ['fec0::1', 'a site-local address'],
    ['ff02::1', 'a multicast address'],
    ['2001:db8::1', 'a documentation address'],
    ['2001::1', 'a reserved address'],
    ['::ffff:10.0.0.5', 'a private address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:a9fe:a9fe', 'a link-local address'],
    ['::127.0.0.1', 'a reserved address'],
    ['::8.8.8.8', 'a reserved address'],
    ['64:ff9b::10.0.0.5', 'an address of 10.0.0.5, a private address'],
    ['64:ff9b::7f00:1', 'an address of 127.0.0.1, a loopback address'],
    ['64:ff9b::a9fe:a9fe', 'an address of 169.254.169.254, a link-local address'],
    ['2002:a00:5::1', 'an address of 10.0.0.5, a private address'],
    ['2002:7f00:1::', 'an address of 127.0.0.1, a loopback address'],
    ['100::1', 'a reserved address'],
    ['not-an-address', 'not a valid IP address'],
    ['fe80::1%eth0', 'not a valid IP address'],
  ])('refuses %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.0.1',
    '192.169.0.1',
    '223.255.255.255',
    '11.0.0.1',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:81c::200e',
  ])('allows the public address %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });
});

describe('OutboundAllowList', () => {
  const allow = new OutboundAllowList([
    'Hooks.Internal',
    '10.1.0.0/16',
    '127.0.0.1',
    'fd00::/8',
    ' ',
    'chat.example.com.',
  ]);

  it('matches host names exactly without regard to case', () => {
    expect(allow.allowsHost('hooks.internal')).toBe(true);
    expect(allow.allowsHost('HOOKS.INTERNAL.')).toBe(true);
    expect(allow.allowsHost('chat.example.com')).toBe(true);
  });

  it('does not match other host names', () => {
    expect(allow.allowsHost('a.hooks.internal')).toBe(false);
    expect(allow.allowsHost('hooks.internal.evil.com')).toBe(false);
    expect(allow.allowsHost('10.1.2.3')).toBe(false);
  });

  it('matches addresses in listed ranges', () => {
    expect(allow.allowsAddress('10.1.2.3')).toBe(true);
    expect(allow.allowsAddress('127.0.0.1')).toBe(true);
    expect(allow.allowsAddress('::ffff:127.0.0.1')).toBe(true);
    expect(allow.allowsAddress('fd00::5')).toBe(true);
  });

  it('does not match addresses outside them', () => {
    expect(allow.allowsAddress('10.2.0.1')).toBe(false);
    expect(allow.allowsAddress('127.0.0.2')).toBe(false);
    expect(allow.allowsAddress('::1')).toBe(false);
    expect(allow.allowsAddress('fe80::1')).toBe(false);
    expect(allow.allowsAddress('hooks.internal')).toBe(false);
  });

  it('allows nothing when empty', () => {
    const empty = new OutboundAllowList([]);
    expect(empty.allowsHost('localhost')).toBe(false);
    expect(empty.allowsAddress('127.0.0.1')).toBe(false);
  });
});
