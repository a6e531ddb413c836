/**
 * Words that make a message about another device a message about our router: our routers serve
 * every device in the home (扫地机器人连不上wifi is a router question).
 */
const ABOUT_THE_NETWORK = /wi-?fi|wlan|无线|网络|路由|连网|联网|上网|信号|网速|断网|掉线|连不上|配网|热点/;

/** A product or brand in a message that the company neither makes nor services. */
export interface ForeignMention {
  /** As the customer wrote it ("洗衣机", "华为"). */
  word: string;
  /** A kind of product we do not make (洗衣机), or another maker's brand (华为手机, iPhone). */
  kind: 'product' | 'brand';
  /** The brand, when the customer named one whose official service they can be pointed to. */
  maker?: string;
}

/** What is ours and what is not: from the catalogue (ours) and synonyms.yaml (`notOurs`, `otherBrands`). */
export interface ScopeVocabulary {
  /** Kinds of product we do not make (冰箱, 洗衣机 …). */
  notOurs: readonly string[];
  /** Other makers' brands and their product names (华为, 小米, iPhone …). */
  otherBrands: readonly string[];
  /** Our category words (手机, 耳机, 电视 …). */
  categoryWords: readonly string[];
  /** Our brands, model names and aliases (星耀, X20 Pro, 超大杯 …). */
  ourNames: readonly string[];
}

/** Contact words that contain a category word (手机号) but say nothing about the product. */
const CONTACT_WORDS = /手机号码?|电话号码?|联系电话|联系方式|手机联系|打电话|留个?电话|电话/gu;
/** Between a brand and its product: 华为手机, 华为的手机, 小米家的电视, 苹果牌耳机. */
const LINK = '[\\s的家牌]{0,2}';
/** A model after a brand: 荣耀30, 华为 P60, 小米14 Pro, Mate60. */
const MODEL_TOKEN = '[a-z]{0,6}\\d{1,4}[a-z]{0,4}';

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function bounded(word: string): string {
  // A Latin brand is a whole word ("honor" is not inside "honorable"); Han brands have no boundaries.
  const escaped = escapeRegExp(word);
  return /^[a-z0-9]/.test(word) ? `(?<![a-z])${escaped}(?![a-z])` : escaped;
}

/**
 * Recognises at once a message about a product the company does not make or service: a kind of
 * product (洗衣机坏了) or another maker's product (我的华为手机坏了, iPhone 15 碎屏). A brand named
 * beside one of ours is context, not the subject ("耳机连不上苹果手机", "苹果充电器能充吗"), and
 * so is any device's connection to the network, which our routers serve ("小米电视连不上wifi").
 */
export class ProductScope {
  private readonly notOurs: string[];
  private readonly categoryWords: string[];
  private readonly ourNames: string[];
  private readonly brandRules: Array<{ brand: string; subject: RegExp; alone: boolean }>;

  constructor(vocabulary: ScopeVocabulary) {
    const longestFirst = (a: string, b: string) => b.length - a.length;
    this.notOurs = vocabulary.notOurs.map(fold).filter(Boolean).sort(longestFirst);
    this.categoryWords = vocabulary.categoryWords
      .map(fold)
      .filter((word) => word.length >= 2)
      .sort(longestFirst);
    this.ourNames = vocabulary.ourNames.map((name) => fold(name).replace(/\s+/g, '')).filter((name) => name.length >= 2);
    const categories = this.categoryWords.map(escapeRegExp).join('|');
    this.brandRules = vocabulary.otherBrands
      .map(fold)
      .filter(Boolean)
      .sort(longestFirst)
      .map((brand) => ({
        brand,
        // The brand names what the customer is talking about: a product word or a model follows it.
        subject: new RegExp(`${bounded(brand)}${LINK}(?:${categories || '(?!)'})|${bounded(brand)}\\s?${MODEL_TOKEN}(?![a-z0-9])`, 'u'),
        // Product names such as iPhone or AirPods are a product by themselves.
        alone: /^(?:iphone|macbook|airpods|apple ?watch|galaxy)$/.test(brand),
      }));
  }

  foreignIn(text: string): ForeignMention | undefined {
    const folded = fold(text);
    if (!folded.trim() || ABOUT_THE_NETWORK.test(folded)) return undefined;
    const compact = folded.replace(/\s+/g, '');
    if (this.ourNames.some((name) => compact.includes(name))) return undefined;
    // Blanked to the same length, so that a match's place is its place in the customer's text.
    const aboutProducts = folded.replace(CONTACT_WORDS, (contact) => ' '.repeat(contact.length));
    for (const rule of this.brandRules) {
      const match = rule.subject.exec(aboutProducts) ?? (rule.alone ? new RegExp(bounded(rule.brand), 'u').exec(aboutProducts) : null);
      if (!match) continue;
      // Any other product of ours in the message is the subject ("华为手机连不上你们的耳机").
      const elsewhere = aboutProducts.slice(0, match.index) + ' ' + aboutProducts.slice(match.index + match[0].length);
      if (this.categoryWords.some((word) => elsewhere.includes(word))) continue;
      const word = text
        .normalize('NFKC')
        .slice(match.index, match.index + match[0].length)
        .trim();
      return { word, kind: 'brand', maker: rule.alone ? undefined : originalOf(text, rule.brand) };
    }
    const product = this.notOurs.find((word) => aboutProducts.includes(word));
    if (product && !this.categoryWords.some((word) => aboutProducts.includes(word)))
      return { word: originalOf(text, product), kind: 'product' };
    return undefined;
  }
}

/**
 * The scope of the manual and the facts reader, which know the products we do not make but not
 * the catalogue's brands: the same decision as the dialogs', on those words alone.
 */
export function scopeOfNotOurs(
  notOurs: readonly string[],
  ours: Partial<Pick<ScopeVocabulary, 'categoryWords' | 'ourNames'>> = {},
): ProductScope {
  return new ProductScope({ notOurs, otherBrands: [], categoryWords: ours.categoryWords ?? [], ourNames: ours.ourNames ?? [] });
}

/** The word as the customer spelt it ("iPhone", not "iphone"). */
function originalOf(text: string, folded: string): string {
  const normalized = text.normalize('NFKC');
  const at = normalized.toLowerCase().indexOf(folded);
  return at >= 0 ? normalized.slice(at, at + folded.length) : folded;
}
