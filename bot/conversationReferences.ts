import { TurnContext, type ConversationReference, type Middleware } from 'botbuilder';
import type { Redis } from './redis';

const KEEP_SECONDS = 90 * 24 * 3600;

/**
 * Where each conversation can be reached later (agents' replies, reminders): the channel's
 * conversation reference, refreshed by every message the customer sends.
 */
export class ConversationReferences implements Middleware {
  constructor(private readonly redis: Redis) {}

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
    await this.redis.set(this.key(id), JSON.stringify(reference), 'EX', KEEP_SECONDS);
  }

  async get(conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    const stored = await this.redis.get(this.key(conversationId));
    return stored ? (JSON.parse(stored) as Partial<ConversationReference>) : undefined;
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(this.key(conversationId));
  }

  private key(conversationId: string): string {
    return `cs:conv:{${conversationId}}:reference`;
  }
}
