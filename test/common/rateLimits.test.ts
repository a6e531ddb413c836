import pino from 'pino';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../common/redis';
import { RATE_LIMIT_DEFAULTS, type RateLimitSettings } from '../../common/rateLimitSettings';
import { RateLimits } from '../../common/rateLimits';
import { testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis';

const logger = pino({ level: 'silent' }, { write: () => undefined });
const small: RateLimitSettings = { ...RATE_LIMIT_DEFAULTS, messagesPerConversation: { points: 3, seconds: 60 } };

describe('RateLimits', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  // Sees the server's keys as they are, without any prefix.
  let raw: Redis;

  beforeAll(() => {
    redis = testRedis(prefix);
    raw = connectRedis(testRedisUrl(), '');
  });
  afterAll(async () => {
    await Promise.all([redis.quit(), raw.quit()]);
  });

  test('the request after the limit is refused with Retry-After; the first refusal says so, later ones do not', async () => {
    const limits = new RateLimits(small, redis, logger);
    for (let i = 0; i < 3; i += 1) await expect(limits.consume('messagesPerConversation', 'c1')).resolves.toEqual({ allowed: true });
    const first = await limits.consume('messagesPerConversation', 'c1');
    expect(first).toMatchObject({ allowed: false, reason: 'overLimit', firstRefusal: true });
    expect(first.allowed === false && first.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(first.allowed === false && first.retryAfterSeconds).toBeLessThanOrEqual(60);
    await expect(limits.consume('messagesPerConversation', 'c1')).resolves.toMatchObject({ allowed: false, firstRefusal: false });
    // Another key, and the same key under another limit, count apart.
    await expect(limits.consume('messagesPerConversation', 'c2')).resolves.toEqual({ allowed: true });
    await expect(limits.consume('messagesPerIp', 'c1')).resolves.toEqual({ allowed: true });
  });

  test('a second instance on the same Redis shares the counter and does not repeat the first refusal', async () => {
    const one = new RateLimits(small, redis, logger);
    const two = new RateLimits(small, redis, logger);
    for (let i = 0; i < 3; i += 1) await one.consume('messagesPerConversation', 'shared');
    await expect(one.consume('messagesPerConversation', 'shared')).resolves.toMatchObject({ allowed: false, firstRefusal: true });
    await expect(two.consume('messagesPerConversation', 'shared')).resolves.toMatchObject({ allowed: false, firstRefusal: false });
  });

  test('its counters live under the service key prefix, named cs:rate:<limit>:<key>', async () => {
    const limits = new RateLimits(small, redis, logger);
    await limits.consume('messagesPerConversation', 'named');
    await expect(raw.keys(`${prefix}cs:rate:messagesPerConversation:named`)).resolves.toHaveLength(1);
    await expect(raw.keys('cs:rate:*')).resolves.toEqual([]);
    // The window ends on its own: nothing a flood leaves behind stays in Redis.
    const ttl = await raw.ttl(`${prefix}cs:rate:messagesPerConversation:named`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  test('off (no settings): nothing is limited and nothing is written', async () => {
    const offPrefix = uniquePrefix();
    const offRedis = testRedis(offPrefix);
    try {
      const limits = new RateLimits(undefined, offRedis, logger);
      for (let i = 0; i < 50; i += 1) await expect(limits.consume('messagesPerConversation', 'c')).resolves.toEqual({ allowed: true });
      await expect(raw.keys(`${offPrefix}*`)).resolves.toEqual([]);
    } finally {
      await offRedis.quit();
    }
  });

  test('Redis down: customers go through (fail open) with a warning; a caller that asks is refused instead', async () => {
    const warnings: string[] = [];
    const recording = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const down = connectRedis('redis://127.0.0.1:1', prefix, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    try {
      const limits = new RateLimits(small, down, recording);
      await expect(limits.consume('messagesPerConversation', 'c')).resolves.toEqual({ allowed: true });
      expect(warnings.join('')).toContain('rate limit not checked');
      await expect(limits.consume('consolePerSession', 's', { whenUnavailable: 'refuse' })).resolves.toMatchObject({
        allowed: false,
        reason: 'unavailable',
      });
    } finally {
      down.disconnect();
    }
  });
});
