import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

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

/** Web conversations and the bearer tokens that let one browser, and only it, speak in one. */
export class WebConversations {
  constructor(private readonly redis: Redis) {}

  private key(conversationId: string): string {
    return `cs:conv:{${conversationId}}:web`;
  }

  async create(): Promise<WebConversation> {
    const conversationId = `web-${randomUUID()}`;
    const token = randomBytes(32).toString('base64url');
    const userId = `web-user-${randomUUID()}`;
    await this.redis.hset(this.key(conversationId), {
      tokenHash: hashOf(token).toString('hex'),
      userId,
      createdAt: new Date().toISOString(),
    });
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
