// recognizer.ts imports INTENTS from here; it only reads it when a recognizer is built, after both
// modules have loaded, so the import cycle is harmless.
import { IntentRecognizer } from './recognizer';

/** The intent labels fixed by DESIGN.md §4. */
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

let shared: IntentRecognizer | undefined;

/**
 * The intent of a message by the shared recognizer (knowledge/recognizer.ts, data in
 * knowledge/data/intents.yaml). Kept for the callers that need only the intent; the app builds its own
 * IntentRecognizer with the catalogue's product vocabulary when it wants entities too.
 */
export function recognizeIntent(text: string): IntentGuess {
  // Loaded on first use: the data file is read once, and not at all by code that never asks.
  shared ??= IntentRecognizer.fromFile();
  const { intent, confidence, reason } = shared.recognize(text);
  return { intent, confidence, reason };
}
