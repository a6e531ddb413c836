import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, lifetimeSeconds } from '../../common/retention';

export type Access = 'granted' | 'unknownConversation' | 'badToken';

export interface WebConversation {
  conversationId: string;
  /** Shown to the browser once; only its hash is kept. */
  token: string;
  userId: string;
}

function hashOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export interface WebConversationsOptions {
  /**
   * A conversation nobody wrote in for this long is gone (its token then gets 404 and the page starts
   * a new one); each customer turn gives it this long again (app/conversationRetention.ts). Default 30 days.
   */
  idleSeconds?: number;
}

export function webConversationKey(conversationId: string): string {
  return `cs:conv:{${conversationId}}:web`;
}

/** Web conversations and the bearer tokens that let one browser, and only it, speak in one. */
export class WebConversations {
  private readonly idleSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: WebConversationsOptions = {},
  ) {
    this.idleSeconds = lifetimeSeconds('idleSeconds', options.idleSeconds ?? DEFAULT_CONVERSATION_IDLE_SECONDS);
  }

  private key(conversationId: string): string {
    return webConversationKey(conversationId);
  }

  async create(): Promise<WebConversation> {
    const conversationId = `web-${randomUUID()}`;
    const token = randomBytes(32).toString('base64url');
    const userId = `web-user-${randomUUID()}`;
    const key = this.key(conversationId);
    const fields = { tokenHash: hashOf(token).toString('hex'), userId, createdAt: new Date().toISOString() };
    for (const [error] of (await this.redis.multi().hset(key, fields).expire(key, this.idleSeconds).exec()) ?? []) if (error) throw error;
    return { conversationId, token, userId };
  }

  async userOf(conversationId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(conversationId), 'userId')) ?? undefined;
  }

  async check(conversationId: string, token: string | undefined): Promise<Access> {
    const stored = await this.redis.hget(this.key(conversationId), 'tokenHash');
    if (!stored) return 'unknownConversation';
    if (!token) return 'badToken';
    const expected = Buffer.from(stored, 'hex');
    return timingSafeEqual(expected, hashOf(token)) ? 'granted' : 'badToken';
  }
}
