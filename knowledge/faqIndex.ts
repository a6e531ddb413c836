/**
 * Offline retrieval over the service manual: BM25 (scored as MiniSearch 7 does) on Chinese tokens, a product boost,
 * and a confidence the bot can act on. A wrong confident answer is worse than none, so confidence is
 * built from how much of the question the best entry actually explains, not from the raw BM25 score
 * (which grows with query length and means nothing on its own).
 */
import type { FaqEntry, Manual } from './manualTypes';
import { scopeOfNotOurs, type ProductScope } from './productScope';
import { productWords } from './productWords';
import type { Tokenizer } from './tokenizer';
import { impliedBy, marginCredit, WeightedIndex, type IndexScoring } from './weightedIndex';

// The guide index was split out of this file; its importers elsewhere keep this path.
export { GuideIndex, type GuideMatch } from './guideIndex';

export interface FaqHit {
  entry: FaqEntry;
  score: number;
  /** 0..1: compare with FaqIndex.CONFIDENT. */
  confidence: number;
}

export interface FaqSearchOptions {
  /** The customer's product category (phone, laptop …), when known. */
  category?: string;
  /** The customer's model id, when known. */
  model?: string;
  limit?: number;
}

/** How many BM25 leaders are reordered by coverage. */
const RERANK = 5;
/**
 * The confidence of an entry only for other products than the question names. Calibrated on
 * knowledge/eval (faq.dev, faq.fresh, faq.fresh2 and both unknown sets): 0.8 took the two off-manual
 * questions that reached CONFIDENT (耳机可以戴着游泳吗, 电视支持多少hz刷新率) below it without losing a
 * right confident answer; 0.6 lost two.
 */
const OTHER_PRODUCT_CONFIDENCE = 0.8;
/**
 * The confidence factor of an entry only for other products whose own phrasings never name the
 * product the question names (平板支持人脸解锁吗 → 手机怎么录入指纹和人脸, 耳机支持无线充电吗 →
 * 手机怎么使用无线充电): it answers how the other product does it, and nothing in it says the named
 * product can at all. Below CONFIDENT even at full coverage, so such an answer is always hedged. An
 * entry that names the product in its phrasings (手机插有线耳机没有声音 for 耳机) keeps
 * OTHER_PRODUCT_CONFIDENCE: it is about that product, seen from another. Measured on knowledge/eval:
 * no right answer in faq.dev, faq.fresh, faq.fresh2 or faq.fresh3 is of this kind; two confident
 * off-manual answers in faq.fresh3-unknown were.
 */
const OTHER_PRODUCT_UNNAMED_CONFIDENCE = 0.55;

export class FaqIndex {
  /**
   * At or above: answer outright. Below: say we are not sure and offer troubleshooting, a person or
   * a ticket. Calibrated on knowledge/eval (faq.dev, faq.fresh and faq.fresh2 against faq.unknown
   * and faq.fresh-unknown): none of the 76 off-manual questions reaches it, 772 of the 963 manual
   * questions reach it with the right entry.
   */
  static CONFIDENT = 0.6;

  private constructor(
    private readonly index: WeightedIndex<FaqEntry>,
    private readonly products: Map<string, string[]>,
    /** Each product word's own tokens (笔记本电脑 → 笔记本, 电脑, 笔, 记 …), left out of confidence when the question names it. */
    private readonly productTokens: Map<string, readonly string[]>,
    /** Products the company neither makes nor services (synonyms.yaml `notOurs`). */
    private readonly notOurs: ProductScope = scopeOfNotOurs([]),
  ) {}

  static build(manual: Manual, tokenizer: Tokenizer): FaqIndex {
    const index = new WeightedIndex<FaqEntry>(
      manual.faqs,
      tokenizer,
      {
        // Questions are what customers' messages look like; steps are answers and share many
        // generic words (设置, 点击), so they count least.
        // Each field is tokenized part by part (a phrasing, a step, a tag): with jieba that gives
        // exactly the tokens of the joined text (segments never cross a line break or space), and
        // each distinct part is tokenized once, shared with the phrasings and productWords.
        question: { boost: 3, parts: (e) => [e.question] },
        similar: { boost: 3, parts: (e) => e.similar },
        tags: { boost: 1.5, parts: (e) => e.tags },
        steps: { boost: 0.5, parts: (e) => e.steps },
      },
      (e) => [e.question, ...e.similar],
    );
    const asked = (i: number): string[] => {
      const e = manual.faqs[i]!;
      return [e.question, ...e.similar].flatMap((p) => index.tokensOf(p));
    };
    const products = productWords(manual.faqs, tokenizer, asked);
    const productTokens = new Map([...products.keys()].map((w) => [w, index.tokensOf(w)] as const));
    return new FaqIndex(index, products, productTokens, scopeOfNotOurs(manual.notOurs ?? []));
  }

  get size(): number {
    return this.index.size;
  }

  /** Which segmenter built the index (jieba, or the Intl.Segmenter fallback). */
  get engine(): Tokenizer['engine'] {
    return this.index.engine;
  }

