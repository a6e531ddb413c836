import type { Redis } from 'ioredis';

/** Who spoke: the customer, the bot, a human agent, or the system (hand-off moves, notes). */
export type Speaker = 'user' | 'bot' | 'agent' | 'system';

/** An activity as the record keeps it: plain JSON, whatever the channel. */
export type RecordedActivity = Record<string, unknown>;

export interface TranscriptEntry {
  /** Position in the conversation's record; increases with time. */
  id: string;
  at: string;
  conversationId: string;
  channel: string;
  direction: 'in' | 'out';
  speaker: Speaker;
  activity: RecordedActivity;
}

/** The parts of a message that say what it was, in whatever channel. */
export interface RecordedMessage {
  text?: string;
  value?: unknown;
  attachments?: { name?: string; contentUrl?: string }[];
}

/** A customer message as an agent reads it: the text, or what was sent instead of text. */
export function textOfMessage(activity: RecordedMessage): string {
  if (activity.text?.trim()) return activity.text;
  if (activity.value !== undefined) return typeof activity.value === 'string' ? activity.value : JSON.stringify(activity.value);
  const attachment = activity.attachments?.[0];
  return attachment ? `[附件] ${attachment.name ?? attachment.contentUrl ?? ''}`.trim() : '';
}

export type NewTranscriptEntry = Omit<TranscriptEntry, 'id' | 'at'> & { at?: string };

/**
 * The record of every conversation, inbound and outbound, that agents and managers read later.
 * One Redis stream per conversation, plus an index of conversations by last activity.
 */
export class TranscriptStore {
  constructor(private readonly redis: Redis) {}

  private streamKey(conversationId: string): string {
    return `cs:conv:{${conversationId}}:transcript`;
  }

  /** Resolves only once Redis holds every entry: nothing said is lost. */
  async append(entries: NewTranscriptEntry[]): Promise<string[]> {
    if (!entries.length) return [];
    const pipeline = this.redis.pipeline();
    for (const entry of entries) {
      const at = entry.at ?? new Date().toISOString();
      pipeline.xadd(this.streamKey(entry.conversationId), '*', 'entry', JSON.stringify({ ...entry, at }));
      pipeline.zadd('cs:transcripts:byLastActivity', Date.parse(at), entry.conversationId);
    }
    const results = (await pipeline.exec()) ?? [];
    const ids: string[] = [];
    results.forEach(([error, value], index) => {
      if (error) throw error;
      if (index % 2 === 0) ids.push(String(value));
    });
    return ids;
  }

  /** The conversation's record, oldest first; `after` continues from an entry id already seen. */
  async read(conversationId: string, options: { after?: string; limit?: number } = {}): Promise<TranscriptEntry[]> {
    const start = options.after ? `(${options.after}` : '-';
    const raw = options.limit
      ? await this.redis.xrange(this.streamKey(conversationId), start, '+', 'COUNT', options.limit)
      : await this.redis.xrange(this.streamKey(conversationId), start, '+');
    return raw.map(([id, fields]) => {
      const json = fields[fields.indexOf('entry') + 1];
      return { ...(JSON.parse(json) as Omit<TranscriptEntry, 'id'>), id };
    });
  }

  async remove(conversationId: string): Promise<void> {
    await this.redis.del(this.streamKey(conversationId));
    await this.redis.zrem('cs:transcripts:byLastActivity', conversationId);
  }
}
