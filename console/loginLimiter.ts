import type { Redis } from 'ioredis';

export interface LoginLimits {
  /** Failures in a row of one name from one address that lock that pair (default 5). */
  pairMaxFailures: number;
  /** How long a pair's failures are remembered, from the first (default 15 min). */
  pairWindowSeconds: number;
  /** How long a pair's lock lasts, from the failure that locks it (default 15 min). */
  pairLockSeconds: number;
  /** Failures of one address over all names that lock the address for every name (default 30). */
  addressMaxFailures: number;
  /** The address's window, and how long its lock lasts (default 1 h). */
  addressWindowSeconds: number;
  /** Failures of one name from all addresses in the window after which failing addresses are slowed (default 100). */
  nameCeiling: number;
  nameWindowSeconds: number;
  /** The longest wait a failure over the name's ceiling imposes on its address (default 15 min). */
  maxDelaySeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  pairMaxFailures: 5,
  pairWindowSeconds: 15 * 60,
  pairLockSeconds: 15 * 60,
  addressMaxFailures: 30,
  addressWindowSeconds: 3600,
  nameCeiling: 100,
  nameWindowSeconds: 3600,
  maxDelaySeconds: 15 * 60,
};

export type LoginRefusal = 'pair' | 'address' | 'slowed';
export type LoginCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: LoginRefusal };

/** What one failure just caused, for the log and the agents' security list. */
export interface LoginFailure {
  pairFailures: number;
  pairLocked: boolean;
  addressFailures: number;
  addressLocked: boolean;
  nameFailures: number;
  /** Set when the name is over its ceiling: the wait this address now has before its next try. */
  delaySeconds?: number;
  /** This failure took the name over its ceiling (reported once per window). */
  nameSlowed: boolean;
}

// Names count in lower case, as accounts are looked up, so "Admin" and "admin" share their counters;
// names and addresses are encoded because an unknown name is whatever an attacker typed.
const part = (value: string): string => encodeURIComponent(value.toLowerCase());
const pairKey = (username: string, address: string): string => `cs:console:loginFailures:pair:${part(username)}:${part(address)}`;
const addressKey = (address: string): string => `cs:console:loginFailures:address:${part(address)}`;
const nameKey = (username: string): string => `cs:console:loginFailures:name:${part(username)}`;
const delayKey = (username: string, address: string): string => `cs:console:loginDelay:${part(username)}:${part(address)}`;

/**
 * One failure on one counter: its window starts with the first failure, and the failure that reaches
 * the limit starts the lock (the key then lives for the lock's length). A limit of 0 only counts.
 * KEYS: counter. ARGV: window seconds, limit, lock seconds. → the count.
 */
const COUNT_FAILURE = `
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if count == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return count`;

/**
 * Password guessing limits that cannot be turned against an agent: whoever fails locks only their own
 * address, for one name (5 in a row) or for all names (30 an hour); a name failing from many addresses
 * at once (over 100 an hour) only slows the addresses that fail, more with every failure, so the agent's
 * own address, which has not failed, still signs in at once.
 *
 * Plain Redis rather than rate-limiter-flexible: its limiters block only once points are *exceeded*
 * and keep the block on the counting key, so the name's ceiling, which delays a different key (the
 * failing pair) by a wait that grows with the name's count, would need a fourth limiter and manual
 * blocks; three counters with one script read more plainly.
 */
export class LoginLimiter {
  readonly limits: LoginLimits;

  constructor(
    private readonly redis: Redis,
    limits: Partial<LoginLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  }

  async check(username: string, address: string): Promise<LoginCheck> {
    const { pairMaxFailures, pairLockSeconds, addressMaxFailures, addressWindowSeconds } = this.limits;
    const [pair, whole, delayMs] = await Promise.all([
      this.counter(pairKey(username, address)),
      this.counter(addressKey(address)),
      this.redis.pttl(delayKey(username, address)),
    ]);
    // A counter without an expiry should not exist; treat it as a full lock rather than forever.
    const waits: Array<[LoginRefusal, number]> = [
      ['pair', pair.count >= pairMaxFailures ? (pair.ttlMs > 0 ? pair.ttlMs : pairLockSeconds * 1000) : 0],
      ['address', whole.count >= addressMaxFailures ? (whole.ttlMs > 0 ? whole.ttlMs : addressWindowSeconds * 1000) : 0],
      ['slowed', delayMs > 0 ? delayMs : 0],
    ];
    const [reason, waitMs] = waits.reduce((longest, wait) => (wait[1] > longest[1] ? wait : longest));
    return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), reason } : { allowed: true };
  }

  async failed(username: string, address: string): Promise<LoginFailure> {
    const limits = this.limits;
    // One key per script call: on a cluster the three counters live in different slots.
    const [pairFailures, addressFailures, nameFailures] = await Promise.all([
      this.count(pairKey(username, address), limits.pairWindowSeconds, limits.pairMaxFailures, limits.pairLockSeconds),
      this.count(addressKey(address), limits.addressWindowSeconds, limits.addressMaxFailures, limits.addressWindowSeconds),
      this.count(nameKey(username), limits.nameWindowSeconds, 0, 0),
    ]);
    const over = nameFailures - limits.nameCeiling;
    let delaySeconds: number | undefined;
    if (over > 0) {
      delaySeconds = Math.min(limits.maxDelaySeconds, 2 ** Math.min(over, 30));
      await this.redis.set(delayKey(username, address), String(nameFailures), 'EX', delaySeconds);
    }
    return {
      pairFailures,
      pairLocked: pairFailures === limits.pairMaxFailures,
      addressFailures,
      addressLocked: addressFailures === limits.addressMaxFailures,
      nameFailures,
      delaySeconds,
      nameSlowed: over === 1,
    };
  }

  /**
   * A right password ends the pair's run of failures and its wait. The address keeps its count, or one
   * valid account would let it guess on at other names; the name keeps its count, it measures an attack.
   */
  async succeeded(username: string, address: string): Promise<void> {
    await Promise.all([this.redis.del(pairKey(username, address)), this.redis.del(delayKey(username, address))]);
  }

  private async counter(key: string): Promise<{ count: number; ttlMs: number }> {
    const reply = await this.redis.multi().get(key).pttl(key).exec();
    return { count: Number(reply?.[0]?.[1] ?? 0), ttlMs: Number(reply?.[1]?.[1] ?? -2) };
  }

  private async count(key: string, windowSeconds: number, limit: number, lockSeconds: number): Promise<number> {
    return Number(await this.redis.eval(COUNT_FAILURE, 1, key, windowSeconds, limit, lockSeconds));
  }
}
