import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ConsoleUser } from './accounts';
import { failedLoginSummary, type FailedLoginSummary } from './failedLogins';

export interface ConsoleSession {
  /** The secret in the cookie. Never stored in clear: the Redis key holds sha256(id). */
  id: string;
  user: ConsoleUser;
  csrfToken: string;
  createdAt: string;
  /** Failed sign-ins on the account before this one, shown to its owner for the whole session. */
  failedLogins?: FailedLoginSummary;
}

export interface ConsoleSessionsOptions {
  /** Idle lifetime; every use starts it again. */
  ttlSeconds?: number;
}

export const DEFAULT_SESSION_TTL_SECONDS = 8 * 60 * 60;

/** 32 random bytes in base64url: what `create` hands out, so anything else is refused without a lookup. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

const storedSession = z.object({
  user: z.object({ username: z.string(), displayName: z.string(), role: z.enum(['agent', 'manager', 'admin']) }),
  csrfToken: z.string(),
  createdAt: z.string(),
  failedLogins: failedLoginSummary.optional(),
});

// Someone who can read Redis (a backup, a replica, a MONITOR) must not be able to take over a session,
// so the key is a digest of the id; sha256 is enough because the id has 256 bits of entropy.
const digest = (id: string): string => createHash('sha256').update(id).digest('hex');
const sessionKey = (id: string): string => `cs:console:session:${digest(id)}`;
// Which sessions a user has, so a password change or a removal can end all of them.
const userIndexKey = (username: string): string => `cs:console:sessionsOf:${username.toLowerCase()}`;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Signed-in console users, in Redis, so every instance of the service sees the same sessions. */
export class ConsoleSessions {
  readonly ttlSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: ConsoleSessionsOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
  }

  async create(user: ConsoleUser, extras: { failedLogins?: FailedLoginSummary } = {}): Promise<ConsoleSession> {
    const session: ConsoleSession = {
      id: newSecret(),
      user: { ...user },
      csrfToken: newSecret(),
      createdAt: new Date().toISOString(),
      ...extras,
    };
    const { id, ...stored } = session;
    // Not one transaction: the two keys live in different slots on a cluster. The index is only a hint
    // for destroyAllOf, and a stale member there points at nothing.
    await this.redis.set(sessionKey(id), JSON.stringify(stored), 'EX', this.ttlSeconds);
    await this.redis.multi().sadd(userIndexKey(user.username), digest(id)).expire(userIndexKey(user.username), this.ttlSeconds).exec();
    return session;
  }

  /** The session while it is alive; using it starts its idle lifetime again. */
  async get(id: string): Promise<ConsoleSession | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const value = await this.redis.getex(sessionKey(id), 'EX', this.ttlSeconds);
    if (value === null) return undefined;
    const parsed = parse(value);
    if (!parsed) return undefined;
    // The index must outlive every session it lists; failing to extend it only weakens destroyAllOf.
    await this.redis.expire(userIndexKey(parsed.user.username), this.ttlSeconds);
    return { id, ...parsed };
  }

  async destroy(id: string): Promise<void> {
    if (!SESSION_ID.test(id)) return;
    const value = await this.redis.getdel(sessionKey(id));
    const parsed = value === null ? undefined : parse(value);
    if (parsed) await this.redis.srem(userIndexKey(parsed.user.username), digest(id));
  }

  async destroyAllOf(username: string): Promise<void> {
    const index = userIndexKey(username);
    const digests = await this.redis.smembers(index);
    // One DEL per key rather than one DEL of many, because on a cluster the keys sit in different slots.
    await Promise.all(digests.map((hex) => this.redis.del(`cs:console:session:${hex}`)));
    // Only the members just ended: a session created meanwhile keeps its place in the index.
    if (digests.length > 0) await this.redis.srem(index, ...digests);
  }
}

function parse(value: string): z.infer<typeof storedSession> | undefined {
  try {
    const parsed = storedSession.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
