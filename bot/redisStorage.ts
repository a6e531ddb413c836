import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, lifetimeSeconds } from '../common/retention';
import type { Redis } from '../common/redis';

/**
 * Writes a document only when the caller's eTag is still current: concurrent turns of one
 * conversation must not silently overwrite each other's dialog state. Every write gives the document
 * its full lifetime again (ARGV[4], ms): state lives as long as its conversation is used.
 * Returns 1 on success, 0 on an eTag conflict.
 */
const WRITE_IF_CURRENT = `
local current = redis.call('HGET', KEYS[1], 'etag')
local expected = ARGV[2]
if expected ~= '' and expected ~= '*' and current and current ~= expected then
  return 0
end
redis.call('HSET', KEYS[1], 'etag', ARGV[3], 'doc', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

export class StorageConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StorageConflictError';
  }
}

export interface RedisStorageOptions {
  /** Prefix of every document's key; default `cs:state:`. */
  namespace?: string;
  /** A document not written for this long is gone (the conversation's idle time); default 30 days. */
  ttlSeconds?: number;
}

const DEFAULT_NAMESPACE = 'cs:state:';

/** The key botbuilder's ConversationState gives a conversation's document (its storage key, not the Redis key). */
export function conversationStorageKey(channelId: string, conversationId: string): string {
  return `${channelId}/conversations/${conversationId}/`;
}

/** The Redis key of a conversation's ConversationState document in the default namespace. */
export function conversationStateKey(channelId: string, conversationId: string): string {
  return redisKeyOf(DEFAULT_NAMESPACE, conversationStorageKey(channelId, conversationId));
}

/** The hash tag keeps a document on one cluster slot whatever its key holds. */
function redisKeyOf(namespace: string, key: string): string {
  return `${namespace}{${key}}`;
}

/** botbuilder Storage on Redis with the eTag semantics of botbuilder's own stores. */
export class RedisStorage implements Storage {
  private readonly namespace: string;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    options: RedisStorageOptions = {},
  ) {
    this.namespace = options.namespace ?? DEFAULT_NAMESPACE;
    this.ttlMs = lifetimeSeconds('ttlSeconds', options.ttlSeconds ?? DEFAULT_CONVERSATION_IDLE_SECONDS) * 1000;
  }

  private redisKey(key: string): string {
    return redisKeyOf(this.namespace, key);
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
        this.ttlMs,
      );
      if (written !== 1) throw new StorageConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys.length) return;
    await this.redis.del(...keys.map((key) => this.redisKey(key)));
  }
}
