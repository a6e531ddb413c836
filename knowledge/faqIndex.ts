/**
 * Offline retrieval over the service manual: BM25 (MiniSearch) on Chinese tokens, a product boost,
 * and a confidence the bot can act on. A wrong confident answer is worse than none, so confidence is
 * built from how much of the question the best entry actually explains, not from the raw BM25 score
 * (which grows with query length and means nothing on its own).
 */
import MiniSearch from 'minisearch';
import type { Applicability, FaqEntry, Guide, Manual } from './manualTypes';
import type { Tokenizer } from './tokenizer';

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

export interface GuideMatch {
  guide: Guide;
  confidence: number;
}

/** Boost for entries of the customer's product; entries for every product stay neutral. */
const SAME_PRODUCT = 1.5;
/** How many BM25 leaders are reordered by coverage. */
const RERANK = 5;
/** The customer's exact model among an entry's models: a little more than the category alone. */
const SAME_MODEL = 1.2;
/** Entries only for other categories: kept (the customer may ask about another device) but demoted. */
const OTHER_PRODUCT = 0.6;

export function productBoost(applies: Applicability, category?: string | readonly string[], model?: string): number {
  const categories = typeof category === 'string' ? [category] : (category ?? []);
  if (!categories.length && !model) return 1;
  let boost = 1;
  if (categories.length && applies.categories.length) {
    boost = applies.categories.some((c) => categories.includes(c)) ? SAME_PRODUCT : OTHER_PRODUCT;
  }
  if (model && applies.models.length) {
    if (applies.models.includes(model)) boost *= applies.categories.length ? SAME_MODEL : SAME_PRODUCT;
    // Listed models that exclude the customer's: the entry is about other hardware.
    else boost = Math.min(boost, OTHER_PRODUCT);
  }
  return boost;
}

/** A word names a product when at least this share of its category's questions use it … */
const PRODUCT_WORD_MIN_SHARE = 0.25;
/** … and most questions that use it are that category's (手机 also appears in 手表怎么连手机). */
const PRODUCT_WORD_MIN_PRECISION = 0.7;
const HAN_WORD = /^\p{Script=Han}+$/u;

/**
 * The words customers use for each product category (手机, 笔记本, 路由器 …), learnt from the
 * manual's own questions rather than listed by hand (knowledge/ may not read desk's catalogue): a
 * word common in one category's questions and rare in every other's. A question that names a
 * product is then ranked as if the customer's product were known.
 */
export function productWords(entries: readonly FaqEntry[], tokenizer: Tokenizer): Map<string, string[]> {
  // term → category → how many of that category's entries ask with it
  const counts = new Map<string, Map<string, number>>();
  const sizes = new Map<string, number>();
  for (const e of entries) {
    if (e.categories.length !== 1) continue;
    const category = e.categories[0]!;
    sizes.set(category, (sizes.get(category) ?? 0) + 1);
    for (const t of new Set(tokenizer.tokens([e.question, ...e.similar].join('\n')))) {
      // Han words of two or more characters only: single characters (机, 表) and Latin fragments
      // (wi, fi) are too ambiguous to name a product on their own.
      if (t.length < 2 || !HAN_WORD.test(t)) continue;
      const perCategory = counts.get(t) ?? new Map<string, number>();
      perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
      counts.set(t, perCategory);
    }
  }
  const words = new Map<string, string[]>();
  for (const [t, perCategory] of counts) {
    let all = 0;
    for (const n of perCategory.values()) all += n;
    for (const [category, n] of perCategory) {
      if (n / sizes.get(category)! < PRODUCT_WORD_MIN_SHARE || n / all < PRODUCT_WORD_MIN_PRECISION) continue;
      words.set(t, [...(words.get(t) ?? []), category]);
    }
  }
  return words;
}

const SEPARATOR = '\u0001';

interface IndexedDoc {
  id: number;
  [field: string]: string | number;
}

interface Scored<T> {
  item: T;
  score: number;
  /** Query terms this item matched. */
  terms: string[];
}

/**
 * What FaqIndex and GuideIndex share: a MiniSearch index over some text fields of items, the
 * document frequency of every term (for idf-weighted coverage), and each item's phrasings as token
 * sets (for "how much of a known phrasing does the question contain").
 */
