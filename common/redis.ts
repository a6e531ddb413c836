import Redis, { type RedisOptions } from 'ioredis';

export type { Redis };

/** Opens a client for REDIS_URL; `unix:///path/to.sock` reaches a server on a Unix socket. */
export function connectRedis(url: string, keyPrefix: string, extra: RedisOptions = {}): Redis {
  const options: RedisOptions = { keyPrefix, maxRetriesPerRequest: 3, ...extra };
  if (url.startsWith('unix://')) {
    return new Redis({ ...options, path: url.slice('unix://'.length) });
  }
  return new Redis(url, options);
}