  search(query: string, options: FaqSearchOptions = {}): FaqHit[] {
    const limit = options.limit ?? 5;
    const terms = this.index.terms(query);
    // BM25 favours entries with many matching characters; among the leaders, the one that explains
    // more of the question (coverage, see confidence) is moved up. Only the first few are reordered.
    // The product the question names has done its work in the ranking (the product boost, and the
    // implied terms of entries for every product). Left in coverage it would make any two questions
    // about one product look alike (手表表盘怎么换 "covers" most of 手表怎么连手机), so coverage is
    // measured on the rest of the question.
    const named = this.namedProductTokens(terms);
    const categories = this.categoriesOf(terms);
    /** The product words the question uses (耳机, 平板 …). */
    const productTerms = categories ? terms.filter((t) => this.products.has(t)) : [];
    const head = this.index.query(
      terms,
      Math.max(limit, RERANK),
      categories ?? options.category,
      options.model,
      impliedBy(categories, named),
    );
    const best = head[0]?.score ?? 1;
    const blended = head
      .map((hit) => {
        // The margin is the lead over the strongest other candidate: the BM25 leader's over the
        // second, nothing for the rest. (Measured against the next in the list, the last leader
        // had no next and took the whole margin, which could carry the fifth entry to the top.)
        let rival: number | undefined;
        for (const other of head) if (other !== hit && (rival === undefined || other.score > rival)) rival = other.score;
        // Only the phrasings count here. Words an entry has only in its answer steps (long, generic:
        // 设置, 打开, 重启) said "explained" for questions the entry does not answer. Measured on
        // knowledge/eval (963 questions in the manual, 76 outside it), leaving query coverage out
        // ranked as well and separated better: with one off-manual question answered confidently,
        // 727 right confident answers against 573.
        const coverage = 0.85 * this.index.coverage(terms, hit, named).phrasing;
        // An entry only for other products than the one the question names answers a neighbour's
        // question at best (耳机可以戴着游泳吗 → 手表能游泳吗): the ranking demotes it, and so does this.
        // Weaker still when none of its phrasings names the product asked about (see OTHER_PRODUCT_UNNAMED_CONFIDENCE).
        const elsewhere = categories && hit.item.categories.length && !hit.item.categories.some((c) => categories.includes(c));
        const factor = !elsewhere
          ? 1
          : productTerms.some((t) => this.index.phrasingsHold(hit.index, t))
            ? OTHER_PRODUCT_CONFIDENCE
            : OTHER_PRODUCT_UNNAMED_CONFIDENCE;
        const own = Math.max(0, Math.min(1, (coverage + marginCredit(hit.score, rival)) * factor));
        return { hit, own, order: hit.score / best + coverage };
      })
      .sort((a, b) => b.order - a.order)
      .slice(0, limit);
    const first = blended[0];
    // The manual is about our products: 冰箱保修几年 is not answered by the phone's warranty entry,
    // however alike the words. The ranking stays (for a person to look at); no answer is confident.
    const foreign = this.namesForeignProduct(query);
    return blended.map(({ hit, own: rawOwn }, i) => {
      const own = foreign ? Math.min(rawOwn, FaqIndex.CONFIDENT * 0.5) : rawOwn;
      // Below the first, an entry's confidence is also scaled by how far it trails the first.
      const relative = i === 0 || !first ? 1 : Math.min(1, hit.score / first.hit.score);
      return {
        entry: hit.item,
        score: hit.score,
        confidence: i === 0 ? own : Math.min(own * relative, first!.own),
      };
    });
  }

  /** Whether the question is about a product we neither make nor service (decided by ProductScope, as everywhere). */
  namesForeignProduct(query: string): boolean {
    return this.notOurs.foreignIn(query) !== undefined;
  }

  /**
   * Test hook: the BM25 × product-boost leaders (implied terms counted, before the coverage
   * re-rank) as entry ids and scores.
   */
  ranking(query: string, options: FaqSearchOptions = {}): Array<{ id: string; score: number }> {
    const { terms, k, categories, model, implied } = this.rankingQuery(query, options);
    return this.index.query(terms, k, categories, model, implied).map((r) => ({ id: r.item.id, score: r.score }));
  }

  /** Test hook: what ranking asks of the scorer, so a reference implementation can be asked the same. */
  rankingQuery(
    query: string,
    options: FaqSearchOptions = {},
  ): {
    terms: string[];
    k: number;
    categories?: string | readonly string[];
    model?: string;
    implied?: ReadonlySet<string>;
  } {
    const terms = this.index.terms(query);
    const named = this.categoriesOf(terms);
    return {
      terms,
      k: options.limit ?? RERANK,
      categories: named ?? options.category,
      model: options.model,
      implied: impliedBy(named, this.namedProductTokens(terms)),
    };
  }

  /** Test hook: see WeightedIndex.scoring. */
  get scoring(): IndexScoring<FaqEntry> {
    return this.index.scoring;
  }

  /**
   * The categories the question itself names (手机 → phone), or undefined when it names none. Named
   * in the question beats the customer's profile: someone with a phone may ask about their TV.
   */
  categoriesOf(terms: string[]): string[] | undefined {
    const named = new Set<string>();
    for (const t of terms) for (const c of this.products.get(t) ?? []) named.add(c);
    return named.size ? [...named] : undefined;
  }

  private namedProductTokens(terms: readonly string[]): Set<string> | undefined {
    let named: Set<string> | undefined;
    for (const t of terms) {
      const own = this.productTokens.get(t);
      if (!own) continue;
      named ??= new Set<string>();
      for (const p of own) named.add(p);
    }
    return named;
  }

  /** The best entry and whether it is good enough to answer without hedging; undefined: nothing matched. */
  answerOf(query: string, options: FaqSearchOptions = {}): { hit: FaqHit; confident: boolean } | undefined {
    const [hit] = this.search(query, { ...options, limit: 1 });
    if (!hit) return undefined;
    return { hit, confident: hit.confidence >= FaqIndex.CONFIDENT };
  }
}
