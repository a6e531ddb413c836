/**
 * Which entries are about the customer's product: the product boost of the ranking, and the words
 * customers use to name each product, learnt from the manual's own questions.
 */
import type { Applicability, FaqEntry } from './manualTypes';
import type { Tokenizer } from './tokenizer';

/** Boost for entries of the customer's product, and for entries for every product, which apply to it too. */
const SAME_PRODUCT = 1.5;
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
  } else if (categories.length && !applies.models.length) {
    // An entry for every product (保修期, 寄修) applies to the customer's product as much as that
    // product's own entries do: left neutral, it lost to them whenever the product was known.
    boost = SAME_PRODUCT;
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
export function productWords(
  entries: readonly FaqEntry[],
  tokenizer: Tokenizer,
  /** The tokens of entry i's question and similar phrasings, when the caller already has them. */
  askedTokens?: (i: number) => readonly string[],
): Map<string, string[]> {
  // term → category → how many of that category's entries ask with it
  const counts = new Map<string, Map<string, number>>();
  const sizes = new Map<string, number>();
  entries.forEach((e, i) => {
    if (e.categories.length !== 1) return;
    const category = e.categories[0]!;
    sizes.set(category, (sizes.get(category) ?? 0) + 1);
    const asked = askedTokens ? askedTokens(i) : tokenizer.tokens([e.question, ...e.similar].join('\n'));
    for (const t of new Set(asked)) {
      // Han words of two or more characters only: single characters (机, 表) and Latin fragments
      // (wi, fi) are too ambiguous to name a product on their own.
      if (t.length < 2 || !HAN_WORD.test(t)) continue;
      const perCategory = counts.get(t) ?? new Map<string, number>();
      perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
      counts.set(t, perCategory);
    }
  });
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
