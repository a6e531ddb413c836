import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../common/redis';

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests with jest (its global setup starts redis-server)');
  return url;
}

/** A prefix no other test uses, so suites sharing the server never see each other's keys. */
export function uniquePrefix(): string {
  return `t${randomUUID().slice(0, 8)}:`;
}

export function testRedis(prefix = uniquePrefix()): Redis {
  return connectRedis(testRedisUrl(), prefix);
}
