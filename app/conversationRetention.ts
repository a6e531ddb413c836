import type { ChainableCommander } from 'ioredis';
import { webConversationKey } from '../adapters/web/webConversations';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, lifetimeSeconds } from '../common/retention';
import { callbackPointerKey } from '../desk/callbacks';
import { attachmentsKey } from '../desk/conversationAttachments';
import { factsKey } from '../desk/conversationFacts';
import type { IdleRefresh } from '../bot/conversationReferences';
import { channelOwnerKey } from '../bot/conversationOwners';
import { conversationStateKey } from '../bot/redisStorage';

/**
 * A conversation's keys that live as long as it is used (common/keyOwners.ts, end "idle"). Each store
 * gives its key the idle time when it writes it; this list is for the keys a turn may not write,
 * such as the web token, made once, or a dialog state the turn left unchanged. The reference is not
 * here: its own save, in the same round trip, refreshes it.
 */
export function idleKeysOf(channelId: string, conversationId: string): string[] {
  return [
    conversationStateKey(channelId, conversationId),
    webConversationKey(conversationId),
    factsKey(conversationId),
    attachmentsKey(conversationId),
    callbackPointerKey(conversationId),
    channelOwnerKey(conversationId),
  ];
}

/**
 * Every customer turn gives the conversation's keys their full idle time again, so an active
 * conversation never loses part of itself, and one nobody writes in ends whole after
 * config.retention.conversationIdleDays. EXPIRE on a key that does not exist does nothing.
 */
export class ConversationRetention implements IdleRefresh {
  private readonly idleSeconds: number;

  constructor(options: { idleSeconds?: number } = {}) {
    this.idleSeconds = lifetimeSeconds('idleSeconds', options.idleSeconds ?? DEFAULT_CONVERSATION_IDLE_SECONDS);
  }

  refresh(pipeline: ChainableCommander, channelId: string, conversationId: string): void {
    for (const key of idleKeysOf(channelId, conversationId)) pipeline.expire(key, this.idleSeconds);
  }
}
