import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../common/json';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, lifetimeSeconds } from '../common/retention';

/** What the bot learnt in a conversation: the summary an agent sees before taking it over. */
export interface ConversationFacts {
  intent?: string;
  product?: string;
  warranty?: string;
  ticketId?: string;
  stepsTried?: string[];
  customerName?: string;
  phone?: string;
}

const factsSchema = z.object({
  intent: z.string().optional(),
  product: z.string().optional(),
  warranty: z.string().optional(),
  ticketId: z.string().optional(),
  stepsTried: z.array(z.string()).optional(),
  customerName: z.string().optional(),
  phone: z.string().optional(),
});

/** The facts of each conversation, merged as flows learn them (a later value wins). */
export class ConversationFactsStore {
  private readonly idleSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: { idleSeconds?: number } = {},
  ) {
    this.idleSeconds = lifetimeSeconds('idleSeconds', options.idleSeconds ?? DEFAULT_CONVERSATION_IDLE_SECONDS);
  }

  async note(conversationId: string, facts: ConversationFacts): Promise<void> {
    const fields = Object.entries(facts)
      .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
      .flatMap(([name, value]) => [name, JSON.stringify(value)]);
    if (!fields.length) return;
    const key = this.key(conversationId);
    await this.redis.multi().hset(key, ...fields).expire(key, this.idleSeconds).exec();
  }

  async get(conversationId: string): Promise<ConversationFacts> {
    const stored = await this.redis.hgetall(this.key(conversationId));
    const decoded = Object.fromEntries(Object.entries(stored).map(([name, value]) => [name, parseJsonOrUndefined(value)]));
    const parsed = factsSchema.safeParse(decoded);
    return parsed.success ? parsed.data : {};
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(this.key(conversationId));
  }

  private key(conversationId: string): string {
    return factsKey(conversationId);
  }
}

export function factsKey(conversationId: string): string {
  return `cs:conv:{${conversationId}}:facts`;
}
