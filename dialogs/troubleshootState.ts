/**
 * What a troubleshooting run keeps between turns and what it hands back to the main dialog: its
 * state, its result, and the services it reads (the catalogue, the conversation's facts).
 */
import type { Catalogue } from '../desk/catalogue';
import type { ConversationFacts } from '../desk/conversationFacts';
import type { FaultReportOptions } from './faultReportDialog';

/**
 * One step the customer went through, and what they answered: kept for the ticket and for agents,
 * in the manual's Chinese whatever language the customer used, since engineers and agents read Chinese.
 */
export interface TriedStep {
  stepId: string;
  instruction: string;
  answer: string;
}

/**
 * Where the conversation is: `choose` picks the guide for `pending` (the customer's words), then
 * the guide's steps one by one (`step`), ending in solved or the 报修 offer (`offer`); `symptom` and
 * `product` ask for what is missing to pick a guide; `faq` is the manual's answer when no guide fits;
 * `aside` the manual's answer to a question asked during a step, after which the step goes on.
 */
export type Stage = 'choose' | 'symptom' | 'product' | 'step' | 'offer' | 'faq' | 'aside';

export interface TroubleshootState {
  stage: Stage;
  /** Words to choose a guide from, at the next `choose`. */
  pending?: string;
  guideId?: string;
  stepId?: string;
  category?: string;
  modelId?: string;
  /** Where the category came from: the customer's words, the conversation's facts, or the only guide that fits. */
  productFrom?: 'words' | 'facts' | 'guide';
  /** The customer's own description of the fault, for the 报修. */
  symptom?: string;
  tried: TriedStep[];
  /** Per step id, how often it was shown in this guide run. */
  shown: Record<string, number>;
  /** On the current step: 好的 / 稍等 so far. */
  waits: number;
  /** When the next showing is a reminder (the question and its buttons), not the step. */
  remind?: 'wait' | 'again';
  /** A question asked during a step that the manual answers (stage `aside`). */
  aside?: string;
  /** The products offered with 是哪个产品呢？, and how often it was asked. */
  offered?: string[];
  productAsks: number;
  note?: string;
}

export interface TroubleshootResult {
  solved: boolean;
  tried?: TriedStep[];
  /** Set when the customer wants a repair: the 报修 to start, already filled in. */
  report?: FaultReportOptions;
  /** The customer asked for something else mid-guide (投诉, 工单进度, another question): the main dialog routes `utterance`. */
  unanswered?: boolean;
  utterance?: string;
}

export interface TroubleshootOptions {
  utterance?: string;
  category?: string;
  modelId?: string;
}

/** The product catalogue as troubleshooting uses it: which product words name, and their names for buttons. */
export type ProductCatalogue = Pick<Catalogue, 'findCategory' | 'findModel' | 'model' | 'category' | 'categories'>;

export interface TroubleshootDeps {
  /** Where the steps tried are kept for agents, and what the conversation already knows (the product). */
  facts?: {
    note(conversationId: string, facts: ConversationFacts): Promise<void>;
    get(conversationId: string): Promise<ConversationFacts>;
  };
  catalogue?: ProductCatalogue;
}

/** The product a conversation's facts name (a model name or id, or a category id), as category and model. */
export function productOfFacts(facts: ConversationFacts, catalogue: ProductCatalogue): { category?: string; modelId?: string } {
  const named = facts.product?.trim();
  if (!named) return {};
  const model = catalogue.model(named) ?? catalogue.findModel(named);
  if (model) return { category: model.category, modelId: model.id };
  const category = catalogue.category(named) ?? catalogue.findCategory(named);
  return category ? { category: category.id } : {};
}
