/**
 * The client's network address, as rate limits and the audit trail know
 * it. Directly connected, it is the socket's peer. Behind a load balancer
 * the operator names (TRUSTED_PROXIES), it is the address that proxy put
 * last in X-Forwarded-For; a header from anyone else is ignored, so a
 * client cannot choose the address it is counted under.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `::ffff:10.0.0.1` as `10.0.0.1`: one client, one address, however the socket reports it. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export function clientAddressResolver(trustedProxies: readonly string[]): (req: IncomingMessage) => string {
  const trusted = new Set(trustedProxies.map(plainAddress));
  return (req) => {
    const peer = plainAddress(req.socket.remoteAddress ?? 'unknown');
    if (!trusted.has(peer)) return peer;
    const forwarded = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((hop) => plainAddress(hop.trim()));
    // From the right: the first hop not itself a trusted proxy is the client; anything left of it the client wrote.
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      if (isIP(hops[i]) === 0) return peer;
      if (!trusted.has(hops[i])) return hops[i];
    }
    return peer;
  };
}

/**
 * The key an address is rate-limited under: IPv4 as it is, IPv6 by its
 * first 64 bits, the smallest block one site is given, so that one client
 * cannot take a fresh limit from each address of its block.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
