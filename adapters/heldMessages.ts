import type { Redis } from '../common/redis';

const KEEP_SECONDS = 7 * 24 * 3600;

/**
 * Messages a channel could not deliver when they were sent (relay down, budget spent): kept, and
 * handed to the customer with the next answer, so that nothing an agent wrote is lost.
 */
export class HeldMessages {
  constructor(private readonly redis: Redis) {}

  async keep(conversationId: string, texts: string[]): Promise<void> {
    if (!texts.length) return;
    const key = this.key(conversationId);
    await this.redis
      .multi()
      .rpush(key, ...texts)
      .expire(key, KEEP_SECONDS)
      .exec();
  }

  /** Reads and clears in one step: each held text is handed out once. */
  async takeAll(conversationId: string): Promise<string[]> {
    const key = this.key(conversationId);
    const result = await this.redis.multi().lrange(key, 0, -1).del(key).exec();
    const [error, texts] = result?.[0] ?? [null, []];
    if (error) throw error;
    return texts as string[];
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(this.key(conversationId));
  }

  private key(conversationId: string): string {
    return `cs:conv:{${conversationId}}:held`;
  }
}
