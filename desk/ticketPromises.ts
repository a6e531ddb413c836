import type { Callback, CallbackRequests } from './callbacks';
import type { ServiceMode, Ticket, TicketStatus } from './model';
import { addWorkingHours, closingTimeAfter, type WorkingHours } from './workingHours';

/**
 * What happens next with a ticket and by when, as the customer is promised it (DOMAIN: what cannot
 * be solved the same day gets an explicit promised time). Read from the ticket alone, so every
 * channel and the console can say the same.
 */
export type TicketNextStep =
  /** On-site, not yet there: the engineer arrives by the dispatch deadline (6/7 working hours). */
  | { kind: 'visit'; by: string; late: boolean }
  /** A booked visit: its window replaces the dispatch deadline. */
  | { kind: 'appointment'; mode: ServiceMode; start: string; end: string; late: boolean }
  /** Carry-in or mail-in, not yet in repair: the desk gets in touch by the dispatch deadline. */
  | { kind: 'contact'; mode: 'carryIn' | 'mailIn'; by: string; late: boolean }
  | { kind: 'repairing'; mode: ServiceMode }
  | { kind: 'completed'; mode: ServiceMode; at: string }
  | { kind: 'closed'; at: string }
  | { kind: 'cancelled'; at: string };

/** Promises that carry a time the customer may already have seen pass. */
export type PromisedStep = Extract<TicketNextStep, { late: boolean }>;

/** When the ticket last moved into `status`; the ticket's last change when the history does not say. */
export function movedAt(ticket: Ticket, status: TicketStatus): string {
  const move = [...ticket.history].reverse().find((event) => event.to === status);
  return move?.at ?? ticket.updatedAt;
}

export function nextStepOf(ticket: Ticket, now: Date): TicketNextStep {
  switch (ticket.status) {
    case 'new':
    case 'accepted':
    case 'dispatched': {
      const { appointment } = ticket;
      if (appointment) {
        return {
          kind: 'appointment',
          mode: ticket.serviceMode,
          start: appointment.start,
          end: appointment.end,
          late: Date.parse(appointment.end) < now.getTime(),
        };
      }
      const by = ticket.dispatchDeadline;
      const late = Date.parse(by) < now.getTime();
      return ticket.serviceMode === 'onsite' ? { kind: 'visit', by, late } : { kind: 'contact', mode: ticket.serviceMode, by, late };
    }
    case 'inRepair':
      return { kind: 'repairing', mode: ticket.serviceMode };
    case 'completed':
      return { kind: 'completed', mode: ticket.serviceMode, at: movedAt(ticket, 'completed') };
    case 'closed':
      return { kind: 'closed', at: movedAt(ticket, 'closed') };
    case 'cancelled':
      return { kind: 'cancelled', at: movedAt(ticket, 'cancelled') };
  }
}

/** The time the step promised; for a booked window, its end. */
export function promisedTimeOf(step: PromisedStep): string {
  return step.kind === 'appointment' ? step.end : step.by;
}

/** Whole minutes past the promise (0 while it still holds). */
export function minutesLate(step: PromisedStep, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(promisedTimeOf(step))) / 60_000));
}

export interface CallbackPromise {
  id: string;
  /** The end of the service day it falls in, with at least a working hour to make the call. */
  by: string;
  late: boolean;
}

/**
 * A call-back is made the same service day; asked for in the last hour (or after hours) it is due
 * by the close of the next one, so the promise is one an agent can keep.
 */
export function callbackPromiseOf(callback: Callback, serviceHours: WorkingHours, now: Date): CallbackPromise {
  const earliest = addWorkingHours(new Date(callback.createdAt), 1, serviceHours);
  // An hour that ends exactly at closing still belongs to that day.
  const by = closingTimeAfter(new Date(earliest.getTime() - 1), serviceHours);
  return { id: callback.id, by: by.toISOString(), late: by.getTime() < now.getTime() };
}

/** The first of these conversations' open call-backs, with its promise. */
export async function openCallbackPromise(
  callbacks: Pick<CallbackRequests, 'openFor'>,
  conversationIds: readonly string[],
  serviceHours: WorkingHours,
  now: Date,
): Promise<CallbackPromise | undefined> {
  for (const conversationId of conversationIds) {
    const callback = await callbacks.openFor(conversationId);
    if (callback) return callbackPromiseOf(callback, serviceHours, now);
  }
  return undefined;
}
