import type { Activity } from 'botbuilder';
import type { DeliveryOutcome } from '../../desk/delivery';
import { ChannelAdapter } from '../channelAdapter';

export { BOT_ACCOUNT } from '../channelAdapter';
export const WEB_CHANNEL = 'web';

export type PushActivities = (conversationId: string, activities: Partial<Activity>[]) => Promise<void>;

/**
 * The web page's channel: a turn's replies go back in the response to the customer's POST;
 * anything sent outside such a turn (agents, reminders) is pushed over the conversation's stream.
 */
export class WebAdapter extends ChannelAdapter {
  constructor(private readonly push: PushActivities) {
    super();
  }

  protected async deliver(reference: Partial<Activity>, activities: Partial<Activity>[]): Promise<DeliveryOutcome> {
    // The page shows pushes when it is open and reloads them from the history when it is not.
    await this.push(reference.conversation?.id ?? '', activities);
    return { status: 'delivered' };
  }
}
