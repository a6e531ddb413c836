import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { withSpeaker } from '../adapters/speaker';
import type { NewTranscriptEntry, RecordedActivity, Speaker, TranscriptStore } from '../desk/transcripts';

/** Only what people said is kept in the record; typing indicators and delays are not. */
function isRecorded(activity: Partial<Activity>): boolean {
  return activity.type === 'message';
}

function speakerOf(activity: Partial<Activity>, direction: 'in' | 'out'): Speaker {
  const role = activity.from?.role;
  if (role === 'agent' || role === 'system') return role;
  return direction === 'in' ? 'user' : 'bot';
}

/** Plain JSON without undefined fields or class instances, as the record keeps it. */
function toRecord(activity: Partial<Activity>): RecordedActivity {
  return JSON.parse(JSON.stringify(activity)) as RecordedActivity;
}

/**
 * Appends every inbound and outbound message of every channel to the conversation's transcript.
 * Outbound messages are recorded before they are sent: what a customer saw is always on record.
 */
export class TranscriptMiddleware implements Middleware {
  constructor(private readonly transcripts: TranscriptStore) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const inbound = context.activity;
    if (isRecorded(inbound)) await this.transcripts.append([this.entry(inbound, 'in')]);
    context.onSendActivities(async (ctx, activities, sendNext) => {
      const entries = activities.filter(isRecorded).map((activity) => this.entry(withSpeaker(activity), 'out', ctx.activity));
      await this.transcripts.append(entries);
      return sendNext();
    });
    await next();
  }

  private entry(activity: Partial<Activity>, direction: 'in' | 'out', inbound?: Activity): NewTranscriptEntry {
    const conversationId = activity.conversation?.id ?? inbound?.conversation?.id ?? 'unknown';
    return {
      conversationId,
      channel: activity.channelId ?? inbound?.channelId ?? 'unknown',
      direction,
      speaker: speakerOf(activity, direction),
      activity: toRecord({ ...activity, timestamp: activity.timestamp ?? new Date() }),
    };
  }
}
