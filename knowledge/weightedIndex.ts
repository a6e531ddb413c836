/**
 * BM25 over some text fields of items, scored as MiniSearch 7 does, with the coverage measures the
 * FAQ and guide indexes build their confidence on.
 */
import { productBoost } from './productWords';
import type { Applicability } from './manualTypes';
import type { Tokenizer } from './tokenizer';

/** MiniSearch's BM25 parameters (its defaults, which the index has always used). */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

/** See WeightedIndex.scoring. */
export interface IndexScoring<T> {
  items: readonly T[];
  fields: Array<{ name: string; boost: number; parts: (item: T) => string[] }>;
  tokensOf: (text: string) => string[];
  knows: (term: string) => boolean;
  forEveryProduct: (index: number) => boolean;
}

export interface Scored<T> {
  item: T;
  /** Position of item in the index's items. */
  index: number;
  score: number;
  /** Query terms this item matched. */
  terms: string[];
}

export interface FieldSpec<T> {
  boost: number;
  /** The field's text as parts (one per phrasing, step or tag); its tokens are the parts' tokens. */
  parts: (item: T) => string[];
}

/** One term's postings: entries in ascending order, each with its field-boosted BM25 contribution. */
interface Postings {
  docs: Int32Array;
  weights: Float64Array;
  /**
   * The first field (in field order) holding the term in that entry: MiniSearch lists an entry under
   * a term in that order, which decides ties exactly as the MiniSearch ranking did.
   */
  firstField: Uint8Array;
}

/** A phrasing's distinct term ids (in first-occurrence order) with their idf weights and the weights' sum. */
interface Phrasing {
  ids: Int32Array;
  weights: Float64Array;
  total: number;
}

/** Larger than any field count, for the tie-break key term × FIELD_SLOTS + field. */
const FIELD_SLOTS = 64;

/**
 * What FaqIndex and GuideIndex share: BM25 over some text fields of items (MiniSearch 7's scoring,
 * precomputed), the document frequency of every term (for idf-weighted coverage), and each item's
 * phrasings as term sets (for "how much of a known phrasing does the question contain").
 *
 * Scoring is exactly MiniSearch 7's OR search with field boosts (the unit tests run MiniSearch itself
 * on the same tokens and compare, see test/helpers/miniSearchReference.ts): per field, idf over the entries holding
 * the term in that field, the field length counted in distinct terms, the running average length;
 * an entry's score is the sum over matched terms times the number of matched terms, times the product
 * boost. Because a term's contribution to an entry does not depend on the query, it is computed once
 * at build from the same tokens MiniSearch would index (not read out of MiniSearch's private state,
 * and without building MiniSearch: its radix-tree inserts alone took ~9 s for 10,000 entries), and
 * added up in the same order as MiniSearch adds it, so scores are bit-for-bit the same. No posting
 * is skipped: even the commonest character changes the matched-term count, which multiplies the
 * score; safe MaxScore-style pruning was tried and measured slower, because that multiplier keeps
 * thousands of entries within reach of the leaders until most postings are read.
 */
export class WeightedIndex<T extends Applicability> {
  private readonly termIds = new Map<string, number>();
  private readonly postings: Postings[] = [];
  /** idf of each term id over all fields (the df of confidence). */
  private readonly termWeights: Float64Array;
  private readonly phrasings: Phrasing[][] = [];
  /** Items with the same categories and models share a group, so the product boost is computed once per group and query. */
  private readonly groupOf: Int32Array;
  /** 1 for items with no categories and no models: they apply to every product (see query's implied). */
  private readonly everyProduct: Uint8Array;
  private readonly groupItems: T[] = [];
  private readonly fieldNames: string[];
  private readonly fieldTokens: Array<(item: T) => string[]>;

  // Per-query scratch, reused: accumulated BM25, matched-term count and tie-break key per item.
  private readonly acc: Float64Array;
  private readonly matched: Uint16Array;
  private readonly firstKey: Int32Array;
  private readonly touched: Int32Array;
  /** Per item, how many of the query's implied terms it really holds. */
  private readonly impliedHeld: Uint16Array;
  private readonly groupBoost: Float64Array;
  private readonly queryStamp: Uint32Array;
  /** Per-query marks of the terms confidence leaves out (see confidence's ignore). */
  private readonly ignoreStamp: Uint32Array;
  private stamp = 0;
  /**
   * Items with the same categories (and, among items with none, the same having models or not) share
   * a category set: without a model, the boost depends on that alone.
   */
  private readonly categorySetOf: Int32Array;
  private readonly categorySets: T[] = [];

