import type { Intent } from '../knowledge';
import type { FaqEntry, Guide } from '../knowledge/manualTypes';

export interface UnderstoodMessage {
  intent: Intent;
  confidence: number;
  reason: string;
  entities: { category?: string; modelId?: string; serial?: string; phone?: string; ticketId?: string; taobaoOrderId?: string };
}

export interface FaqCandidate {
  entry: FaqEntry;
  confidence: number;
}

/** What the conversation needs from knowledge/: a narrow port, composed in bot/app.ts. */
export interface KnowledgeServices {
  understand(text: string): Promise<UnderstoodMessage>;
  /** FAQ entries for a question, best first; `confident` says whether the best may be given as the answer. */
  searchFaq(text: string, product: { category?: string; model?: string }): Promise<{ candidates: FaqCandidate[]; confident: boolean }>;
  /** The answer to show for an entry: its steps, or (with an LLM) the same facts phrased for the question. */
  phrase(entry: FaqEntry, question: string): Promise<string[]>;
  /** The confidence above which a runner-up is still worth offering after "没帮助". */
  runnerUpThreshold: number;
  findGuide(text: string, product: { category?: string }): Guide | undefined;
  guide(id: string): Guide | undefined;
}
