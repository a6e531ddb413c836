import type { Activity } from 'botbuilder';
import type { Logger } from '../../common/logger';
import type { DeliveryOutcome } from '../../desk/delivery';
import { ChannelAdapter } from '../channelAdapter';
import type { ChoiceMemory } from '../choiceMemory';
import type { KeptMessages } from '../keptMessages';
import { speakerMarkOf } from '../../bot/speaker';
import { renderAsText } from '../textRendering';
import type { WechatSendBudget } from './sendBudget';
import type { WechatApiClient } from './wechatApi';

export const WECHAT_CHANNEL = 'wechat';
/** A text message's content is limited to about 2048 bytes (docs/protocols.md §1): stay under it. */
export const WECHAT_MAX_BYTES = 2000;

/**
 * WeChat Official Account: a turn's replies go back as the passive reply (see WechatChannel);
 * everything else — a late answer, an agent's reply, a reminder — goes through the customer-service
 * API, within the customer's 5-messages-in-48-hours budget. What the budget does not allow is kept
 * and handed over when the customer writes again.
 */
export class WechatAdapter extends ChannelAdapter {
  constructor(
    private readonly api: WechatApiClient,
    private readonly budget: WechatSendBudget,
    private readonly choices: ChoiceMemory,
    private readonly kept: KeptMessages,
    private readonly logger: Logger,
  ) {
    super();
  }

  protected async deliver(reference: Partial<Activity>, activities: Partial<Activity>[]): Promise<DeliveryOutcome> {
    const openId = reference.from?.id ?? '';
    const rendered = renderAsText(activities, { maxBytes: WECHAT_MAX_BYTES, locale: reference.locale });
    await this.choices.remember(reference.conversation?.id ?? openId, rendered.choices);
    const sender = activities.map(speakerMarkOf).find((mark) => mark?.speaker === 'agent')?.name ?? 'bot';
    return this.sendTexts(openId, rendered.messages, sender);
  }

  /** Sends texts in order; from the first one the budget or WeChat refuses, the rest are kept. */
  async sendTexts(openId: string, texts: string[], sender: string): Promise<DeliveryOutcome> {
    for (const [index, text] of texts.entries()) {
      const refusal = await this.sendOne(openId, text);
      if (refusal) {
        await this.kept.keep(openId, texts.slice(index), sender);
        this.logger.warn(
          { channel: WECHAT_CHANNEL, user: openId, reason: refusal, kept: texts.length - index, sender },
          'wechat message kept for later',
        );
        return { status: 'kept', reason: refusal };
      }
    }
    return { status: 'delivered' };
  }

  /** Undefined when sent, otherwise why not. */
  private async sendOne(openId: string, text: string): Promise<string | undefined> {
    if (!(await this.budget.tryTake(openId))) return 'the customer has not written for a while or the 5-message budget is spent';
    const outcome = await this.api.sendText(openId, text);
    if (outcome.status === 'sent') return undefined;
    if (outcome.status === 'failed') await this.budget.giveBack(openId);
    return `${outcome.status}: ${outcome.message}`;
  }
}
