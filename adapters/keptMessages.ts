import { z } from 'zod';
import type { Redis } from '../common/redis';

/** A message a channel could not deliver when it was sent, with who wrote it and when it was kept. */
export interface KeptMessage {
  text: string;
  from: string;
  at: number;
}

/** Kept messages wait this long for the customer to write again. */
export const KEPT_FOR_MS = 7 * 24 * 3600 * 1000;
/** Beyond this many, the oldest kept messages are dropped: the customer would not read a wall. */
export const KEPT_MAX = 100;

/** KEYS[1] list; ARGV: keepMs, max, item… One step, so texts sent together stay together and in order. */
const KEEP = `
for i = 3, #ARGV do
  redis.call('RPUSH', KEYS[1], ARGV[i])
end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

/** KEYS[1] list. Read and delete in one step, so two takers never both get a message. */
const TAKE_ALL = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return items
`;

export interface KeptMessagesOptions {
  now?: () => number;
}

/**
 * The one store of messages kept for later, for every channel: what a channel could not deliver
 * when it was sent (WeChat's send budget spent, the Taobao relay down) waits here, per conversation
 * and in order, and goes out with the customer's next answer — so nothing an agent wrote is lost.
 */
export class KeptMessages {
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    options: KeptMessagesOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async keep(conversationId: string, texts: string[], from: string): Promise<void> {
    if (!texts.length) return;
    const at = this.now();
    const items = texts.map((text) => JSON.stringify({ text, from, at } satisfies KeptMessage));
    await this.redis.eval(KEEP, 1, keptKey(conversationId), KEPT_FOR_MS, KEPT_MAX, ...items);
  }

  /** Reads and clears, atomically: each kept message is handed out once, oldest first. */
  async takeAll(conversationId: string): Promise<KeptMessage[]> {
    const raw = await this.redis.eval(TAKE_ALL, 1, keptKey(conversationId));
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((entry: unknown) => {
      const item = parseKept(entry);
      return item ? [item] : [];
    });
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(keptKey(conversationId));
  }
}

function keptKey(conversationId: string): string {
  // The key of the Taobao store these messages joined: what it held before the merge still goes out.
  return `cs:conv:{${conversationId}}:held`;
}

const KeptEntry = z.object({ text: z.string(), from: z.string(), at: z.number() });

function parseKept(entry: unknown): KeptMessage | undefined {
  if (typeof entry !== 'string') return undefined;
  try {
    const parsed = KeptEntry.safeParse(JSON.parse(entry));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: a plain text kept before the stores were merged.
  }
  // Either a plain text from before the merge or a broken entry: the text is worth more than its details.
  return entry.trim() && !entry.startsWith('{') ? { text: entry, from: 'unknown', at: 0 } : undefined;
}
