/**
 * Tickets at risk of missing their dispatch deadline (市区六小时、郊区七小时派工制), for the console:
 * flagged when dispatch finds no engineer in time (`cannotMeet`) or when the deadline passes with no
 * engineer or visit (`deadlinePassed`). A ticket leaves the list once it is dispatched, has a visit
 * booked in time, or is no longer open.
 */
import type { Redis } from 'ioredis';
import type { Ticket } from './model';
import { isOpen, type TicketStore } from './tickets';

export type AtRiskReason = 'cannotMeet' | 'deadlinePassed';

export interface AtRiskTicket {
  ticket: Ticket;
  reason: AtRiskReason;
  /** When it was flagged (ISO). */
  flaggedAt: string;
  /** The ticket's dispatch deadline (ISO). */
  deadline: string;
}

/** Ticket ids by dispatch deadline (ms). */
const AT_RISK_KEY = 'cs:tickets:atRisk';
/** Ticket id → why and when it was flagged. */
const WHY_KEY = 'cs:tickets:atRisk:why';

/** Not yet in an engineer's hands: an appointment in time or the move to `dispatched` settles it. */
export function stillAtRisk(ticket: Ticket): boolean {
  if (!isOpen(ticket.status) || (ticket.status !== 'new' && ticket.status !== 'accepted')) return false;
  if (!ticket.appointment) return true;
  return Date.parse(ticket.appointment.start) > Date.parse(ticket.dispatchDeadline);
}

export class AtRiskTickets {
  constructor(
    private readonly redis: Redis,
    private readonly tickets: Pick<TicketStore, 'get'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Puts the ticket on the list (again: the later reason wins, the first flag time stays). */
  async flag(ticket: Ticket, reason: AtRiskReason): Promise<void> {
    const earlier = await this.redis.hget(WHY_KEY, ticket.id);
    const flaggedAt = earlier ? (JSON.parse(earlier) as { flaggedAt: string }).flaggedAt : this.now().toISOString();
    await this.redis
      .multi()
      .zadd(AT_RISK_KEY, Date.parse(ticket.dispatchDeadline), ticket.id)
      .hset(WHY_KEY, ticket.id, JSON.stringify({ reason, flaggedAt }))
      .exec();
  }

  /** The tickets still at risk, the earliest deadline first; settled ones are dropped from the list as it is read. */
  async list(limit = 200): Promise<AtRiskTicket[]> {
    const ids = await this.redis.zrange(AT_RISK_KEY, 0, limit - 1);
    if (ids.length === 0) return [];
    const [tickets, whys] = await Promise.all([Promise.all(ids.map((id) => this.tickets.get(id))), this.redis.hmget(WHY_KEY, ...ids)]);
    const out: AtRiskTicket[] = [];
    const settled: string[] = [];
    ids.forEach((id, index) => {
      const ticket = tickets[index];
      const why = whys[index];
      if (!ticket || !why || !stillAtRisk(ticket)) {
        settled.push(id);
        return;
      }
      const { reason, flaggedAt } = JSON.parse(why) as { reason: AtRiskReason; flaggedAt: string };
      out.push({ ticket, reason, flaggedAt, deadline: ticket.dispatchDeadline });
    });
    if (settled.length > 0)
      await this.redis
        .multi()
        .zrem(AT_RISK_KEY, ...settled)
        .hdel(WHY_KEY, ...settled)
        .exec();
    return out;
  }
}

/** For the console: the tickets at risk of missing their dispatch deadline, earliest deadline first. */
export function atRiskTickets(redis: Redis, tickets: Pick<TicketStore, 'get'>, limit?: number): Promise<AtRiskTicket[]> {
  return new AtRiskTickets(redis, tickets).list(limit);
}
