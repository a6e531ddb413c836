/** Which troubleshooting guide a described symptom belongs to, and which products' guides fit it. */
import type { Guide, Manual } from './manualTypes';
import { productWords } from './productWords';
import type { Tokenizer } from './tokenizer';
import { marginCredit, WeightedIndex } from './weightedIndex';

export interface GuideMatch {
  guide: Guide;
  confidence: number;
}

export class GuideIndex {
  /** Below this a message is not taken as this guide's symptom (the dialog asks instead). */
  static CONFIDENT = 0.55;
  /**
   * Two products' guides explain a symptom alike when the shares of the message they explain are
   * this close: 充不进电 is the phone's and the tablet's, 左耳没声音了 only the earbuds' (the TV's
   * 没声音 leaves 左耳 unexplained).
   */
  static SAME_SHARE = 0.1;
  /**
   * A guide whose every phrasing is mostly missing from the message is not its symptom, however
   * much of the short message it explains: 好的 shares 好 with 触屏不好使, 黑屏了 shares 黑屏 with
   * one phrasing of the laptop's power guide. Below this share of the best phrasing, no guide.
   */
  static MIN_PHRASING = 0.35;
  /** A guide phrasing this fully in the message is the customer's own way of saying that symptom. */
  static SAID_AS_PHRASED = 0.95;
  /** …and it settles the product when every other product's best phrasing fits this much less. */
  static PHRASING_LEAD = 0.15;

  private constructor(
    private readonly index: WeightedIndex<Guide>,
    /** Every category some guide is for, in the manual's order. */
    private readonly categories: readonly string[],
    /** Words that name a product (learnt from the FAQ, see productWords), with their own tokens. */
    private readonly productTokens: ReadonlyMap<string, { categories: readonly string[]; tokens: readonly string[] }>,
  ) {}

  static build(manual: Manual, tokenizer: Tokenizer): GuideIndex {
    const index = new WeightedIndex<Guide>(
      manual.guides,
      tokenizer,
      {
        symptom: { boost: 3, parts: (g) => [g.symptom] },
        phrases: { boost: 3, parts: (g) => g.phrases },
      },
      (g) => [g.symptom, ...g.phrases],
    );
    const products = productWords(manual.faqs, tokenizer);
    const productTokens = new Map([...products].map(([word, categories]) => [word, { categories, tokens: index.tokensOf(word) }] as const));
    const categories = [...new Set(manual.guides.flatMap((guide) => guide.categories))];
    return new GuideIndex(index, categories, productTokens);
  }

  /**
   * The guide for a described symptom. With a category, only that product's guides (and guides for
   * every product) are candidates: a symptom of the earbuds is never answered with the phone's
   * charging steps, however alike the words (耳机充不进电).
   */
  find(text: string, options: { category?: string } = {}): GuideMatch | undefined {
    const best = this.bestFor(this.index.terms(text), options.category);
    return best && GuideIndex.fits(best) ? best.match : undefined;
  }

  /**
   * The products whose guides fit a symptom that names no product, best first: one means the
   * symptom is that product's (遥控器没反应 is the TV's); several mean the customer should be asked
   * which product it is (充不进电: phone or tablet?); none, no guide fits.
   */
  productsFor(text: string): string[] {
    const terms = this.index.terms(text);
    const fits = this.categories
      .map((category) => ({ category, best: this.bestFor(terms, category) }))
      .filter(
        (
          fit,
        ): fit is {
          category: string;
          best: NonNullable<ReturnType<GuideIndex['bestFor']>>;
        } => fit.best !== undefined && GuideIndex.fits(fit.best) && fit.best.match.guide.categories.includes(fit.category),
      );
    const widest = Math.max(0, ...fits.map((fit) => fit.best.share));
    const alike = fits
      .filter((fit) => fit.best.share >= widest - GuideIndex.SAME_SHARE)
      .sort((a, b) => b.best.match.confidence - a.best.match.confidence);
    // A message that is how one product's guide puts its symptom (连上wifi上不了网 is the router's),
    // while the others' phrasings only partly fit it, is that product's: no need to ask which one.
    const said = alike.filter((fit) => fit.best.phrasing >= GuideIndex.SAID_AS_PHRASED);
    const nextBest = Math.max(0, ...alike.filter((fit) => !said.includes(fit)).map((fit) => fit.best.phrasing));
    if (said.length === 1 && said[0].best.phrasing - nextBest >= GuideIndex.PHRASING_LEAD) return [said[0].category];
    return alike.map((fit) => fit.category);
  }

  private static fits(best: { match: GuideMatch; phrasing: number }): boolean {
    return best.match.confidence >= GuideIndex.CONFIDENT && best.phrasing >= GuideIndex.MIN_PHRASING;
  }

  /** The best guide (for `category` only, when given), its confidence, the share of the message it explains and of its best phrasing. */
  private bestFor(terms: string[], category?: string): { match: GuideMatch; share: number; phrasing: number } | undefined {
    const applies = (guide: Guide): boolean => !category || !guide.categories.length || guide.categories.includes(category);
    const ranked = this.index.query(terms, category ? this.index.size : 2, category).filter((hit) => applies(hit.item));
    const top = ranked[0];
    if (!top) return undefined;
    // The product's own name (耳机 in 耳机充不进电) is in every one of its guides: it says which
    // product, not which symptom, so it counts for none of them.
    const ignore = category ? this.tokensNaming(terms, category) : undefined;
    const { query, phrasing } = this.index.coverage(terms, top, ignore);
    const confidence = Math.max(0, Math.min(1, 0.45 * query + 0.4 * phrasing + marginCredit(top.score, ranked[1]?.score)));
    return { match: { guide: top.item, confidence }, share: query, phrasing };
  }

  private tokensNaming(terms: readonly string[], category: string): Set<string> | undefined {
    let named: Set<string> | undefined;
    for (const t of terms) {
      const product = this.productTokens.get(t);
      if (!product?.categories.includes(category)) continue;
      named ??= new Set<string>();
      for (const token of product.tokens) named.add(token);
    }
    return named;
  }
}
