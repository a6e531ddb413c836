import { Lease } from './lease';
import { sleep } from './timing';
import type { Redis } from './redis';

export class DuplicateStillRunningError extends Error {
  constructor(readonly messageKey: string) {
    super(`the first delivery of ${messageKey} is still being answered`);
    this.name = 'DuplicateStillRunningError';
  }
}

export interface InboundDedupeOptions {
  /** How long the answers of a message are kept for its retries. */
  keepAnswersSeconds?: number;
  /** A delivery's "in progress" marker lives this long unless renewed: a crashed turn frees it soon. */
  runningLeaseMs?: number;
  maxWaitMs?: number;
  pollMs?: number;
}

export interface DedupeResult<T> {
  result: T;
  replayed: boolean;
}

/**
 * Channels retry deliveries (WeChat three times, browsers on flaky networks): each message id makes
 * one turn, and every retry gets the answers of that turn instead of a second one.
 */
export class InboundDedupe {
  private readonly keepAnswersSeconds: number;
  private readonly runningLeaseMs: number;
  private readonly maxWaitMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly redis: Redis,
    options: InboundDedupeOptions = {},
  ) {
    this.keepAnswersSeconds = options.keepAnswersSeconds ?? 24 * 3600;
    this.runningLeaseMs = options.runningLeaseMs ?? 15_000;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.pollMs = options.pollMs ?? 25;
  }

  async once<T>(messageKey: string, run: () => Promise<T>): Promise<DedupeResult<T>> {
    const runningKey = `cs:inbound:{${messageKey}}:running`;
    const answersKey = `cs:inbound:{${messageKey}}:answers`;
    const started = Date.now();
    for (;;) {
      const stored = await this.redis.get(answersKey);
      if (stored !== null) return { result: JSON.parse(stored) as T, replayed: true };
      const lease = await Lease.tryAcquire(this.redis, runningKey, this.runningLeaseMs);
      if (lease) {
        try {
          // A retry may have finished between our first look and taking the lease.
          const late = await this.redis.get(answersKey);
          if (late !== null) return { result: JSON.parse(late) as T, replayed: true };
          const result = await run();
          await this.redis.set(answersKey, JSON.stringify(result), 'EX', this.keepAnswersSeconds);
          return { result, replayed: false };
        } finally {
          await lease.release();
        }
      }
      if (Date.now() - started > this.maxWaitMs) throw new DuplicateStillRunningError(messageKey);
      await sleep(this.pollMs);
    }
  }
}
