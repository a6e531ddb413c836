import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../common/json';

/** How long a flow the customer left unfinished (a 报修 half filled in) is kept to be offered back. */
export const DRAFT_KEEP_SECONDS = 24 * 3600;

/**
 * A flow set aside: which service it was, the facts it had (their names, to say what was kept), and
 * the flow's own saved state, opaque here, which the conversation puts back to continue it.
 */
export interface FlowDraft {
  /** The service, as an intent label ("fault_report"). */
  flow: string;
  /** Names of the facts the customer had given ("modelId", "symptom" …). */
  facts: string[];
  /** The dialog's saved state: `{ id, state }` as the dialog stack holds it. */
  instance: { id: string; state: Record<string, unknown> };
  savedAt: string;
}

const draftSchema = z.object({
  flow: z.string().min(1),
  facts: z.array(z.string()),
  instance: z.object({ id: z.string().min(1), state: z.record(z.string(), z.unknown()) }),
  savedAt: z.string(),
});

/** One draft per conversation (the last one left), kept for 24 hours. */
export class FlowDraftStore {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(conversationId: string, draft: Omit<FlowDraft, 'savedAt'>): Promise<void> {
    const stored: FlowDraft = { ...draft, savedAt: this.now().toISOString() };
    await this.redis.set(this.key(conversationId), JSON.stringify(stored), 'EX', DRAFT_KEEP_SECONDS);
  }

  /** The draft, if one is kept and readable (one written by an older release may not be: it is dropped). */
  async get(conversationId: string): Promise<FlowDraft | undefined> {
    const stored = await this.redis.get(this.key(conversationId));
    if (stored === null) return undefined;
    const parsed = draftSchema.safeParse(parseJsonOrUndefined(stored));
    return parsed.success ? parsed.data : undefined;
  }

  async discard(conversationId: string): Promise<void> {
    await this.redis.del(this.key(conversationId));
  }

  private key(conversationId: string): string {
    return `cs:conv:{${conversationId}}:draft`;
  }
}
