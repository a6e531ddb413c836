import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../common/json';

/** A ticket whose promised time passed, found when the customer asked about it (催办). */
const chaseSchema = z.object({
  at: z.string(),
  ticketId: z.string().min(1).max(40),
  status: z.string().max(20),
  /** The time that was promised (dispatch deadline or the end of the booked window). */
  promised: z.string(),
  minutesLate: z.number().int().nonnegative(),
  channel: z.string().max(64).optional(),
  conversationId: z.string().max(200).optional(),
});

export type TicketChase = z.infer<typeof chaseSchema>;

export interface ChaseLogger {
  warn(details: object, message: string): void;
}

export interface TicketChasesOptions {
  logger?: ChaseLogger;
  now?: () => Date;
  /** One chase per ticket and promise within this time, however often the customer asks (default 24 h). */
  onceEverySeconds?: number;
  /** Newest first, capped (default 500), gone after 30 quiet days. */
  maxEntries?: number;
}

const CHASES_KEY = 'cs:tickets:chased';
const LIST_TTL_S = 30 * 24 * 3600;
const chasedKey = (ticketId: string, promised: string): string => `cs:ticket:{${ticketId}}:chased:${promised}`;

/**
 * Late tickets the customers have noticed: a warn log line and a capped list the console can show,
 * once per ticket and promise a day, so the desk hears of it without being flooded.
 */
export class TicketChases {
  private readonly now: () => Date;
  private readonly onceEverySeconds: number;
  private readonly maxEntries: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: TicketChasesOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.onceEverySeconds = options.onceEverySeconds ?? 24 * 3600;
    this.maxEntries = options.maxEntries ?? 500;
  }

  /** True when this is the first chase of the ticket's promise in the window (then logged and listed). */
  async chase(chase: Omit<TicketChase, 'at'>): Promise<boolean> {
    const entry = chaseSchema.parse({ at: this.now().toISOString(), ...chase });
    const first = await this.redis.set(chasedKey(entry.ticketId, entry.promised), entry.at, 'EX', this.onceEverySeconds, 'NX');
    if (first !== 'OK') return false;
    this.options.logger?.warn({ event: 'ticket.pastPromise', ...entry }, 'ticket past its promised time: the customer asked, chased');
    await this.redis
      .multi()
      .lpush(CHASES_KEY, JSON.stringify(entry))
      .ltrim(CHASES_KEY, 0, this.maxEntries - 1)
      .expire(CHASES_KEY, LIST_TTL_S)
      .exec();
    return true;
  }

  /** The newest chases, newest first. */
  async recent(limit = 100): Promise<TicketChase[]> {
    const raw = await this.redis.lrange(CHASES_KEY, 0, Math.max(0, limit - 1));
    return raw.map((text) => chaseSchema.safeParse(parseJsonOrUndefined(text))).flatMap((parsed) => (parsed.success ? [parsed.data] : []));
  }
}
