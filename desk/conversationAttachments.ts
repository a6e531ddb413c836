import type { Redis } from 'ioredis';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, lifetimeSeconds } from '../common/retention';

/** A conversation keeps at most this many references: enough for any fault, bounded for Redis. */
const MAX_PER_CONVERSATION = 20;

/**
 * Images and files a customer sent in a conversation (a channel's media id or URL), kept so that
 * the ticket made later in the same conversation carries them.
 */
export class ConversationAttachments {
  private readonly idleSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: { idleSeconds?: number } = {},
  ) {
    this.idleSeconds = lifetimeSeconds('idleSeconds', options.idleSeconds ?? DEFAULT_CONVERSATION_IDLE_SECONDS);
  }

  async add(conversationId: string, reference: string): Promise<void> {
    const key = this.key(conversationId);
    await this.redis.multi().rpush(key, reference).ltrim(key, -MAX_PER_CONVERSATION, -1).expire(key, this.idleSeconds).exec();
  }

  async list(conversationId: string): Promise<string[]> {
    return this.redis.lrange(this.key(conversationId), 0, -1);
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(this.key(conversationId));
  }

  private key(conversationId: string): string {
    return attachmentsKey(conversationId);
  }
}

export function attachmentsKey(conversationId: string): string {
  return `cs:conv:{${conversationId}}:attachments`;
}
