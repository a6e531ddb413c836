import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Response } from 'restify';
import type { RateLimitName, RateLimitSettings } from './rateLimitSettings';

/** What a limit says about one more request. */
export type RateDecision =
  | { allowed: true }
  /** `firstRefusal`: the first request refused in this window, across all instances — the one to explain. */
  | { allowed: false; reason: 'overLimit'; retryAfterSeconds: number; firstRefusal: boolean }
  /** The counter could not be read and the caller asked to refuse then (see `whenUnavailable`). */
  | { allowed: false; reason: 'unavailable'; retryAfterSeconds: number };

export type RateRefusal = Exclude<RateDecision, { allowed: true }>;

export interface ConsumeOptions {
  /**
   * What a Redis failure means: `allow` (the default) lets the request through, because a customer
   * must never be locked out by our outage; `refuse` is for callers where a refusal costs little.
   */
  whenUnavailable?: 'allow' | 'refuse';
}

const ALLOWED: RateDecision = { allowed: true };
/** How long a caller refused for an unreadable counter should wait: about one reconnect of ioredis. */
const UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * The service's rate limits (`RATE_LIMITS`), counted in Redis so that every instance shares them:
 * fixed windows of `points` requests per `seconds`, one counter per limit and key (a client address,
 * a conversation, a customer). Without settings (`RATE_LIMITS=off`) nothing is limited or counted.
 */
export class RateLimits {
  private readonly limiters = new Map<RateLimitName, RateLimiterRedis>();

  constructor(
    settings: RateLimitSettings | undefined,
    redis: Redis,
    private readonly logger: Logger,
  ) {
    if (!settings) return;
    for (const [name, limit] of Object.entries(settings) as [RateLimitName, RateLimitSettings[RateLimitName]][]) {
      this.limiters.set(
        name,
        new RateLimiterRedis({
          // The client's own keyPrefix (REDIS_KEY_PREFIX) goes in front: the limiter's Lua script is
          // a defined command with one key, which ioredis prefixes like any other.
          storeClient: redis,
          keyPrefix: `cs:rate:${name}`,
          points: limit.points,
          duration: limit.seconds,
          // A flood past the limit is refused from memory for the rest of the window, so it does
          // not cost a Redis round trip per request.
          inMemoryBlockOnConsumed: limit.points + 1,
          // Not rejectIfRedisNotReady: while Redis reconnects the limit waits like every other Redis
          // call of the request does, instead of being skipped for a request that needs Redis anyway.
        }),
      );
    }
  }

  get enabled(): boolean {
    return this.limiters.size > 0;
  }

  /** Counts one request against `name` for `key`. */
  async consume(name: RateLimitName, key: string, options: ConsumeOptions = {}): Promise<RateDecision> {
    const limiter = this.limiters.get(name);
    if (!limiter) return ALLOWED;
    try {
      await limiter.consume(key);
      return ALLOWED;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        const retryAfterSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
        // Only the request that crossed the limit sees points + 1 (later ones are refused from memory
        // with 0, or count higher on another instance).
        const firstRefusal = outcome.consumedPoints === limiter.points + 1;
        if (firstRefusal) this.logger.warn({ event: 'rateLimited', limit: name, key, retryAfterSeconds }, 'rate limit reached');
        return { allowed: false, reason: 'overLimit', retryAfterSeconds, firstRefusal };
      }
      const refuse = options.whenUnavailable === 'refuse';
      this.logger.warn({ err: outcome, limit: name, failed: refuse ? 'closed' : 'open' }, 'rate limit not checked: Redis did not answer');
      return refuse ? { allowed: false, reason: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS } : ALLOWED;
    }
  }
}

/**
 * The HTTP answer to a refused request: `429 TooManyRequests` (or `503 Unavailable` when the counter
 * could not be read), with `Retry-After`. `extra` adds fields a channel's client expects (Taobao's replies).
 */
export function refuseRateLimited(res: Response, refusal: RateRefusal, what: string, extra: Record<string, unknown> = {}): void {
  res.header('Retry-After', String(refusal.retryAfterSeconds));
  if (refusal.reason === 'unavailable') {
    res.send(503, {
      code: 'Unavailable',
      message: `the rate limit for ${what} could not be checked; retry in ${refusal.retryAfterSeconds} s`,
      ...extra,
    });
    return;
  }
  res.send(429, { code: 'TooManyRequests', message: `too many ${what}; retry in ${refusal.retryAfterSeconds} s`, ...extra });
}
