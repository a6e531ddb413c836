import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationOwners } from './conversationOwners';
import type { ConversationReferences } from './conversationReferences';
import type { Logger } from '../common/logger';
import type { DeliveryOutcome } from '../desk/delivery';

/** Where a channel adapter leaves the outcome of a delivery it made within a proactive turn. */
export const DELIVERY_OUTCOME = Symbol('deliveryOutcome');

export type ContinueConversation = (
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

/**
 * Continues any conversation later from its stored reference, through the adapter of the channel
 * it lives in (agents' replies, reminders), within that channel's rules.
 */
export class ProactiveMessenger {
  private readonly channels = new Map<string, ContinueConversation>();

  constructor(
    private readonly references: ConversationReferences,
    private readonly logger: Logger,
    private readonly owners?: ConversationOwners,
  ) {}

  /** The adapter that serves these channel ids (Bot Framework serves several: emulator, msteams …). */
  register(channelIds: string[], continueConversation: ContinueConversation): void {
    for (const id of channelIds) this.channels.set(id, continueConversation);
  }

  /** Sends to a conversation; 'failed' when the conversation or its channel is unknown here. */
  async send(conversationId: string, activities: Partial<Activity>[]): Promise<DeliveryOutcome> {
    return this.continueWith(conversationId, async (context) => {
      await context.sendActivities(activities);
    });
  }

  /** Runs `logic` in the conversation (e.g. the bot resuming after a hand-off) and reports delivery. */
  async continueWith(conversationId: string, logic: (context: TurnContext) => Promise<void>): Promise<DeliveryOutcome> {
    const reference = await this.references.get(conversationId);
    if (!reference) return { status: 'failed', reason: `no conversation ${conversationId} is known` };
    // The adapter of the channel that owns the conversation, not the channelId its reference names:
    // a Bot Framework activity may call itself "web" or "wechat", its replies still go to its connector.
    const channelId = (await this.owners?.ownerOf(conversationId)) ?? reference.channelId ?? '';
    const continueConversation = this.channels.get(channelId) ?? this.channels.get('*');
    if (!continueConversation) return { status: 'failed', reason: `the ${channelId} channel is not on` };
    let outcome: DeliveryOutcome = { status: 'delivered' };
    try {
      await continueConversation(reference, async (context) => {
        await logic(context);
        outcome = (context.turnState.get(DELIVERY_OUTCOME) as DeliveryOutcome | undefined) ?? outcome;
      });
    } catch (error) {
      this.logger.warn({ err: error, conversation: conversationId, channel: channelId }, 'proactive message not delivered');
      outcome = { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
    return outcome;
  }
}