  constructor(
    private readonly items: readonly T[],
    private readonly tokenizer: Tokenizer,
    private readonly fields: Record<string, FieldSpec<T>>,
    phrasingsOf: (item: T) => string[],
    /** Tokens shared with the caller (FaqIndex reuses them for productWords). */
    readonly tokensOf: (text: string) => string[] = memoTokens(tokenizer),
  ) {
    const fieldNames = Object.keys(fields);
    this.fieldNames = fieldNames;
    this.fieldTokens = fieldNames.map((f) => (item: T) => fields[f]!.parts(item).flatMap((p) => tokensOf(p)));
    const n = items.length;
    const nFields = fieldNames.length;
    if (nFields >= FIELD_SLOTS) throw new Error(`at most ${FIELD_SLOTS - 1} fields`);
    // Per field and term: entries (ascending) and term frequencies, grown as entries are added.
    const fieldDocs: number[][][] = fieldNames.map(() => []);
    const fieldTfs: number[][][] = fieldNames.map(() => []);
    const fieldLengths: Float64Array[] = fieldNames.map(() => new Float64Array(n));
    const avgLength: number[] = fieldNames.map(() => 0);
    const df: number[] = [];
    const idOf = (t: string): number => {
      let id = this.termIds.get(t);
      if (id === undefined) {
        id = this.termIds.size;
        this.termIds.set(t, id);
        df.push(0);
        for (let f = 0; f < nFields; f += 1) {
          fieldDocs[f]!.push([]);
          fieldTfs[f]!.push([]);
        }
      }
      return id;
    };
    const groups = new Map<string, number>();
    const categorySets = new Map<string, number>();
    this.groupOf = new Int32Array(n);
    this.everyProduct = Uint8Array.from(items, (item) => (item.categories.length || item.models.length ? 0 : 1));
    this.categorySetOf = new Int32Array(n);
    const seen = new Set<number>();
    const tf = new Map<number, number>();
    items.forEach((item, doc) => {
      seen.clear();
      for (let f = 0; f < nFields; f += 1) {
        tf.clear();
        for (const t of this.fieldTokens[f]!(item)) {
          const id = idOf(t);
          tf.set(id, (tf.get(id) ?? 0) + 1);
          seen.add(id);
        }
        // MiniSearch: length = distinct terms; average kept as a running mean, same arithmetic.
        fieldLengths[f]![doc] = tf.size;
        avgLength[f] = (avgLength[f]! * doc + tf.size) / (doc + 1);
        for (const [id, count] of tf) {
          fieldDocs[f]![id]!.push(doc);
          fieldTfs[f]![id]!.push(count);
        }
      }
      for (const id of seen) df[id] += 1;
      this.groupOf[doc] = internBy(groups, this.groupItems, `${item.categories.join(',')}|${item.models.join(',')}`, item);
      // An item with no categories applies to every product unless it lists models (productBoost).
      const categoryKey = item.categories.length ? item.categories.join(',') : item.models.length ? '|models' : '';
      this.categorySetOf[doc] = internBy(categorySets, this.categorySets, categoryKey, item);
    });
    // Phrasing tokens are field tokens too; ids are taken before postings are laid out all the same.
    const phrasingIds = items.map((item) => phrasingsOf(item).map((p) => [...new Set(tokensOf(p))].map(idOf)));

    // Merge each term's per-field postings into one list, adding fields in field order as
    // MiniSearch's termResults does.
    const boosts = fieldNames.map((f) => fields[f]!.boost);
    const sum = new Float64Array(n);
    const first = new Uint8Array(n);
    const mark = new Int32Array(n).fill(-1);
    const list = new Int32Array(n);
    for (let id = 0; id < df.length; id += 1) {
      let len = 0;
      for (let f = 0; f < nFields; f += 1) {
        const docs = fieldDocs[f]![id]!;
        const tfs = fieldTfs[f]![id]!;
        if (!docs.length) continue;
        const idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
        const boost = boosts[f]!;
        const avg = avgLength[f]!;
        for (let j = 0; j < docs.length; j += 1) {
          const doc = docs[j]!;
          const freq = tfs[j]!;
          const raw = idf * (BM25.d + (freq * (BM25.k + 1)) / (freq + BM25.k * (1 - BM25.b + (BM25.b * fieldLengths[f]![doc]!) / avg)));
          const w = boost * raw;
          if (mark[doc] !== id) {
            mark[doc] = id;
            list[len++] = doc;
            sum[doc] = w;
            first[doc] = f;
          } else {
            sum[doc] += w;
          }
        }
        fieldDocs[f]![id] = []; // free as we go
        fieldTfs[f]![id] = [];
      }
      const docs = list.slice(0, len).sort();
      const weights = new Float64Array(len);
      const firstField = new Uint8Array(len);
      for (let j = 0; j < len; j += 1) {
        weights[j] = sum[docs[j]!]!;
        firstField[j] = first[docs[j]!]!;
      }
      this.postings.push({ docs, weights, firstField });
    }

    this.termWeights = new Float64Array(df.length);
    for (let id = 0; id < df.length; id += 1) this.termWeights[id] = this.idf(df[id]!);
    for (const perItem of phrasingIds) {
      this.phrasings.push(
        perItem.map((ids) => {
          const weights = new Float64Array(ids.length);
          let total = 0;
          ids.forEach((id, j) => {
            weights[j] = this.termWeight(id);
            total += weights[j]!;
          });
          return { ids: Int32Array.from(ids), weights, total };
        }),
      );
    }

    this.acc = new Float64Array(n);
    this.matched = new Uint16Array(n);
    this.firstKey = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.impliedHeld = new Uint16Array(n);
    this.groupBoost = new Float64Array(this.groupItems.length);
    this.queryStamp = new Uint32Array(this.termIds.size);
    this.ignoreStamp = new Uint32Array(this.termIds.size);
  }

