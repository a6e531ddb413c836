import { randomUUID } from 'node:crypto';
import type { Redis } from './redis';

const RENEW_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * A key held by one owner for a short, renewed time. If the holder dies (kill -9), the key expires
 * within one lease and others may go on; while it lives, it renews the lease in the background.
 */
export class Lease {
  readonly token = randomUUID();
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the key if nobody holds it. */
  static async tryAcquire(redis: Redis, key: string, ttlMs: number): Promise<Lease | undefined> {
    const lease = new Lease(redis, key, ttlMs);
    const taken = await redis.set(key, lease.token, 'PX', ttlMs, 'NX');
    if (taken !== 'OK') return undefined;
    lease.keepAlive();
    return lease;
  }

  private keepAlive(): void {
    this.timer = setInterval(
      () => {
        this.redis.eval(RENEW_IF_OWNER, 1, this.key, this.token, this.ttlMs).catch(() => undefined);
      },
      Math.max(50, Math.floor(this.ttlMs / 3)),
    );
    this.timer.unref();
  }

  /** Stops renewing; the key stays until `release` or expiry. */
  stopRenewing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async release(): Promise<void> {
    this.stopRenewing();
    await this.redis.eval(RELEASE_IF_OWNER, 1, this.key, this.token);
  }
}
