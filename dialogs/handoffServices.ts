import type { ConversationFacts } from '../desk/conversationFacts';
import type { EscalationReason } from '../desk/handoff';
import type { EscalationOutcome } from '../desk/handoffDesk';
import type { WaitEstimate } from '../desk/waitEstimate';

export type { ConversationFacts, EscalationOutcome, EscalationReason, WaitEstimate };

export type RatingScore = 1 | 2 | 3 | 4 | 5;

/** What the flows need for people: the hand-off queue, the facts it shows, ratings and call-backs. */
export interface HandoffServices {
  escalate(input: { conversationId: string; channel: string; reason: EscalationReason }): Promise<EscalationOutcome>;
  /** Remembers what the bot learnt (merged into what is known). */
  noteFacts(conversationId: string, facts: ConversationFacts): Promise<void>;
  facts(conversationId: string): Promise<ConversationFacts>;
  recordRating(input: { conversationId: string; channel: string; score: RatingScore; comment?: string }): Promise<void>;
  /** A call-back request for the service desk; its id is told to the customer. */
  requestCallback(input: { conversationId: string; channel: string; phone: string; note?: string }): Promise<{ id: string }>;
}
