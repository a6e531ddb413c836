import type { IntentGuess } from './intents';
import { IntentRecognizer } from './recognizer';

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
