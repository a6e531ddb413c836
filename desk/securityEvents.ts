import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../common/json';

/**
 * What agents are told about: a ticket whose lookup was paused after wrong phone digits, a customer
 * paused after misses on many tickets, a console sign-in locked for one address (or one address for
 * every name), a console name failing from many addresses at once.
 */
export const SECURITY_EVENT_KINDS = [
  'ticketLookupLocked',
  'customerLookupLocked',
  'consoleLoginLocked',
  'consoleAddressLocked',
  'consoleNameSlowed',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

const securityEvent = z.object({
  at: z.string(),
  kind: z.enum(SECURITY_EVENT_KINDS),
  /** The ticket number, the console user name, or the masked customer / address the lock is on. */
  subject: z.string().max(200),
  channel: z.string().max(64).optional(),
  /** Only ever masked (138****8000): the list is shown to every agent. */
  maskedPhone: z.string().max(20).optional(),
  maskedAddress: z.string().max(64).optional(),
  failures: z.number().int().nonnegative(),
  lockedSeconds: z.number().int().nonnegative(),
});

export type SecurityEvent = z.infer<typeof securityEvent>;

export interface SecurityEventsOptions {
  /** Newest first; older ones fall off, so a flood of locks cannot grow the list (default 500). */
  maxEntries?: number;
  /** The list goes when nothing was added for this long (default 30 days). */
  ttlSeconds?: number;
  now?: () => Date;
}

const EVENTS_KEY = 'cs:security:events';

/** A short, capped record of locks and slow-downs for the console, next to the log line each also gets. */
export class SecurityEvents {
  private readonly maxEntries: number;
  private readonly ttlSeconds: number;
  private readonly now: () => Date;

  constructor(
    private readonly redis: Redis,
    options: SecurityEventsOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 500;
    this.ttlSeconds = options.ttlSeconds ?? 30 * 24 * 3600;
    this.now = options.now ?? (() => new Date());
  }

  async record(event: Omit<SecurityEvent, 'at'>): Promise<void> {
    const entry: SecurityEvent = securityEvent.parse({ at: this.now().toISOString(), ...event });
    await this.redis
      .multi()
      .lpush(EVENTS_KEY, JSON.stringify(entry))
      .ltrim(EVENTS_KEY, 0, this.maxEntries - 1)
      .expire(EVENTS_KEY, this.ttlSeconds)
      .exec();
  }

  /** The newest `limit` events, newest first; an entry that does not read back is left out. */
  async recent(limit = 100): Promise<SecurityEvent[]> {
    const raw = await this.redis.lrange(EVENTS_KEY, 0, Math.max(0, limit - 1));
    const events: SecurityEvent[] = [];
    for (const text of raw) {
      const parsed = securityEvent.safeParse(parseJsonOrUndefined(text));
      if (parsed.success) events.push(parsed.data);
    }
    return events;
  }
}
