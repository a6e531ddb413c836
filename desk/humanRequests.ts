import type { Redis } from 'ioredis';

export interface HumanRequest {
  conversationId: string;
  channel: string;
  reason: string;
  at: string;
}

/**
 * Customers' requests to talk to a person, kept on the conversation so that the hand-off queue can
 * pick them up; asking again keeps the first request's time and words (the customer's place in line).
 */
export class HumanRequests {
  constructor(private readonly redis: Redis) {}

  private key(conversationId: string): string {
    return `cs:conv:{${conversationId}}:humanRequest`;
  }

  async record(request: HumanRequest): Promise<HumanRequest> {
    const key = this.key(request.conversationId);
    await this.redis
      .multi()
      .hsetnx(key, 'at', request.at)
      .hsetnx(key, 'reason', request.reason)
      .hset(key, 'channel', request.channel, 'lastReason', request.reason, 'lastAt', request.at)
      .exec();
    // The index lives on another cluster slot, so it is written after, not inside, the transaction.
    await this.redis.zadd('cs:humanRequests:open', 'NX', Date.parse(request.at), request.conversationId);
    return (await this.get(request.conversationId)) ?? request;
  }

  async get(conversationId: string): Promise<HumanRequest | undefined> {
    const fields = await this.redis.hgetall(this.key(conversationId));
    if (!fields.at) return undefined;
    return { conversationId, channel: fields.channel, reason: fields.reason, at: fields.at };
  }

  async open(): Promise<string[]> {
    return this.redis.zrange('cs:humanRequests:open', 0, -1);
  }
}
