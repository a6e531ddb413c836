import type { Redis } from 'ioredis';
import { DEFAULT_TRANSCRIPT_KEEP_SECONDS, DEFAULT_TRANSCRIPT_MAX_ENTRIES, lifetimeSeconds, positiveWhole } from '../common/retention';

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

export interface TranscriptStoreOptions {
  /** A transcript is deleted this long after its last entry; default 365 days. */
  keepSeconds?: number;
  /** At most about this many entries per conversation (Redis trims whole stream nodes): the oldest go first. Default 2000. */
  maxEntries?: number;
  /** How often one process trims the index of old conversations (ms); default one minute. */
  indexTrimEveryMs?: number;
  now?: () => number;
}

/** Every conversation by the time of its last entry; trimmed of those past the retention. */
export const TRANSCRIPT_INDEX_KEY = 'cs:transcripts:byLastActivity';

export function transcriptKey(conversationId: string): string {
  return `cs:conv:{${conversationId}}:transcript`;
}

/**
 * The record of every conversation, inbound and outbound, that agents and managers read later.
 * One Redis stream per conversation, plus an index of conversations by last activity. Each append
 * caps the stream and gives it the full retention again; tickets, ratings and complaints keep their
 * own records, so an old conversation's words may go.
 */
export class TranscriptStore {
  private readonly keepSeconds: number;
  private readonly maxEntries: number;
  private readonly indexTrimEveryMs: number;
  private readonly now: () => number;
  private lastIndexTrim = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly redis: Redis,
    options: TranscriptStoreOptions = {},
  ) {
    this.keepSeconds = lifetimeSeconds('keepSeconds', options.keepSeconds ?? DEFAULT_TRANSCRIPT_KEEP_SECONDS);
    this.maxEntries = positiveWhole('maxEntries', options.maxEntries ?? DEFAULT_TRANSCRIPT_MAX_ENTRIES);
    this.indexTrimEveryMs = options.indexTrimEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  private streamKey(conversationId: string): string {
    return transcriptKey(conversationId);
  }

  /** Resolves only once Redis holds every entry: nothing said is lost. */
  async append(entries: NewTranscriptEntry[]): Promise<string[]> {
    if (!entries.length) return [];
    const pipeline = this.redis.pipeline();
    const idReplies: number[] = [];
    for (const entry of entries) {
      const at = entry.at ?? new Date().toISOString();
      idReplies.push(pipeline.length);
      pipeline.xadd(this.streamKey(entry.conversationId), 'MAXLEN', '~', this.maxEntries, '*', 'entry', JSON.stringify({ ...entry, at }));
      pipeline.zadd(TRANSCRIPT_INDEX_KEY, Date.parse(at), entry.conversationId);
    }
    for (const conversationId of new Set(entries.map((entry) => entry.conversationId))) {
      pipeline.expire(this.streamKey(conversationId), this.keepSeconds);
    }
    // The index is shared, so no TTL can end it: its old members go instead, at most once a minute
    // per process (one ZREMRANGEBYSCORE, in this same round trip).
    const now = this.now();
    if (now - this.lastIndexTrim >= this.indexTrimEveryMs) {
      this.lastIndexTrim = now;
      pipeline.zremrangebyscore(TRANSCRIPT_INDEX_KEY, '-inf', `(${now - this.keepSeconds * 1000}`);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    return idReplies.map((index) => String(results[index][1]));
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
    await this.redis.zrem(TRANSCRIPT_INDEX_KEY, conversationId);
  }
}
