import type { Redis } from 'ioredis';
import { mustExpire, ownerOf, type KeyEnd } from '../../common/keyOwners';
import { connectRedis } from '../../common/redis';
import { testRedisUrl } from './redis';

export interface AuditedKey {
  key: string;
  /** Seconds left; -1 for none. */
  ttl: number;
  bytes: number;
  end?: KeyEnd;
}

export interface KeyAudit {
  keys: AuditedKey[];
  /** No TTL and no documented owner: what the test names when it fails. */
  unknown: string[];
  /** Documented as expiring, yet without a TTL. */
  missingTtl: string[];
  bytes: number;
}

/**
 * Every key under one app's prefix, with its TTL, its size (MEMORY USAGE) and its row in the
 * key-owner table. SCAN does not prefix its pattern, so this reads with a client of its own.
 */
export async function auditKeys(prefix: string, options: { skip?: (key: string) => boolean } = {}): Promise<KeyAudit> {
  const raw: Redis = connectRedis(testRedisUrl(), '');
  try {
    const names: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      names.push(...batch);
    } while (cursor !== '0');
    const keys: AuditedKey[] = [];
    for (let start = 0; start < names.length; start += 500) {
      const slice = names.slice(start, start + 500);
      const pipeline = raw.pipeline();
      for (const name of slice) pipeline.ttl(name).memory('USAGE', name, 'SAMPLES', 0);
      const replies = (await pipeline.exec()) ?? [];
      slice.forEach((name, index) => {
        const key = name.slice(prefix.length);
        const ttl = Number(replies[2 * index]?.[1] ?? -2);
        // A key that expired between SCAN and TTL (-2) has ended: nothing to check.
        if (ttl === -2 || options.skip?.(key)) return;
        keys.push({ key, ttl, bytes: Number(replies[2 * index + 1]?.[1] ?? 0), end: ownerOf(key)?.end });
      });
    }
    return {
      keys,
      unknown: keys
        .filter((k) => k.ttl < 0 && k.end === undefined)
        .map((k) => k.key)
        .sort(),
      missingTtl: keys
        .filter((k) => k.ttl < 0 && k.end !== undefined && mustExpire(k.end))
        .map((k) => k.key)
        .sort(),
      bytes: keys.reduce((sum, k) => sum + k.bytes, 0),
    };
  } finally {
    await raw.quit();
  }
}

/** The keys named after one conversation (its hash tag, its state, its hand-off record, its deliveries). */
export function keysOfConversation(audit: KeyAudit, conversationId: string): AuditedKey[] {
  return audit.keys.filter((k) => k.key.includes(conversationId));
}
