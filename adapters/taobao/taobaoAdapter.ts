import type { Activity } from 'botbuilder';
import type { Logger } from '../../common/logger';
import type { DeliveryOutcome } from '../../desk/delivery';
import { ChannelAdapter } from '../channelAdapter';
import type { ChoiceMemory } from '../choiceMemory';
import type { KeptMessages } from '../keptMessages';
import { speakerMarkOf } from '../../bot/speaker';
import { renderAsText } from '../textRendering';
import type { TaobaoRelayClient } from './relayClient';

export const TAOBAO_CHANNEL = 'taobao';
/** Wangwang shows long texts, but a screenful at a time reads better; the relay takes this size. */
export const TAOBAO_MAX_BYTES = 3000;

/** Where a Taobao conversation goes: the shop (seller nick) and the buyer. */
export interface TaobaoParties {
  sellerNick: string;
  buyerNick: string;
}

/** One conversation per buyer and shop. */
export function taobaoConversationId(parties: TaobaoParties): string {
  return `taobao:${parties.sellerNick}:${parties.buyerNick}`;
}

/**
 * The Taobao chat relay: a turn's replies go back in the response to the relay's POST; later
 * messages (agents, reminders) are pushed to the relay, signed; what it does not take is held for
 * the buyer's next message.
 */
export class TaobaoAdapter extends ChannelAdapter {
  constructor(
    private readonly relay: TaobaoRelayClient | undefined,
    private readonly choices: ChoiceMemory,
    private readonly kept: KeptMessages,
    private readonly logger: Logger,
  ) {
    super();
  }

  protected async deliver(reference: Partial<Activity>, activities: Partial<Activity>[]): Promise<DeliveryOutcome> {
    const conversationId = reference.conversation?.id ?? '';
    const parties = { buyerNick: reference.from?.id ?? '', sellerNick: reference.recipient?.id ?? '' };
    const rendered = renderAsText(activities, { maxBytes: TAOBAO_MAX_BYTES, locale: reference.locale });
    await this.choices.remember(conversationId, rendered.choices);
    const sender = activities.map(speakerMarkOf).find((mark) => mark?.speaker === 'agent')?.name ?? 'bot';
    if (!this.relay) {
      await this.kept.keep(conversationId, rendered.messages, sender);
      return { status: 'kept', reason: 'TAOBAO_RELAY_URL is not set: the message waits for the buyer to write again' };
    }
    const firstId = activities[0]?.id ?? `${Date.now()}`;
    for (const [index, content] of rendered.messages.entries()) {
      const outcome = await this.relay.push({ ...parties, content, messageId: `${firstId}-${index}` });
      if (!outcome.ok) {
        await this.kept.keep(conversationId, rendered.messages.slice(index), sender);
        this.logger.warn(
          { channel: TAOBAO_CHANNEL, conversation: conversationId, reason: outcome.reason },
          'taobao message held for later',
        );
        return { status: 'kept', reason: outcome.reason };
      }
    }
    return { status: 'delivered' };
  }
}
