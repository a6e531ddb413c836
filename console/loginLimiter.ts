import type { Redis } from 'ioredis';

export interface LoginLimiterOptions {
  /** Failures that lock a username, and separately an IP address (default 5). */
  maxFailures?: number;
  /** The window in which failures count; a lock lasts until it has passed (default 15 min). */
  windowSeconds?: number;
}

export type LoginCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

// A username is counted in lower case, as accounts are looked up, so "Admin" and "admin" share one
// counter; it is encoded because an unknown name is whatever an attacker typed.
const userKey = (username: string): string => `cs:console:loginFailures:user:${encodeURIComponent(username.toLowerCase())}`;
const ipKey = (ip: string): string => `cs:console:loginFailures:ip:${encodeURIComponent(ip)}`;

/**
 * Slows password guessing: per username and per IP, `maxFailures` failed logins within the window
 * lock further attempts (right password or not) until the window that began with the first failure
 * has passed. The per-IP count stops one address from trying one password against many names.
 */
export class LoginLimiter {
  private readonly maxFailures: number;
  private readonly windowSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: LoginLimiterOptions = {},
  ) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowSeconds = options.windowSeconds ?? 15 * 60;
  }

  async check(username: string, ip: string): Promise<LoginCheck> {
    const keys = [userKey(username), ipKey(ip)];
    const replies = await Promise.all(keys.map((key) => this.redis.multi().get(key).pttl(key).exec()));
    let waitMs = 0;
    for (const reply of replies) {
      const count = Number(reply?.[0]?.[1] ?? 0);
      const ttlMs = Number(reply?.[1]?.[1] ?? -2);
      if (count >= this.maxFailures) {
        // A counter without an expiry should not exist; treat it as a full window rather than forever.
        waitMs = Math.max(waitMs, ttlMs > 0 ? ttlMs : this.windowSeconds * 1000);
      }
    }
    return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true };
  }

  async failed(username: string, ip: string): Promise<void> {
    // SET NX EX starts the window at the first failure only; INCR keeps the expiry it finds. Each key in
    // its own MULTI because the two keys may live in different cluster slots.
    await Promise.all(
      [userKey(username), ipKey(ip)].map((key) => this.redis.multi().set(key, 0, 'EX', this.windowSeconds, 'NX').incr(key).exec()),
    );
  }

  /** A right password clears the name's count; the address keeps its count, or one valid account would let it guess on. */
  async succeeded(username: string, _ip: string): Promise<void> {
    await this.redis.del(userKey(username));
  }
}
