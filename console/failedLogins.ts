import { isIP } from 'node:net';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const failedLoginSummary = z.object({
  count: z.number().int().positive(),
  firstAt: z.string(),
  lastAt: z.string(),
  /** Masked (203.0.113.*), newest first, at most a few. */
  addresses: z.array(z.string()),
});

/** Failed sign-ins on one account since its owner last signed in: what the console tells them. */
export type FailedLoginSummary = z.infer<typeof failedLoginSummary>;

const MAX_ADDRESSES = 5;

/** Enough of an address to tell networks apart, not to pin a person: 203.0.113.*, 2001:db8:85a3:*. */
export function maskAddress(address: string): string {
  const version = isIP(address);
  if (version === 4) return `${address.split('.').slice(0, 3).join('.')}.*`;
  if (version === 6) return `${ipv6Groups(address).slice(0, 3).join(':')}:*`;
  return '未知地址';
}

/** The eight groups of an IPv6 address, "::" filled in, without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headGroups = head ? head.split(':') : [];
  let groups = headGroups;
  if (tail !== undefined) {
    const tailGroups = tail ? tail.split(':') : [];
    // An embedded IPv4 tail (64:ff9b::192.0.2.1) fills two groups.
    const tailWidth = tailGroups.reduce((width, group) => width + (group.includes('.') ? 2 : 1), 0);
    groups = [...headGroups, ...Array.from({ length: Math.max(0, 8 - headGroups.length - tailWidth) }, () => '0'), ...tailGroups];
  }
  return groups.map((group) => (group.includes('.') ? group : parseInt(group || '0', 16).toString(16)));
}

// Both keys of one account share a hash tag, so each update is one MULTI on a cluster too.
const name = (username: string): string => encodeURIComponent(username.toLowerCase());
const countsKey = (username: string): string => `cs:console:failedLoginsOf:{${name(username)}}`;
const addressesKey = (username: string): string => `cs:console:failedLoginsOf:{${name(username)}}:addresses`;

/** Remembers failed sign-ins per existing account (when, how many, from where, masked) for its owner. */
export class FailedLogins {
  private readonly ttlSeconds: number;
  private readonly now: () => Date;

  constructor(
    private readonly redis: Redis,
    options: { ttlSeconds?: number; now?: () => Date } = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 30 * 24 * 3600;
    this.now = options.now ?? (() => new Date());
  }

  async record(username: string, address: string): Promise<void> {
    const at = this.now().toISOString();
    const masked = maskAddress(address);
    const counts = countsKey(username);
    const addresses = addressesKey(username);
    await this.redis
      .multi()
      .hincrby(counts, 'count', 1)
      .hsetnx(counts, 'firstAt', at)
      .hset(counts, 'lastAt', at)
      .expire(counts, this.ttlSeconds)
      .lrem(addresses, 0, masked)
      .lpush(addresses, masked)
      .ltrim(addresses, 0, MAX_ADDRESSES - 1)
      .expire(addresses, this.ttlSeconds)
      .exec();
  }

  /** The failures not yet reported, left in place. */
  async peek(username: string): Promise<FailedLoginSummary | undefined> {
    const reply = await this.redis.multi().hgetall(countsKey(username)).lrange(addressesKey(username), 0, -1).exec();
    return summaryOf(reply?.[0]?.[1], reply?.[1]?.[1]);
  }

  /** The failures not yet reported, which from now on belong to the session that reports them. */
  async take(username: string): Promise<FailedLoginSummary | undefined> {
    const reply = await this.redis
      .multi()
      .hgetall(countsKey(username))
      .lrange(addressesKey(username), 0, -1)
      .del(countsKey(username), addressesKey(username))
      .exec();
    return summaryOf(reply?.[0]?.[1], reply?.[1]?.[1]);
  }
}

function summaryOf(counts: unknown, addresses: unknown): FailedLoginSummary | undefined {
  const fields = z.record(z.string(), z.string()).safeParse(counts);
  if (!fields.success) return undefined;
  const parsed = failedLoginSummary.safeParse({
    count: Number(fields.data.count ?? 0),
    firstAt: fields.data.firstAt,
    lastAt: fields.data.lastAt,
    addresses: Array.isArray(addresses) ? addresses.filter((entry): entry is string => typeof entry === 'string') : [],
  });
  return parsed.success ? parsed.data : undefined;
}

/** Two reports as one: the session's own and what came since. */
export function mergeFailedLogins(a: FailedLoginSummary | undefined, b: FailedLoginSummary | undefined): FailedLoginSummary | undefined {
  if (!a || !b) return a ?? b;
  return {
    count: a.count + b.count,
    firstAt: a.firstAt < b.firstAt ? a.firstAt : b.firstAt,
    lastAt: a.lastAt > b.lastAt ? a.lastAt : b.lastAt,
    addresses: [...new Set([...b.addresses, ...a.addresses])].slice(0, MAX_ADDRESSES),
  };
}
