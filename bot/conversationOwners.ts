import type { Redis } from '../common/redis';

/** A turn for a conversation that another channel owns: refused before anything is recorded. */
export class ConversationOwnedElsewhereError extends Error {
  constructor(
    readonly conversationId: string,
    readonly channel: string,
    readonly owner: string,
  ) {
    super(`conversation ${conversationId} belongs to another channel than ${channel}`);
    this.name = 'ConversationOwnedElsewhereError';
  }
}

/**
 * Claims the key for ARGV[1] when nobody owns it, refreshes its time when ARGV[1] does, and returns
 * the owner either way: one round trip, atomic, so two channels racing for one id get one owner.
 */
const CLAIM = `
local owner = redis.call('GET', KEYS[1])
if not owner then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return ARGV[1]
end
if owner == ARGV[1] then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return owner
`;

/**
 * Which channel a conversation id belongs to. Transcripts, state, references and the hand-off are
 * keyed by conversation id alone, so without this a caller of one channel (a Bot Framework activity
 * naming a web conversation's id) could write into another channel's conversation. The first channel
 * that uses an id owns it for as long as the conversation lives (idle time, refreshed on every turn).
 */
export class ConversationOwners {
  private readonly keepSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: { idleDays: number },
  ) {
    this.keepSeconds = Math.max(1, Math.round(options.idleDays * 24 * 3600));
  }

  /** Takes or confirms `channel`'s ownership; throws when another channel owns the conversation. */
  async claim(conversationId: string, channel: string): Promise<void> {
    const owner = String(await this.redis.eval(CLAIM, 1, this.key(conversationId), channel, this.keepSeconds));
    if (owner !== channel) throw new ConversationOwnedElsewhereError(conversationId, channel, owner);
  }

  /** The owning channel, or undefined for a conversation no channel has used (or one long idle). */
  async ownerOf(conversationId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(conversationId))) ?? undefined;
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(this.key(conversationId));
  }

  private key(conversationId: string): string {
    return channelOwnerKey(conversationId);
  }
}

/** Which channel owns a conversation id: the first that used it (every turn checks it). */
export function channelOwnerKey(conversationId: string): string {
  return `cs:conv:{${conversationId}}:channel`;
}
