import { FaqIndex, type FaqHit } from './faqIndex';
import { GuideIndex } from './guideIndex';
import type { Locale } from './language';
import type { LlmAssistant } from './llm';
import { ManualRetriever, type ManualSearch } from './manualRetriever';
import type { FaqEntry, Guide, Manual } from './manualTypes';
import type { IntentRecognizer, Recognition } from './recognizer';
import type { Tokenizer } from './tokenizer';

/** Below this the offline recognizer counts as unsure, and the LLM (when there is one) is asked. */
const UNSURE_INTENT = 0.5;
/** The LLM's pick among the offline candidates is taken only with at least this confidence. */
const LLM_PICK = 0.7;
/** How many manual entries a grounded answer is written from: enough for a neighbour's, few enough to read. */
const GROUNDING_ENTRIES = 3;

export interface ProductContext {
  category?: string;
  model?: string;
}

/** An answer the LLM wrote from manual entries, with the entries it cites (as the manual has them). */
export interface ManualAnswer {
  answer: string;
  cited: FaqEntry[];
}

/**
 * What the conversation asks of the service manual: what a message means, which FAQ entry answers
 * it, which guide fits a symptom. Offline first; the optional LLM is asked only where the offline
 * path is unsure, and only to choose among what the offline path found.
 */
export class ServiceKnowledge {
  private readonly faqs: FaqIndex;
  private readonly guides: GuideIndex;
  private readonly guideById: Map<string, Guide>;
  /** A runner-up is offered after "没帮助" only when it is nearly as good as a confident answer. */
  readonly runnerUpThreshold = FaqIndex.CONFIDENT * 0.75;

  constructor(
    readonly manual: Manual,
    tokenizer: Tokenizer,
    private readonly recognizer: IntentRecognizer,
    private readonly today: () => string,
    private readonly llm?: LlmAssistant,
  ) {
    this.faqs = FaqIndex.build(manual, tokenizer);
    this.guides = GuideIndex.build(manual, tokenizer);
    this.guideById = new Map(manual.guides.map((guide) => [guide.id, guide]));
  }

  async understand(text: string): Promise<Recognition> {
    const offline = this.recognizer.recognize(text, { today: this.today() });
    if (!this.llm || offline.confidence >= UNSURE_INTENT) return offline;
    const suggestion = await this.llm.classify(text);
    if (!suggestion) return offline;
    return {
      ...offline,
      intent: suggestion.intent,
      confidence: suggestion.confidence,
      reason: `LLM, as the offline recognizer was unsure (${offline.reason})`,
    };
  }

  async searchFaq(text: string, product: ProductContext): Promise<{ candidates: FaqHit[]; confident: boolean }> {
    const candidates = this.faqs.search(text, { ...product, limit: 5 });
    const confident = (candidates[0]?.confidence ?? 0) >= FaqIndex.CONFIDENT;
    if (confident || !this.llm || !candidates.length) return { candidates, confident };
    const pick = await this.llm.rerank(
      text,
      candidates.map((hit) => hit.entry),
    );
    if (!pick || pick.faqId === null || pick.needHuman || pick.confidence < LLM_PICK) return { candidates, confident: false };
    const chosen = candidates.find((hit) => hit.entry.id === pick.faqId);
    const rest = candidates.filter((hit) => hit !== chosen);
    return { candidates: chosen ? [chosen, ...rest] : candidates, confident: Boolean(chosen) };
  }

  /**
   * Where the offline search is unsure: an answer the LLM writes from the entries the retriever
   * finds for the question (Chinese index, or `search` for another language), citing them, checked
   * by LlmAssistant.groundedAnswer. Undefined without an LLM or when it gives no acceptable answer.
   */
  async answerFromManual(
    question: string,
    product: ProductContext,
    locale: Locale,
    search?: ManualSearch,
  ): Promise<ManualAnswer | undefined> {
    if (!this.llm || !question.trim()) return undefined;
    const retriever = new ManualRetriever({ index: search ?? this.faqs, ...product, limit: GROUNDING_ENTRIES, locale });
    const documents = await retriever.invoke(question);
    const grounded = await this.llm.groundedAnswer(question, documents);
    if (!grounded) return undefined;
    const byId = new Map(this.manual.faqs.map((entry) => [entry.id, entry]));
    const cited = grounded.citedEntryIds.flatMap((id) => byId.get(id) ?? []);
    return cited.length ? { answer: grounded.answer, cited } : undefined;
  }

  async phrase(entry: FaqEntry, question: string): Promise<string[]> {
    return (this.llm && (await this.llm.phrase(entry, question))) || entry.steps;
  }

  /** The guide for a symptom; with a category, only that product's guides. */
  findGuide(text: string, product: { category?: string }): Guide | undefined {
    // 空调不制冷 is no guide's symptom, however alike the words: the manual is about our products.
    if (this.faqs.namesForeignProduct(text)) return undefined;
    return this.guides.find(text, product)?.guide;
  }

  /** The products whose guides fit a symptom that names none, best first (see GuideIndex.productsFor). */
  guideProducts(text: string): string[] {
    if (this.faqs.namesForeignProduct(text)) return [];
    return this.guides.productsFor(text);
  }

  guide(id: string): Guide | undefined {
    return this.guideById.get(id);
  }
}
