import type { Redis } from 'ioredis';

export interface GuessGate {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Slows down anyone trying ticket numbers and phone digits until something matches: a few wrong
 * answers are forgiven, then the conversation waits longer after each further miss.
 */
export class TicketGuesses {
  constructor(
    private readonly redis: Redis,
    private readonly options: { freeMisses: number; baseLockSeconds: number; windowSeconds: number } = {
      freeMisses: 3,
      baseLockSeconds: 60,
      windowSeconds: 3600,
    },
  ) {}

  private missesKey(conversationId: string): string {
    return `cs:conv:{${conversationId}}:ticketMisses`;
  }

  private lockKey(conversationId: string): string {
    return `cs:conv:{${conversationId}}:ticketLock`;
  }

  async gate(conversationId: string): Promise<GuessGate> {
    const ttl = await this.redis.pttl(this.lockKey(conversationId));
    return ttl > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(ttl / 1000) } : { allowed: true, retryAfterSeconds: 0 };
  }

  /** A match does not wipe earlier misses: guessing many tickets right and wrong stays slow. */
  async record(conversationId: string, success: boolean): Promise<void> {
    if (success) return;
    const misses = await this.redis.incr(this.missesKey(conversationId));
    await this.redis.expire(this.missesKey(conversationId), this.options.windowSeconds);
    const over = misses - this.options.freeMisses;
    if (over >= 0) {
      const seconds = Math.min(this.options.windowSeconds, this.options.baseLockSeconds * 2 ** over);
      await this.redis.set(this.lockKey(conversationId), String(misses), 'EX', seconds);
    }
  }
}
