import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from './redis';

/**
 * Writes a document only when the caller's eTag is still current: concurrent turns of one
 * conversation must not silently overwrite each other's dialog state.
 * Returns 1 on success, 0 on an eTag conflict.
 */
const WRITE_IF_CURRENT = `
local current = redis.call('HGET', KEYS[1], 'etag')
local expected = ARGV[2]
if expected ~= '' and expected ~= '*' and current and current ~= expected then
  return 0
end
redis.call('HSET', KEYS[1], 'etag', ARGV[3], 'doc', ARGV[1])
return 1
`;

export class StorageConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StorageConflictError';
  }
}

/** botbuilder Storage on Redis with the eTag semantics of botbuilder's own stores. */
export class RedisStorage implements Storage {
  constructor(
    private readonly redis: Redis,
    private readonly namespace = 'cs:state:',
  ) {}

  /** The hash tag keeps a conversation's state on the same cluster slot as its other keys. */
  private redisKey(key: string): string {
    return `${this.namespace}{${key}}`;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys.length) return {};
    const items: StoreItems = {};
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(this.redisKey(key), 'doc', 'etag');
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, value], index) => {
      if (error) throw error;
      const [doc, eTag] = value as [string | null, string | null];
      if (doc !== null) items[keys[index]] = { ...JSON.parse(doc), eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...doc } = (item ?? {}) as Record<string, unknown>;
      const expected = typeof eTag === 'string' ? eTag : '';
      const written = await this.redis.eval(
        WRITE_IF_CURRENT,
        1,
        this.redisKey(key),
        JSON.stringify(doc),
        expected,
        randomUUID(),
      );
      if (written !== 1) throw new StorageConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys.length) return;
    await this.redis.del(...keys.map((key) => this.redisKey(key)));
  }
}
