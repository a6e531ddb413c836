import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { withSpeaker } from './speaker';
import { BODY_LIMITS, jsonLimitProblem, type JsonLimits } from '../common/jsonLimits';
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

/** The parts of an activity a channel fills from what the sender posted, free-form JSON. */
const FREE_FORM_FIELDS = ['value', 'channelData', 'entities', 'attachments'] as const;

/** Only the depth matters here: size is the channels' business, and the record keeps what was said. */
const RECORD_LIMITS: JsonLimits = { maxDepth: BODY_LIMITS.maxDepth, maxBytes: Infinity, maxStringLength: Infinity, maxItems: Infinity };

/**
 * Plain JSON without undefined fields or class instances, as the record keeps it. Channels refuse
 * bodies nested deeper than BODY_LIMITS; should one slip through anyway, its free-form part is
 * recorded as a note instead, so that the JSON round trip cannot overflow the stack and fail the turn.
 */
function toRecord(activity: Partial<Activity>): RecordedActivity {
  const bounded: Record<string, unknown> = { ...activity };
  for (const field of FREE_FORM_FIELDS) {
    const problem = jsonLimitProblem(bounded[field], RECORD_LIMITS);
    if (problem) bounded[field] = `[not recorded: ${problem}]`;
  }
  return JSON.parse(JSON.stringify(bounded)) as RecordedActivity;
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
