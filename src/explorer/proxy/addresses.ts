/**
 * Which IP addresses the explorer proxy may dial: public unicast only. Everything else is
 * refused: loopback, private (RFC 1918), carrier-grade NAT, link-local (and the cloud metadata
 * address 169.254.169.254), "this network", documentation, benchmarking, multicast, reserved,
 * IPv6 loopback/unspecified, ULA (fc00::/7), link-local, site-local, and the IPv6 forms that
 * embed an IPv4 address (mapped ::ffff:0:0/96, NAT64, 6to4, Teredo), whatever they embed.
 *
 * Addresses come canonical from the WHATWG URL parser (`0x7f.1`, `2130706433`, `017700000001`
 * and `127.1` all parse to `127.0.0.1`) or from DNS; `net.isIP` rejects anything else.
 */
import { BlockList, isIP } from 'node:net';

const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const V6_BLOCKED: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

// Two lists: Node's BlockList also matches IPv4 addresses against IPv4-mapped IPv6 rules.
const blockedV4 = new BlockList();
for (const [net, prefix] of V4_BLOCKED) blockedV4.addSubnet(net, prefix, 'ipv4');
const blockedV6 = new BlockList();
for (const [net, prefix] of V6_BLOCKED) blockedV6.addSubnet(net, prefix, 'ipv6');

/** `[::1]` → `::1`; other strings unchanged. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** True only for a public unicast IPv4 or IPv6 address. */
export function isPublicAddress(address: string): boolean {
  const ip = unbracket(address).split('%')[0]!; // zone ids (fe80::1%eth0) are link-local anyway
  const family = isIP(ip);
  if (family === 4) return !blockedV4.check(ip, 'ipv4');
  if (family === 6) return !blockedV6.check(ip, 'ipv6');
  return false;
}

const loopbackV4 = new BlockList();
loopbackV4.addSubnet('127.0.0.0', 8, 'ipv4');
const loopbackV6 = new BlockList();
loopbackV6.addAddress('::1', 'ipv6');
loopbackV6.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

export function isLoopbackAddress(address: string): boolean {
  const ip = unbracket(address);
  const family = isIP(ip);
  if (family === 4) return loopbackV4.check(ip, 'ipv4');
  if (family === 6) return loopbackV6.check(ip, 'ipv6');
  return false;
}

/** `localhost`, `*.localhost` (RFC 6761), with or without the final dot. */
export function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}
