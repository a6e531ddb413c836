/**
 * The FAQ index as a LangChain retriever, so an optional LLM chain can ground its answers in the
 * manual through the standard interface while the offline path keeps using FaqIndex directly.
 */
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { FaqIndex, FaqSearchOptions } from './faqIndex';

export interface ManualDocumentMetadata {
  faqId: string;
  score: number;
  confidence: number;
  [key: string]: unknown;
}

export interface ManualRetrieverInput extends BaseRetrieverInput, FaqSearchOptions {
  index: FaqIndex;
  /**
   * Drop hits below this confidence (default 0: return what ranked, let the caller judge). A chain
   * that answers from whatever it is given should pass FaqIndex.CONFIDENT instead.
   */
  minConfidence?: number;
}

export class ManualRetriever extends BaseRetriever<ManualDocumentMetadata> {
  static override lc_name(): string {
    return 'ManualRetriever';
  }

  lc_namespace = ['aftersales', 'knowledge', 'retrievers'];

  private readonly index: FaqIndex;
  private readonly search: FaqSearchOptions;
  private readonly minConfidence: number;

  constructor(fields: ManualRetrieverInput) {
    super(fields);
    this.index = fields.index;
    this.search = { category: fields.category, model: fields.model, limit: fields.limit ?? 3 };
    this.minConfidence = fields.minConfidence ?? 0;
  }

  override async _getRelevantDocuments(query: string): Promise<Document<ManualDocumentMetadata>[]> {
    return this.index
      .search(query, this.search)
      .filter((hit) => hit.confidence >= this.minConfidence)
      .map(
        (hit) =>
          new Document<ManualDocumentMetadata>({
            pageContent: [hit.entry.question, ...hit.entry.steps].join('\n'),
            metadata: { faqId: hit.entry.id, score: hit.score, confidence: hit.confidence },
          }),
      );
  }
}
