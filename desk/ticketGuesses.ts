import type { Redis } from 'ioredis';
import type { SecurityEvents } from './securityEvents';

/** Who is asking: known per channel user (a WeChat openid, a Taobao nick); a web visitor is per conversation. */
export interface TicketAsker {
  channel: string;
  userId: string;
  conversationId: string;
}

export interface TicketGuessLimits {
  /** Wrong phone digits for one ticket, from anyone anywhere, before its lookup pauses (default 3). */
  ticketFreeMisses: number;
  /** How long each pause of a ticket lasts (default 15 min). */
  ticketLockSeconds: number;
  /** Misses of one customer over all tickets before that customer is paused (default 5). */
  customerFreeMisses: number;
  /** The first pause of a customer; each further miss doubles it (default 15 min). */
  customerBaseLockSeconds: number;
  /** How long misses are remembered, and the longest pause (default 24 h). */
  windowSeconds: number;
}

export const DEFAULT_TICKET_GUESS_LIMITS: TicketGuessLimits = {
  ticketFreeMisses: 3,
  ticketLockSeconds: 15 * 60,
  customerFreeMisses: 5,
  customerBaseLockSeconds: 15 * 60,
  windowSeconds: 24 * 3600,
};

/** A try at a ticket's phone digits that was let through; hand it back to `settle` with the outcome. */
export interface TicketGuessTry {
  allowed: true;
  ticketId: string;
  asker: TicketAsker;
  /** The ticket's misses including this try, which counts as one until it is settled as a match. */
  ticketMisses: number;
  /** This try was the last free one: the ticket is paused already, and stays so unless it matches. */
  lastFree: boolean;
}

export interface TicketGuessRefusal {
  allowed: false;
  lockedBy: 'ticket' | 'customer';
  retryAfterSeconds: number;
}

/** What a settled miss caused: nothing, or a pause of the ticket or of the customer. */
export type TicketGuessOutcome = { locked: false } | { locked: 'ticket' | 'customer'; lockedSeconds: number };

export interface GuessLogger {
  warn(details: object, message: string): void;
}

// The ticket's two keys share a hash tag, so the reservation below is one script on a cluster too.
const ticketMissesKey = (ticketId: string): string => `cs:ticketGuess:ticket:{${ticketId}}:misses`;
const ticketLockKey = (ticketId: string): string => `cs:ticketGuess:ticket:{${ticketId}}:lock`;
// A user id is whatever a channel sent: encoded, so it cannot reach outside its key.
const customerOf = (asker: TicketAsker): string => encodeURIComponent(`${asker.channel}:${asker.userId}`);
const customerMissesKey = (asker: TicketAsker): string => `cs:ticketGuess:customer:{${customerOf(asker)}}:misses`;
const customerLockKey = (asker: TicketAsker): string => `cs:ticketGuess:customer:{${customerOf(asker)}}:lock`;

/**
 * Counts the try before it is checked: parallel tries from many conversations cannot all pass a check
 * made before the first miss is counted. The last free try pauses the ticket at once; a match lifts it.
 * KEYS: misses, lock. ARGV: window seconds, free misses, lock seconds. → {0, lock ms} or {1, misses}.
 */
const RESERVE_TICKET_TRY = `
local lockMs = redis.call('PTTL', KEYS[2])
if lockMs > 0 then return {0, lockMs} end
local misses = redis.call('INCR', KEYS[1])
if misses == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if misses >= tonumber(ARGV[2]) then redis.call('SET', KEYS[2], misses, 'EX', ARGV[3]) end
return {1, misses}`;

/** Shortened for the agents' list: enough to tell two customers apart, not to address one. */
function maskCustomer(userId: string): string {
  return userId.length > 8 ? `${userId.slice(0, 4)}…${userId.slice(-4)}` : '…';
}

/**
 * Keeps 工单进度 from being a way to read other customers' tickets by guessing the last four digits of
 * their phone: limits per ticket (wherever the tries come from) and per customer (over all tickets),
 * never per conversation, because conversations cost nothing to open.
 */
export class TicketGuesses {
  private readonly limits: TicketGuessLimits;

  constructor(
    private readonly redis: Redis,
    private readonly deps: { events?: SecurityEvents; logger?: GuessLogger; limits?: Partial<TicketGuessLimits> } = {},
  ) {
    this.limits = { ...DEFAULT_TICKET_GUESS_LIMITS, ...deps.limits };
  }

