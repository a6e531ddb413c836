/**
 * The FAQ index as a LangChain retriever: the grounded LLM answer (LlmAssistant.groundedAnswer,
 * through ServiceKnowledge.answerFromManual) reads the manual through it, while the offline path
 * keeps using FaqIndex directly.
 */
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { FaqSearchOptions } from './faqIndex';
import type { Locale } from './language';
import type { FaqEntry } from './manualTypes';

export interface ManualDocumentMetadata {
  faqId: string;
  /** The entry's question, as the customer reads it: what an answer citing it names. */
  title: string;
  confidence: number;
  [key: string]: unknown;
}

/**
 * What the retriever searches: FaqIndex for Chinese, or the English index over the translations
 * (dialogs/ has it), each returning entries best first with a 0..1 confidence.
 */
export interface ManualSearch {
  search(query: string, options: FaqSearchOptions): Array<{ entry: FaqEntry; confidence: number }>;
}

export interface ManualRetrieverInput extends BaseRetrieverInput, FaqSearchOptions {
  index: ManualSearch;
  /**
   * Drop hits below this confidence (default 0: return what ranked, let the caller judge). A chain
   * that answers from whatever it is given should pass FaqIndex.CONFIDENT instead.
   */
  minConfidence?: number;
  /** The documents' language: English entries' translations where they have one. */
  locale?: Locale;
}

export class ManualRetriever extends BaseRetriever<ManualDocumentMetadata> {
  static override lc_name(): string {
    return 'ManualRetriever';
  }

  lc_namespace = ['aftersales', 'knowledge', 'retrievers'];

  private readonly index: ManualSearch;
  private readonly search: FaqSearchOptions;
  private readonly minConfidence: number;
  private readonly locale: Locale;

  constructor(fields: ManualRetrieverInput) {
    super(fields);
    this.index = fields.index;
    this.search = { category: fields.category, model: fields.model, limit: fields.limit ?? 3 };
    this.minConfidence = fields.minConfidence ?? 0;
    this.locale = fields.locale ?? 'zh-CN';
  }

  override async _getRelevantDocuments(query: string): Promise<Document<ManualDocumentMetadata>[]> {
    return this.index
      .search(query, this.search)
      .slice(0, this.search.limit)
      .filter((hit) => hit.confidence >= this.minConfidence)
      .map((hit) => {
        const words = this.locale === 'en' && hit.entry.en ? hit.entry.en : hit.entry;
        return new Document<ManualDocumentMetadata>({
          pageContent: [words.question, ...words.steps].join('\n'),
          metadata: { faqId: hit.entry.id, title: words.question, confidence: hit.confidence },
        });
      });
  }
}
