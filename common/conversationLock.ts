import { Lease } from './lease';
import { sleep } from './timing';
import type { Redis } from './redis';

export class LockTimeoutError extends Error {
  constructor(
    readonly conversationId: string,
    waitedMs: number,
  ) {
    super(`conversation ${conversationId} stayed busy for ${waitedMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

export interface ConversationLockOptions {
  leaseMs?: number;
  maxWaitMs?: number;
  pollMs?: number;
}

/**
 * One turn at a time per conversation, across every process that shares the Redis: a second
 * message waits for the first turn to finish instead of racing it on the dialog state.
 */
export class ConversationLock {
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly redis: Redis,
    options: ConversationLockOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.pollMs = options.pollMs ?? 20;
  }

  async withLock<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    const key = `cs:conv:{${conversationId}}:lock`;
    const started = Date.now();
    for (;;) {
      const lease = await Lease.tryAcquire(this.redis, key, this.leaseMs);
      if (lease) {
        try {
          return await work();
        } finally {
          await lease.release();
        }
      }
      const waited = Date.now() - started;
      if (waited > this.maxWaitMs) throw new LockTimeoutError(conversationId, waited);
      // Jitter keeps several waiters from polling in lock-step.
      await sleep(this.pollMs + Math.floor(Math.random() * this.pollMs));
    }
  }
}
