import type { Activity } from 'botbuilder';

/**
 * Who says an outgoing message. botbuilder stamps every outgoing activity `from` the bot, so a
 * message an agent writes (or a hand-off notice) carries its speaker in `channelData`, and the
 * adapters and the transcript restore it from there.
 */
export interface SpeakerMark {
  speaker: 'agent' | 'system';
  name?: string;
  /** The agent's account, for the record. */
  id?: string;
  /** On a hand-off notice: the agent it is about (the web page names them in its header). */
  agent?: string;
}

export function agentMessage(text: string, agent: { username: string; displayName: string }): Partial<Activity> {
  return { type: 'message', text, channelData: { speaker: 'agent', name: agent.displayName, id: agent.username } satisfies SpeakerMark };
}

export function systemMessage(text: string, about?: { agent?: string }): Partial<Activity> {
  const mark: SpeakerMark = { speaker: 'system', name: '系统', ...(about?.agent ? { agent: about.agent } : {}) };
  return { type: 'message', text, channelData: mark };
}

export function speakerMarkOf(activity: Partial<Activity>): SpeakerMark | undefined {
  const data = activity.channelData as Partial<SpeakerMark> | undefined;
  if (data?.speaker !== 'agent' && data?.speaker !== 'system') return undefined;
  return {
    speaker: data.speaker,
    name: typeof data.name === 'string' ? data.name : undefined,
    id: typeof data.id === 'string' ? data.id : undefined,
  };
}

/** The activity with `from` naming its real speaker (for the web page, the record, WeChat's sender). */
export function withSpeaker(activity: Partial<Activity>): Partial<Activity> {
  const mark = speakerMarkOf(activity);
  if (!mark) return activity;
  return { ...activity, from: { id: mark.id ?? mark.speaker, name: mark.name ?? '', role: mark.speaker } };
}
