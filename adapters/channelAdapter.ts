import { randomUUID } from 'node:crypto';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { DELIVERY_OUTCOME } from '../bot/proactive';
import type { DeliveryOutcome } from '../desk/delivery';
import type { TurnResult } from '../bot/turnPipeline';
import { TURN_INTENT } from '../common/turnIntent';
import { withSpeaker } from '../bot/speaker';

/** The bot as it appears in every channel's activities. */
export const BOT_ACCOUNT = { id: 'bot', name: '售后服务助手', role: 'bot' };

/** Where replies of a turn are collected to be returned in the channel's HTTP response. */
const TURN_REPLIES = Symbol('turnReplies');

/**
 * A channel whose replies go back in the response to the inbound request (web page, WeChat's
 * passive reply, the Taobao relay): a turn's replies are collected and returned by `runTurn`;
 * anything sent outside such a turn (agents, reminders, a late answer) is `deliver`ed the
 * channel's own way.
 */
export abstract class ChannelAdapter extends BotAdapter {
  /** Sends activities that are not the reply to an inbound request, and says what became of them. */
  protected abstract deliver(reference: Partial<Activity>, activities: Partial<Activity>[]): Promise<DeliveryOutcome>;

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const collected = context.turnState.get(TURN_REPLIES) as Partial<Activity>[] | undefined;
    const outgoing = activities
      .filter((activity) => activity.type !== 'delay')
      .map((activity) => ({ ...withSpeaker(activity), id: activity.id ?? randomUUID(), timestamp: activity.timestamp ?? new Date() }));
    if (collected) collected.push(...outgoing);
    else if (outgoing.length) context.turnState.set(DELIVERY_OUTCOME, await this.deliver(context.activity, outgoing));
    return outgoing.map((activity) => ({ id: activity.id }));
  }

  async updateActivity(): Promise<ResourceResponse | void> {
    throw new Error('this channel cannot edit a message once sent');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('this channel cannot delete a message once sent');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const event = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, event), logic);
  }

  /** Runs one inbound activity through the middleware and the bot, returning what it answered. */
  async runTurn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<TurnResult> {
    const context = new TurnContext(this, activity);
    const replies: Partial<Activity>[] = [];
    context.turnState.set(TURN_REPLIES, replies);
    await this.runMiddleware(context, logic);
    const intent = context.turnState.get(TURN_INTENT) as string | undefined;
    return { replies: JSON.parse(JSON.stringify(replies)) as Partial<Activity>[], intent };
  }
}