  /** Lets one try at `ticketId`'s phone digits through, or says what is paused and for how long. */
  async begin(ticketId: string, asker: TicketAsker): Promise<TicketGuessTry | TicketGuessRefusal> {
    const customerLockMs = await this.redis.pttl(customerLockKey(asker));
    if (customerLockMs > 0) return { allowed: false, lockedBy: 'customer', retryAfterSeconds: Math.ceil(customerLockMs / 1000) };
    const { windowSeconds, ticketFreeMisses, ticketLockSeconds } = this.limits;
    const [allowed, value] = (await this.redis.eval(
      RESERVE_TICKET_TRY,
      2,
      ticketMissesKey(ticketId),
      ticketLockKey(ticketId),
      windowSeconds,
      ticketFreeMisses,
      ticketLockSeconds,
    )) as [number, number];
    if (allowed === 0) return { allowed: false, lockedBy: 'ticket', retryAfterSeconds: Math.ceil(value / 1000) };
    return { allowed: true, ticketId, asker, ticketMisses: value, lastFree: value >= ticketFreeMisses };
  }

  /**
   * A match forgets the ticket's misses (whoever knows the digits learns nothing more by trying) but not
   * the customer's. A miss may pause the ticket or the customer; each pause is logged and listed for agents.
   */
  async settle(attempt: TicketGuessTry, matched: boolean, details: { maskedPhone?: string } = {}): Promise<TicketGuessOutcome> {
    const { ticketId, asker } = attempt;
    if (matched) {
      await this.redis.del(ticketMissesKey(ticketId), ...(attempt.lastFree ? [ticketLockKey(ticketId)] : []));
      return { locked: false };
    }
    // Both may pause at once; the customer is told the wider one (every ticket), agents hear of both.
    const customerLock = await this.countCustomerMiss(asker);
    const ticketLock = attempt.lastFree ? { failures: attempt.ticketMisses, lockedSeconds: this.limits.ticketLockSeconds } : undefined;
    if (ticketLock) await this.announce('ticketLookupLocked', attempt, ticketLock, details);
    if (customerLock) await this.announce('customerLookupLocked', attempt, customerLock, details);
    if (customerLock) return { locked: 'customer', lockedSeconds: customerLock.lockedSeconds };
    if (ticketLock) return { locked: 'ticket', lockedSeconds: ticketLock.lockedSeconds };
    return { locked: false };
  }

  /** Customers are counted after the fact: one customer's turns already run one at a time. */
  private async countCustomerMiss(asker: TicketAsker): Promise<{ failures: number; lockedSeconds: number } | undefined> {
    const { windowSeconds, customerFreeMisses, customerBaseLockSeconds } = this.limits;
    const key = customerMissesKey(asker);
    const [, reply] = (await this.redis.multi().set(key, 0, 'EX', windowSeconds, 'NX').incr(key).exec()) ?? [];
    const misses = Number(reply?.[1] ?? 0);
    if (misses < customerFreeMisses) return undefined;
    const lockedSeconds = Math.min(windowSeconds, customerBaseLockSeconds * 2 ** Math.min(misses - customerFreeMisses, 20));
    await this.redis.set(customerLockKey(asker), String(misses), 'EX', lockedSeconds);
    return { failures: misses, lockedSeconds };
  }

  private async announce(
    kind: 'ticketLookupLocked' | 'customerLookupLocked',
    attempt: TicketGuessTry,
    lock: { failures: number; lockedSeconds: number },
    details: { maskedPhone?: string },
  ): Promise<void> {
    const { ticketId, asker } = attempt;
    this.deps.logger?.warn(
      { event: `ticket.${kind}`, ticketId, channel: asker.channel, userId: asker.userId, conversationId: asker.conversationId, ...lock },
      kind === 'ticketLookupLocked'
        ? 'ticket status lookup paused after wrong phone digits'
        : 'customer paused after wrong phone digits on tickets',
    );
    await this.deps.events?.record({
      kind,
      subject: kind === 'ticketLookupLocked' ? ticketId : maskCustomer(asker.userId),
      channel: asker.channel,
      maskedPhone: kind === 'ticketLookupLocked' ? details.maskedPhone : undefined,
      ...lock,
    });
  }
}