  get size(): number {
    return this.items.length;
  }

  get engine(): Tokenizer['engine'] {
    return this.tokenizer.engine;
  }

  /** Whether one of item's own phrasings (for FaqIndex: its question or a similar question) holds term. */
  phrasingsHold(item: number, term: string): boolean {
    const id = this.termIds.get(term);
    if (id === undefined) return false;
    for (const { ids } of this.phrasings[item] ?? []) if (ids.includes(id)) return true;
    return false;
  }

  /** BM25-style idf; a term no entry has gets the largest weight, so unknown words count against coverage. */
  idf(df: number): number {
    const n = this.items.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** idf of a term id; ids past the index's terms (words no entry has) weigh as df 0. */
  private termWeight(id: number | undefined): number {
    return id !== undefined && id < this.termWeights.length ? this.termWeights[id]! : this.idf(0);
  }

  /** The distinct query terms, in order of first occurrence. */
  terms(text: string): string[] {
    return [...new Set(this.tokenizer.tokens(text))];
  }

  /**
   * The k best items for the query terms, best first: BM25 × product boost, ties broken as the
   * MiniSearch ranking broke them. One pass over the terms' postings into reused arrays, then a
   * bounded insertion into the k leaders (k is 5 or so, where that beats a heap).
   *
   * implied: the query's terms that name the product asked about (平板, 平, 板 in 我的平板还在保吗).
   * The score multiplies the BM25 sum by the number of query terms matched, and one product word is
   * several terms, so every entry naming the product had its score multiplied up by the word alone
   * and an entry for every product (保修, 寄修), which never names one, lost to 平板键盘. Such an
   * entry answers for this product too, so it is counted as matching those terms (see impliedScore);
   * it gets no weight for them, as it does not contain them.
   */
  query(
    terms: string[],
    k: number,
    categories?: string | readonly string[],
    model?: string,
    implied?: ReadonlySet<string>,
  ): Array<Scored<T>> {
    if (!terms.length || k <= 0) return [];
    const { acc, matched, firstKey, touched, impliedHeld, everyProduct } = this;
    const boostOf = this.boosts(categories, model);
    const ids: Array<number | undefined> = terms.map((t) => this.termIds.get(t));
    const nImplied = implied?.size ? terms.filter((t, q) => ids[q] !== undefined && implied.has(t)).length : 0;
    let nTouched = 0;
    for (let q = 0; q < ids.length; q += 1) {
      const id = ids[q];
      if (id === undefined) continue;
      const { docs, weights, firstField } = this.postings[id]!;
      const keyBase = q * FIELD_SLOTS;
      for (let j = 0; j < docs.length; j += 1) {
        const doc = docs[j]!;
        if (matched[doc] === 0) {
          touched[nTouched++] = doc;
          acc[doc] = weights[j]!;
          matched[doc] = 1;
          firstKey[doc] = keyBase + firstField[j]!;
        } else {
          acc[doc] += weights[j]!;
          matched[doc] += 1;
        }
      }
      // A second pass over the few implied terms' postings keeps the loop above as lean as it was.
      if (nImplied > 0 && implied!.has(terms[q]!)) for (let j = 0; j < docs.length; j += 1) impliedHeld[docs[j]!] += 1;
    }
    // Leaders, best first: parallel arrays of item, final score and BM25 score.
    const topDoc: number[] = [];
    const topScore: number[] = [];
    const topRaw: number[] = [];
    const before = (score: number, raw: number, doc: number, i: number): boolean => {
      const other = topDoc[i]!;
      if (score !== topScore[i]) return score > topScore[i]!;
      if (raw !== topRaw[i]) return raw > topRaw[i]!;
      if (firstKey[doc] !== firstKey[other]) return firstKey[doc]! < firstKey[other]!;
      return doc < other;
    };
    for (let j = 0; j < nTouched; j += 1) {
      const doc = touched[j]!;
      const raw = acc[doc]! * matched[doc]!;
      const credited = nImplied && everyProduct[doc] ? impliedScore(raw, matched[doc]!, nImplied - impliedHeld[doc]!) : raw;
      const score = boostOf ? credited * boostOf(doc) : credited;
      const full = topDoc.length === k;
      // Most entries fall clearly below the k-th leader: a plain comparison settles them.
      if (full && (score < topScore[k - 1]! || !before(score, raw, doc, k - 1))) continue;
      let i = full ? k - 1 : topDoc.length;
      while (i > 0 && before(score, raw, doc, i - 1)) i -= 1;
      topDoc.splice(i, 0, doc);
      topScore.splice(i, 0, score);
      topRaw.splice(i, 0, raw);
      if (topDoc.length > k) {
        topDoc.pop();
        topScore.pop();
        topRaw.pop();
      }
    }
    for (let j = 0; j < nTouched; j += 1) {
      matched[touched[j]!] = 0;
      impliedHeld[touched[j]!] = 0;
    }
    return topDoc.map((doc, i) => ({
      item: this.items[doc]!,
      index: doc,
      score: topScore[i]!,
      terms: terms.filter((_, q) => ids[q] !== undefined && contains(this.postings[ids[q]!]!.docs, doc)),
    }));
  }

  /**
   * The product boost of an entry for this query, or undefined when it is 1 for every entry (no
   * category, which may be any string or a non-empty list, and no model). Without a model the boost
   * depends on the entry's categories alone: one productBoost per distinct category list.
   */
  private boosts(categories?: string | readonly string[], model?: string): ((doc: number) => number) | undefined {
    if (!(typeof categories === 'string' || !!categories?.length || !!model)) return undefined;
    if (!model) {
      const setBoost = Float64Array.from(this.categorySets, (item) => productBoost(item, categories));
      const setOf = this.categorySetOf;
      return (doc) => setBoost[setOf[doc]!]!;
    }
    const { groupOf, groupBoost, groupItems } = this;
    groupBoost.fill(NaN);
    return (doc) => {
      const g = groupOf[doc]!;
      let boost = groupBoost[g]!;
      if (Number.isNaN(boost)) boost = groupBoost[g] = productBoost(groupItems[g]!, categories, model);
      return boost;
    };
  }

  /**
   * What an independent implementation of this scoring needs, for the cross-check against
   * MiniSearch in the tests (test/helpers/miniSearchReference.ts): the items, the fields with
   * their boosts and texts, the tokenizer the index used, and which terms and items it knows.
   */
  get scoring(): IndexScoring<T> {
    return {
      items: this.items,
      fields: this.fieldNames.map((name) => ({
        name,
        boost: this.fields[name]!.boost,
        parts: this.fields[name]!.parts,
      })),
      tokensOf: this.tokensOf,
      knows: (term) => this.termIds.has(term),
      forEveryProduct: (index) => this.everyProduct[index] === 1,
    };
  }

  /**
   * 0..1, how well item explains the question: 0.45 × query coverage + 0.4 × phrasing coverage (see
   * coverage) + the margin, how far the item's score is ahead of its strongest rival's (rival
   * undefined: there is none). GuideIndex decides on this; FaqIndex weighs the parts its own way.
   */
  confidence(queryTerms: string[], hit: Scored<T>, rival: number | undefined): number {
    const { query, phrasing } = this.coverage(queryTerms, hit);
    return Math.max(0, Math.min(1, 0.45 * query + 0.4 * phrasing + marginCredit(hit.score, rival)));
  }

  /**
   * How much of the question the item explains, in two 0..1 parts that do not depend on the other
   * candidates:
   * - query: the idf-weighted share of the question's terms the item contains in any field (words
   *   the manual has never seen weigh most, which pushes off-manual questions down);
   * - phrasing: the best share of one of the item's own phrasings found in the question (a short
   *   question that is a known phrasing plus chatter still scores high).
   * Terms in ignore count on neither side (FaqIndex passes the product the question names: the
   * product boost has used it, and it says nothing of what is asked about that product).
   * The phrasings' term ids, weights and totals are computed at build, so this is a few dozen array reads.
   */
  coverage(queryTerms: string[], hit: Scored<T>, ignore?: ReadonlySet<string>): { query: number; phrasing: number } {
    let total = 0;
    let matched = 0;
    const matchedSet = new Set(hit.terms);
    this.stamp = (this.stamp + 1) >>> 0 || 1;
    if (this.stamp === 1) {
      this.queryStamp.fill(0);
      this.ignoreStamp.fill(0);
    }
    let ignored = false;
    for (const t of queryTerms) {
      const id = this.termIds.get(t);
      if (ignore?.has(t)) {
        if (id !== undefined) this.ignoreStamp[id] = this.stamp;
        ignored = true;
        continue;
      }
      const w = this.termWeight(id);
      total += w;
      if (matchedSet.has(t)) matched += w;
      if (id !== undefined) this.queryStamp[id] = this.stamp;
    }
    const queryCoverage = total > 0 ? matched / total : 0;
    let phrasingCoverage = 0;
    for (const phrasing of this.phrasings[hit.index] ?? []) {
      const { ids, weights } = phrasing;
      // The phrasing without the ignored terms, and whole (for one made of nothing else: with few
      // entries in a category every word of them counts as the product's, and then there is nothing
      // left to compare).
      let pMatched = 0;
      let pTotal = 0;
      let wholeMatched = 0;
      for (let j = 0; j < ids.length; j += 1) {
        const id = ids[j]!;
        const inQuery = this.queryStamp[id] === this.stamp || (ignored && this.ignoreStamp[id] === this.stamp);
        if (inQuery) wholeMatched += weights[j]!;
        if (ignored && this.ignoreStamp[id] === this.stamp) continue;
        pTotal += weights[j]!;
        if (inQuery) pMatched += weights[j]!;
      }
      const share = pTotal > 0 ? pMatched / pTotal : phrasing.total > 0 ? wholeMatched / phrasing.total : 0;
      phrasingCoverage = Math.max(phrasingCoverage, share);
    }
    return { query: queryCoverage, phrasing: phrasingCoverage };
  }
}

/**
 * The terms an entry for every product is counted as matching (see WeightedIndex.query): the named
 * product's tokens, when the question names one product. A question naming two (耳机怎么连手机) asks
 * how they work together, which no entry for every product answers; crediting both words there
 * ranked policy entries over the pairing entries on knowledge/eval.
 */
export function impliedBy(
  categories: readonly string[] | undefined,
  named: ReadonlySet<string> | undefined,
): ReadonlySet<string> | undefined {
  return categories?.length === 1 ? named : undefined;
}

/** The margin's part of confidence: up to 0.15, full once the score is half again the rival's or more. */
export function marginCredit(score: number, rival: number | undefined): number {
  const margin = rival === undefined ? 1 : Math.max(0, (score - rival) / score);
  return 0.15 * Math.min(1, margin * 2);
}

/**
 * An every-product item's score counting the implied terms it does not hold (missing) as matched:
 * the BM25 score is sum × count, so it becomes sum × (count + missing). Written from the score alone
 * so that the MiniSearch reference, which only has the score, gets the same number to the bit.
 */
export function impliedScore(raw: number, count: number, missing: number): number {
  return missing > 0 ? raw * ((count + missing) / count) : raw;
}

/** The number of `key` in `ids`; a new key gets the next one and `item` as its representative. */
function internBy<T>(ids: Map<string, number>, representatives: T[], key: string, item: T): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = representatives.length;
    ids.set(key, id);
    representatives.push(item);
  }
  return id;
}

/** Whether sorted holds value (binary search). */
function contains(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * tokenizer.tokens, remembered per text for one build: manuals repeat steps, tags and phrasings, and
 * the question is both a field and a phrasing. Callers must not modify the returned arrays.
 */
function memoTokens(tokenizer: Tokenizer): (text: string) => string[] {
  const memo = new Map<string, string[]>();
  return (text) => {
    let tokens = memo.get(text);
    if (!tokens) memo.set(text, (tokens = tokenizer.tokens(text)));
    return tokens;
  };
}
