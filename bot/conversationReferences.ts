import { TurnContext, type ConversationReference, type Middleware } from 'botbuilder';
import type { ChainableCommander } from 'ioredis';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, lifetimeSeconds } from '../common/retention';
import type { Redis } from '../common/redis';

/** Adds commands that keep a conversation's other keys alive to the pipeline that saves its reference. */
export interface IdleRefresh {
  refresh(pipeline: ChainableCommander, channelId: string, conversationId: string): void;
}

export interface ConversationReferencesOptions {
  /** A conversation the customer has not written in for this long can no longer be reached; default 30 days. */
  idleSeconds?: number;
  /** Run in the same round trip as every save: the customer's turn keeps the whole conversation alive. */
  alsoRefresh?: IdleRefresh;
}

export function referenceKey(conversationId: string): string {
  return `cs:conv:{${conversationId}}:reference`;
}

/**
 * Where each conversation can be reached later (agents' replies, reminders): the channel's
 * conversation reference, refreshed by every message the customer sends.
 */
export class ConversationReferences implements Middleware {
  private readonly idleSeconds: number;
  private readonly alsoRefresh?: IdleRefresh;

  constructor(
    private readonly redis: Redis,
    options: ConversationReferencesOptions = {},
  ) {
    this.idleSeconds = lifetimeSeconds('idleSeconds', options.idleSeconds ?? DEFAULT_CONVERSATION_IDLE_SECONDS);
    this.alsoRefresh = options.alsoRefresh;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if ((activity.type === 'message' || activity.type === 'conversationUpdate') && activity.conversation?.id) {
      await this.save(TurnContext.getConversationReference(activity));
    }
    await next();
  }

  async save(reference: Partial<ConversationReference>): Promise<void> {
    const id = reference.conversation?.id;
    if (!id) return;
    const pipeline = this.redis.pipeline().set(referenceKey(id), JSON.stringify(reference), 'EX', this.idleSeconds);
    if (reference.channelId) this.alsoRefresh?.refresh(pipeline, reference.channelId, id);
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  async get(conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    const stored = await this.redis.get(referenceKey(conversationId));
    return stored ? (JSON.parse(stored) as Partial<ConversationReference>) : undefined;
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(referenceKey(conversationId));
  }
}
