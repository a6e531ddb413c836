/** The intent labels fixed by docs/contracts.md §3. */
export const INTENTS = [
  'greeting',
  'faq',
  'troubleshoot',
  'fault_report',
  'warranty',
  'appointment',
  'ticket_status',
  'complaint',
  'rating',
  'human',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface IntentGuess {
  intent: Intent;
  /** 0..1; how much of the message the matched cue explains. */
  confidence: number;
  /** Why this intent: the cue that matched, for logs and for agents reading the summary. */
  reason: string;
}
