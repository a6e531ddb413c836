import type { HandoffState } from '../../desk/handoff';

/** Who answers the customer now, as the web page's header shows it. */
export type PageHandoffState = 'bot' | 'waiting' | 'withAgent';

/**
 * Sent with every reply, history and push, so the page always knows whether it waits for a person,
 * talks to one or to the assistant. `at` orders answers that cross on the wire: a push read after a
 * claim must win over a reply read just before it.
 */
export interface PageHandoff {
  state: PageHandoffState;
  at: string;
}

export type HandoffStateOf = (conversationId: string) => Promise<HandoffState>;

/** A closed chat is back with the assistant (the gate lets the dialogs answer again). */
export function pageHandoff(state: HandoffState, now: Date = new Date()): PageHandoff {
  return { state: state === 'waiting' || state === 'withAgent' ? state : 'bot', at: now.toISOString() };
}

/** Whether a message in this state goes to people rather than to the dialogs. */
export function withPeople(state: HandoffState): boolean {
  return state === 'waiting' || state === 'withAgent';
}
