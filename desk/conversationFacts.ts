import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../common/json';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, lifetimeSeconds } from '../common/retention';

/**
 * What the bot learnt in a conversation: the summary an agent sees before taking it over, and the
 * facts the customer gave (in any message, to any flow) that no flow should ask for again.
 */
export interface ConversationFacts {
  intent?: string;
  /** The product's display name, for agents. */
  product?: string;
  warranty?: string;
  ticketId?: string;
  stepsTried?: string[];
  customerName?: string;
  phone?: string;
  /** A catalogue category id and model id the customer named. */
  category?: string;
  modelId?: string;
  serial?: string;
  /** A Taobao order number. */
  orderId?: string;
  /** YYYY-MM-DD, as the customer told it (not verified). */
  purchaseDate?: string;
  approximateDate?: boolean;
  /** The fault in the customer's own words. */
  symptom?: string;
  /** Stated damage: true it happened, false the customer said it did not. */
  physicalDamage?: boolean;
  liquid?: boolean;
  disassembled?: boolean;
  /** The customer's words for the damage. */
  damageWords?: string[];
  /** Whether the customer has a proof of purchase (有发票 / 发票丢了). */
  proof?: boolean;
}

const factsSchema = z.object({
  intent: z.string().optional(),
  product: z.string().optional(),
  warranty: z.string().optional(),
  ticketId: z.string().optional(),
  stepsTried: z.array(z.string()).optional(),
  customerName: z.string().optional(),
  phone: z.string().optional(),
  category: z.string().optional(),
  modelId: z.string().optional(),
  serial: z.string().optional(),
  orderId: z.string().optional(),
  purchaseDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  approximateDate: z.boolean().optional(),
  symptom: z.string().optional(),
  physicalDamage: z.boolean().optional(),
  liquid: z.boolean().optional(),
  disassembled: z.boolean().optional(),
  damageWords: z.array(z.string()).optional(),
  proof: z.boolean().optional(),
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
    await this.redis
      .multi()
      .hset(key, ...fields)
      .expire(key, this.idleSeconds)
      .exec();
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
