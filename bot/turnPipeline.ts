import type { Activity } from 'botbuilder';
import type { ConversationLock } from '../common/conversationLock';
import { ConversationOwnedElsewhereError, type ConversationOwners } from './conversationOwners';
import type { InboundDedupe } from '../common/inboundDedupe';
import type { Logger } from '../common/logger';

/** What a turn produced: the replies sent within it, and what it understood. */
export interface TurnResult {
  replies: Partial<Activity>[];
  intent?: string;
}

export interface InboundMessage {
  channel: string;
  conversationId: string;
  /** The channel's id of this delivery; absent when the channel gives none (then no dedupe). */
  messageId?: string;
}

/**
 * The path every inbound message of every channel takes: the conversation must be this channel's,
 * then dedupe by the channel's message id, then one turn at a time per conversation, then the turn
 * itself; one log line per turn.
 */
export class TurnPipeline {
  constructor(
    private readonly dedupe: InboundDedupe,
    private readonly lock: ConversationLock,
    private readonly logger: Logger,
    private readonly owners: ConversationOwners,
  ) {}

  async handle(message: InboundMessage, runTurn: () => Promise<TurnResult>): Promise<TurnResult> {
    const started = process.hrtime.bigint();
    const fields = { channel: message.channel, conversation: message.conversationId, messageId: message.messageId };
    const locked = () => this.lock.withLock(message.conversationId, runTurn);
    try {
      // First, before a dedupe key or a lock exists: a foreign turn must leave no trace at all.
      await this.owners.claim(message.conversationId, message.channel);
      const { result, replayed } = message.messageId
        ? await this.dedupe.once(`${message.channel}:${message.conversationId}:${message.messageId}`, locked)
        : { result: await locked(), replayed: false };
      this.logger.info(
        {
          ...fields,
          intent: result.intent,
          replies: result.replies.length,
          latencyMs: elapsedMs(started),
          outcome: replayed ? 'replayed' : 'answered',
        },
        'turn',
      );
      return result;
    } catch (error) {
      if (error instanceof ConversationOwnedElsewhereError) {
        this.logger.warn({ ...fields, owner: error.owner, latencyMs: elapsedMs(started), outcome: 'foreignConversation' }, 'turn');
        throw error;
      }
      this.logger.error({ ...fields, err: error, latencyMs: elapsedMs(started), outcome: 'failed' }, 'turn');
      throw error;
    }
  }
}

function elapsedMs(started: bigint): number {
  return Number((process.hrtime.bigint() - started) / 1000n) / 1000;
}