class WeightedIndex<T extends Applicability> {
  private readonly search: MiniSearch<IndexedDoc>;
  private readonly df = new Map<string, number>();
  private readonly phrasings: Array<Array<Set<string>>> = [];

  constructor(
    private readonly items: readonly T[],
    private readonly tokenizer: Tokenizer,
    fields: Record<string, { boost: number; text: (item: T) => string }>,
    phrasingsOf: (item: T) => string[],
  ) {
    const fieldNames = Object.keys(fields);
    let docTerms = new Set<string>();
    this.search = new MiniSearch<IndexedDoc>({
      fields: fieldNames,
      idField: 'id',
      tokenize: (text) => {
        const tokens = tokenizer.tokens(text);
        for (const t of tokens) docTerms.add(t);
        return tokens;
      },
      // The tokenizer already normalised (NFKC, lower case, synonyms); MiniSearch's default would
      // lower-case again and drop nothing useful, so it is skipped.
      processTerm: (term) => term,
      searchOptions: {
        boost: Object.fromEntries(fieldNames.map((f) => [f, fields[f]!.boost])),
        // Prefix and fuzzy matching make no sense on one- and two-character Chinese words.
        prefix: false,
        fuzzy: false,
        combineWith: 'OR',
        // Queries arrive already tokenized (see query()), joined by a separator that never occurs in
        // a token, so the tokenizer runs once per question.
        tokenize: (joined) => joined.split(SEPARATOR),
      },
    });
    items.forEach((item, id) => {
      docTerms = new Set<string>();
      const doc: IndexedDoc = { id };
      for (const f of fieldNames) doc[f] = fields[f]!.text(item);
      this.search.add(doc);
      for (const t of docTerms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      this.phrasings.push(phrasingsOf(item).map((p) => new Set(tokenizer.tokens(p))));
    });
  }

  get size(): number {
    return this.items.length;
  }

  get engine(): Tokenizer['engine'] {
    return this.tokenizer.engine;
  }

  /** BM25-style idf; a term no entry has gets the largest weight, so unknown words count against coverage. */
  idf(df: number): number {
    const n = this.items.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  termWeight(term: string): number {
    return this.idf(this.df.get(term) ?? 0);
  }

  query(
    text: string,
    category?: (terms: string[]) => string | readonly string[] | undefined,
    model?: string,
  ): { terms: string[]; ranked: Array<Scored<T>> } {
    const terms = [...new Set(this.tokenizer.tokens(text))];
    if (!terms.length) return { terms, ranked: [] };
    const categories = category?.(terms);
    // Each query term counts once however often the customer repeats it.
    const ranked = this.search.search(terms.join(SEPARATOR)).map((r) => {
      const item = this.items[r.id as number]!;
      // The product boost is one factor per document, so applying it after BM25 gives the same
      // order as MiniSearch's boostDocument without a callback per posting.
      return { item, score: r.score * productBoost(item, categories, model), terms: r.queryTerms };
    });
    ranked.sort((a, b) => b.score - a.score);
    return { terms, ranked };
  }

  /**
   * 0..1, how well item explains the question, combining:
   * - query coverage: the idf-weighted share of the question's terms the item contains (words the
   *   manual has never seen weigh most, which is what pushes off-manual questions down);
   * - phrasing coverage: the best share of one of the item's own phrasings found in the question
   *   (a short question that is a known phrasing plus chatter still scores high);
   * - margin: how far the item is ahead of the next one.
   */
  confidence(queryTerms: string[], hit: Scored<T>, next: Scored<T> | undefined, itemIndex: number): number {
    let total = 0;
    let matched = 0;
    const matchedSet = new Set(hit.terms);
    for (const t of queryTerms) {
      const w = this.termWeight(t);
      total += w;
      if (matchedSet.has(t)) matched += w;
    }
    const queryCoverage = total > 0 ? matched / total : 0;
    const querySet = new Set(queryTerms);
    let phrasingCoverage = 0;
    for (const phrasing of this.phrasings[itemIndex] ?? []) {
      let pTotal = 0;
      let pMatched = 0;
      for (const t of phrasing) {
        const w = this.termWeight(t);
        pTotal += w;
        if (querySet.has(t)) pMatched += w;
      }
      if (pTotal > 0) phrasingCoverage = Math.max(phrasingCoverage, pMatched / pTotal);
    }
    const margin = next ? Math.max(0, (hit.score - next.score) / hit.score) : 1;
    const c = 0.45 * queryCoverage + 0.4 * phrasingCoverage + 0.15 * Math.min(1, margin * 2);
    return Math.max(0, Math.min(1, c));
  }

  indexOf(item: T): number {
    return this.items.indexOf(item);
  }
}

export class FaqIndex {
  /**
   * At or above: answer outright. Below: say we are not sure and offer troubleshooting, a person or
   * a ticket. Calibrated on knowledge/eval (faq.dev.jsonl vs faq.unknown.jsonl): most off-manual
   * questions fall below while true hits stay above.
   */
  static CONFIDENT = 0.6;

  private readonly positions = new Map<FaqEntry, number>();

  private constructor(
    private readonly index: WeightedIndex<FaqEntry>,
    private readonly products: Map<string, string[]>,
  ) {}

  static build(manual: Manual, tokenizer: Tokenizer): FaqIndex {
    const index = new WeightedIndex<FaqEntry>(
      manual.faqs,
      tokenizer,
      {
        // Questions are what customers' messages look like; steps are answers and share many
        // generic words (设置, 点击), so they count least.
        question: { boost: 3, text: (e) => e.question },
        similar: { boost: 3, text: (e) => e.similar.join('\n') },
        tags: { boost: 1.5, text: (e) => e.tags.join(' ') },
        steps: { boost: 0.5, text: (e) => e.steps.join('\n') },
      },
      (e) => [e.question, ...e.similar],
    );
    const faq = new FaqIndex(index, productWords(manual.faqs, tokenizer));
    manual.faqs.forEach((e, i) => faq.positions.set(e, i));
    return faq;
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
    const { terms, ranked } = this.index.query(query, (t) => this.categoriesOf(t) ?? options.category, options.model);
    // BM25 favours entries with many matching characters; among the leaders, the one that explains
    // more of the question (coverage, see confidence) is moved up. Only the first few are reordered.
    const head = ranked.slice(0, Math.max(limit, RERANK));
    const best = head[0]?.score ?? 1;
    const blended = head
      .map((hit, i) => {
        const own = this.index.confidence(terms, hit, head[i + 1], this.positions.get(hit.item) ?? -1);
        return { hit, own, order: hit.score / best + own };
      })
      .sort((a, b) => b.order - a.order)
      .slice(0, limit);
    const first = blended[0];
    return blended.map(({ hit, own }, i) => {
      // Below the first, an entry's confidence is also scaled by how far it trails the first.
      const relative = i === 0 || !first ? 1 : Math.min(1, hit.score / first.hit.score);
      return { entry: hit.item, score: hit.score, confidence: i === 0 ? own : Math.min(own * relative, first!.own) };
    });
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

  /** The best entry and whether it is good enough to answer without hedging; undefined: nothing matched. */
  answerOf(query: string, options: FaqSearchOptions = {}): { hit: FaqHit; confident: boolean } | undefined {
    const [hit] = this.search(query, { ...options, limit: 1 });
    if (!hit) return undefined;
    return { hit, confident: hit.confidence >= FaqIndex.CONFIDENT };
  }
}

export class GuideIndex {
  /** Below this a message is not taken as this guide's symptom (the dialog asks instead). */
  static CONFIDENT = 0.55;

  private constructor(private readonly index: WeightedIndex<Guide>) {}

  static build(manual: Manual, tokenizer: Tokenizer): GuideIndex {
    return new GuideIndex(
      new WeightedIndex<Guide>(
        manual.guides,
        tokenizer,
        {
          symptom: { boost: 3, text: (g) => g.symptom },
          phrases: { boost: 3, text: (g) => g.phrases.join('\n') },
        },
        (g) => [g.symptom, ...g.phrases],
      ),
    );
  }

  find(text: string, options: { category?: string } = {}): GuideMatch | undefined {
    const { terms, ranked } = this.index.query(text, () => options.category);
    const top = ranked[0];
    if (!top) return undefined;
    const confidence = this.index.confidence(terms, top, ranked[1], this.index.indexOf(top.item));
    return confidence >= GuideIndex.CONFIDENT ? { guide: top.item, confidence } : undefined;
  }
}
