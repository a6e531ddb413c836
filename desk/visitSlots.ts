/**
 * Places in engineers' half-days (上午 / 下午), kept in Redis so that every process books against the
 * same count. One Lua script takes a place: two customers never get the same one, the same ticket
 * booking again gets its own place back, and a reschedule (改约) frees the old place in the same step.
 *
 * All keys share the `{v}` hash tag, so the script may touch the old slot named in a booking.
 */
import type { Redis } from 'ioredis';
import { windowOf, type HalfDay, type HalfDaySlot } from '../common/halfDays';

export interface EngineerSlot extends HalfDaySlot {
  engineerId: string;
}

export type BookingResult =
  | { kind: 'booked'; slot: EngineerSlot }
  /** The ticket already held this place: nothing changed (a retried booking). */
  | { kind: 'already'; slot: EngineerSlot }
  /** Booked, and the place the ticket held before is free again. */
  | { kind: 'moved'; slot: EngineerSlot; from: EngineerSlot }
  /** No place left: offer other times. The ticket keeps what it had. */
  | { kind: 'full' }
  /** The half-day has begun or passed. */
  | { kind: 'past' };

export type CancelResult = { kind: 'cancelled'; slot: EngineerSlot } | { kind: 'none' };

/** How long a slot and its bookings are kept after the half-day ends: late reports still read them. */
const KEEP_AFTER_MS = 2 * 86_400_000;

export const slotKey = (slot: EngineerSlot): string => `cs:visits:{v}:slot:${slot.engineerId}:${slot.date}:${slot.halfDay}`;
export const bookingKey = (ticketId: string): string => `cs:visits:{v}:booking:${ticketId}`;

export const slotId = (slot: EngineerSlot): string => `${slot.engineerId}/${slot.date}/${slot.halfDay}`;

export function parseSlotId(id: string): EngineerSlot | undefined {
  const m = /^([^/]+)\/(\d{4}-\d{2}-\d{2})\/(am|pm)$/.exec(id);
  return m ? { engineerId: m[1], date: m[2], halfDay: m[3] as HalfDay } : undefined;
}

// KEYS[1] slot, KEYS[2] the ticket's booking; ARGV ticket, capacity, slot id, expire-at ms, booked-at.
const BOOK = `
local oldKey = redis.call('HGET', KEYS[2], 'key')
if oldKey == KEYS[1] and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {'already', ARGV[3]} end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then return {'full', ''} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
local oldSlot = ''
if oldKey and oldKey ~= KEYS[1] then
  oldSlot = redis.call('HGET', KEYS[2], 'slot')
  redis.call('HDEL', oldKey, ARGV[1])
end
redis.call('HSET', KEYS[2], 'key', KEYS[1], 'slot', ARGV[3])
redis.call('PEXPIREAT', KEYS[2], ARGV[4])
if oldSlot ~= '' then return {'moved', oldSlot} end
return {'booked', ''}
`;

// KEYS[1] the ticket's booking; ARGV ticket.
const CANCEL = `
local oldKey = redis.call('HGET', KEYS[1], 'key')
if not oldKey then return {'none', ''} end
local slot = redis.call('HGET', KEYS[1], 'slot')
redis.call('HDEL', oldKey, ARGV[1])
redis.call('DEL', KEYS[1])
return {'cancelled', slot}
`;

export interface VisitSlotsOptions {
  now?: () => Date;
}

export class VisitSlots {
  private readonly now: () => Date;

  constructor(
    private readonly redis: Redis,
    options: VisitSlotsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Takes a place in the engineer's half-day for the ticket, `capacity` places in all (the
   * engineer's visits per half-day). A ticket holding another place is moved (改约).
   */
  async book(ticketId: string, slot: EngineerSlot, capacity: number): Promise<BookingResult> {
    const now = this.now();
    const { start, end } = windowOf(slot);
    if (start.getTime() <= now.getTime()) return { kind: 'past' };
    const reply = (await this.redis.eval(
      BOOK,
      2,
      slotKey(slot),
      bookingKey(ticketId),
      ticketId,
      capacity,
      slotId(slot),
      end.getTime() + KEEP_AFTER_MS,
      now.toISOString(),
    )) as [string, string];
    const [kind, previous] = reply;
    if (kind === 'full') return { kind: 'full' };
    if (kind === 'already') return { kind: 'already', slot };
    const from = parseSlotId(previous);
    if (kind === 'moved' && from) return { kind: 'moved', slot, from };
    return { kind: 'booked', slot };
  }

  /** Frees the ticket's place (取消预约). */
  async cancel(ticketId: string): Promise<CancelResult> {
    const [kind, previous] = (await this.redis.eval(CANCEL, 1, bookingKey(ticketId), ticketId)) as [string, string];
    const slot = parseSlotId(previous);
    return kind === 'cancelled' && slot ? { kind: 'cancelled', slot } : { kind: 'none' };
  }

  /** The place a ticket holds, if any. */
  async bookingOf(ticketId: string): Promise<EngineerSlot | undefined> {
    const id = await this.redis.hget(bookingKey(ticketId), 'slot');
    return id ? parseSlotId(id) : undefined;
  }

  /** Places taken in each slot, in the order asked (one round trip). */
  async taken(slots: readonly EngineerSlot[]): Promise<number[]> {
    if (slots.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const slot of slots) pipeline.hlen(slotKey(slot));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, count]) => {
      if (error) throw error;
      return Number(count);
    });
  }
}
