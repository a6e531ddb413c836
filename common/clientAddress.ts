import { BlockList, isIP } from 'node:net';

/** The parts of a request that say who sent it: the socket's peer and the proxies' header. */
export interface RequestOrigin {
  socketAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
}

/** "::ffff:10.0.0.1" is the IPv4 peer 10.0.0.1 on a dual-stack socket: count them as one. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/**
 * The proxies whose X-Forwarded-For is believed (`TRUSTED_PROXIES`: addresses or CIDR ranges,
 * comma-separated). Without any, the socket's peer is the client: a header anyone can set must
 * never choose which counter a request lands on.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[] = []) {
    for (const entry of entries) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(prefix), family);
    }
    this.size = entries.length;
  }

  /** Whether each entry reads as an address or a CIDR range; the reason for the first that does not. */
  static problemWith(entries: readonly string[]): string | undefined {
    for (const entry of entries) {
      const [address, prefix, extra] = entry.split('/');
      const version = isIP(address);
      if (!version || extra !== undefined) return `"${entry}" is not an IP address or CIDR range`;
      if (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128))) {
        return `"${entry}" has a bad prefix length`;
      }
    }
    return undefined;
  }

  trusts(address: string): boolean {
    if (!this.size || !isIP(address)) return false;
    return this.list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client's address: walk X-Forwarded-For from the right while the hop that added an entry is
   * one of ours; the first address not added by a trusted proxy is the client.
   */
  clientOf(origin: RequestOrigin): string {
    let current = normaliseAddress(origin.socketAddress ?? 'unknown');
    if (!this.trusts(current)) return current;
    const header = Array.isArray(origin.forwardedFor) ? origin.forwardedFor.join(',') : (origin.forwardedFor ?? '');
    const hops = header
      .split(',')
      .map((hop) => normaliseAddress(hop.trim()))
      .filter((hop) => hop !== '');
    while (hops.length) {
      const hop = hops.pop() as string;
      if (!isIP(hop)) return current;
      current = hop;
      if (!this.trusts(hop)) return hop;
    }
    return current;
  }
}
