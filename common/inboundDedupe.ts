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
 * What one delivery of a message is: the first (its turn runs now; `result` settles when it is
 * answered), or a retry of a message whose first delivery is still being answered, or was answered
 * already (with the answers kept for its retries).
 */
export type Delivery<T> = { kind: 'first'; result: Promise<T> } | { kind: 'duplicateDone'; result: T } | { kind: 'duplicateInProgress' };

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

  /** Runs the message's turn once; a retry waits for the first delivery's answers and gets them. */
  async once<T>(messageKey: string, run: () => Promise<T>): Promise<DedupeResult<T>> {
    const delivery = await this.deliver(messageKey, run);
    if (delivery.kind === 'duplicateInProgress') throw new DuplicateStillRunningError(messageKey);
    if (delivery.kind === 'duplicateDone') return { result: delivery.result, replayed: true };
    return { result: await delivery.result, replayed: false };
  }

  /**
   * Says at once whether this delivery is the first of its message (then `run` starts, holding a
   * renewed lease, and its answers are kept when it settles). A duplicate waits up to `waitMs` for
   * the first's answers. When the first fails or its process dies, nothing is kept and the lease
   * ends: the next delivery is the first again, so a message is never lost to a crash.
   */
  async deliver<T>(messageKey: string, run: () => Promise<T>, waitMs = this.maxWaitMs): Promise<Delivery<T>> {
    const runningKey = `cs:inbound:{${messageKey}}:running`;
    const answersKey = `cs:inbound:{${messageKey}}:answers`;
    const started = Date.now();
    for (;;) {
      const stored = await this.redis.get(answersKey);
      if (stored !== null) return { kind: 'duplicateDone', result: JSON.parse(stored) as T };
      const lease = await Lease.tryAcquire(this.redis, runningKey, this.runningLeaseMs);
      if (lease) {
        // A retry may have finished between our first look and taking the lease.
        const late = await this.redis.get(answersKey).catch(async (error: unknown) => {
          await lease.release();
          throw error;
        });
        if (late !== null) {
          await lease.release();
          return { kind: 'duplicateDone', result: JSON.parse(late) as T };
        }
        return { kind: 'first', result: this.runHolding(lease, answersKey, run) };
      }
      if (Date.now() - started >= waitMs) return { kind: 'duplicateInProgress' };
      await sleep(Math.min(this.pollMs, Math.max(1, waitMs - (Date.now() - started))));
    }
  }

  private async runHolding<T>(lease: Lease, answersKey: string, run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      await this.redis.set(answersKey, JSON.stringify(result), 'EX', this.keepAnswersSeconds);
      return result;
    } finally {
      await lease.release();
    }
  }
}
