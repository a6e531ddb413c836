/**
 * Chinese-aware tokens for the offline retriever (issue: offline retrieval). Index and query go
 * through the same function, so whatever normalisation happens here happens on both sides.
 *
 * Tokens are: jieba's search-mode words (with the manual's user dictionary), every single Han
 * character (measured as the biggest single gain: customers' paraphrases share characters far more
 * often than they share jieba's word boundaries), and Latin/digit words (model names). Synonyms are
 * rewritten to their group's standard term before segmenting, so 充不进电 and 无法充电 produce the
 * same tokens on both sides.
 */
import type * as JiebaModule from 'jieba-wasm';
import type { SynonymGroup } from './manualTypes';

export type TokenizerEngine = 'jieba' | 'segmenter';

export interface Tokenizer {
  tokens(text: string): string[];
  engine: TokenizerEngine;
}

export interface TokenizerOptions {
  /** Extra words for the segmenter (product names, model numbers, slang). */
  dictionary: string[];
  synonyms: SynonymGroup[];
  /**
   * Test hook: 'segmenter' skips jieba as if the wasm module could not load, to prove the fallback
   * still ranks sensibly. Production code leaves it unset.
   */
  forceEngine?: TokenizerEngine;
}

type Jieba = Pick<typeof JiebaModule, 'cut_for_search' | 'add_word'>;

// undefined: not tried yet; null: tried and failed (remembered so a broken module costs one try).
let jiebaModule: Jieba | null | undefined;
const jiebaWords = new Set<string>();

function loadJieba(): Jieba | null {
  if (jiebaModule !== undefined) return jiebaModule;
  try {
    // Loaded lazily: the wasm dictionary takes ~0.5 s to initialise, and a machine where the module
    // is missing or broken must still answer through Intl.Segmenter instead of failing to start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('jieba-wasm') as typeof JiebaModule;
    mod.cut_for_search('初始化', true); // forces the wasm instantiation now, inside the try
    jiebaModule = mod;
  } catch {
    jiebaModule = null;
  }
  return jiebaModule;
}

/**
 * Words that carry no topic: particles, pronouns and question frames. Deliberately short — 不, 没,
 * 能, 无法, 开, 关 etc. stay, because 开不了机 and 开机 are different questions.
 */
const STOP_WORDS = new Set([
  '的', '了', '吗', '呢', '吧', '啊', '呀', '嘛', '哦', '哈', '啦', '么', '得', '地', '着',
  '我', '你', '您', '他', '她', '它', '我们', '你们', '他们', '咱', '俺',
  '怎么', '怎么办', '怎么样', '怎样', '如何', '为什么', '为啥', '咋', '咋办', '咋整', '怎', '啥', '什么',
  '请问', '请', '一下', '一个', '这个', '那个', '这样', '那样', '这', '那', '个', '是', '在', '和', '跟',
  '就', '都', '也', '还', '又', '把', '被', '给', '要', '想', '可以', '能不能', '可不可以', '有没有',
  '谢谢', '麻烦', '帮忙', '帮我', '问', '下', '呃', '嗯', '哎', '诶', '求', '急',
  'the', 'a', 'an', 'is', 'my', 'i', 'to', 'how', 'do', 'can', 'it', 'of', 'what',
]);

/**
 * Question frames removed from the text before segmenting, so their characters do not come back as
 * Han unigrams (怎么办 would otherwise add 办 to half the questions). Only phrases that never sit
 * inside a content word.
 */
const STOP_PHRASES = [...STOP_WORDS].filter((w) => w.length > 1 && /^\p{Script=Han}+$/u.test(w));
const STOP_PHRASE_PATTERN = new RegExp(STOP_PHRASES.sort((a, b) => b.length - a.length).join('|'), 'g');

const HAN = /\p{Script=Han}/u;
const HAN_GLOBAL = /\p{Script=Han}/gu;
const LATIN_RUN = /[a-z0-9]+(?:[-.+][a-z0-9]+)*/g;

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createTokenizer(options: TokenizerOptions): Tokenizer {
  const standardOf = new Map<string, string>();
  for (const group of options.synonyms) {
    const [standard, ...rest] = group.terms.map(normalise);
    if (!standard) continue;
    for (const term of rest) if (term && term !== standard && !standardOf.has(term)) standardOf.set(term, standard);
  }
  // One pass, longest term first, so 充不进电 is rewritten before a shorter term inside it could be.
  const colloquial = [...standardOf.keys()].sort((a, b) => b.length - a.length);
  const synonymPattern = colloquial.length ? new RegExp(colloquial.map(escapeRegExp).join('|'), 'g') : undefined;

  const standards = new Set(standardOf.values());
  for (const group of options.synonyms) if (group.terms[0]) standards.add(normalise(group.terms[0]));
  // Words the segmenter must keep whole: the dictionary and every standard term.
  const wholeWords = [...new Set([...options.dictionary.map(normalise), ...standards])].filter(
    (w) => w.length > 1 && HAN.test(w),
  );

  const jieba = options.forceEngine === 'segmenter' ? null : loadJieba();
  if (jieba) {
    for (const word of wholeWords) {
      if (jiebaWords.has(word)) continue;
      jieba.add_word(word, 20000, 'n'); // high frequency: prefer the whole word over jieba's own split
      jiebaWords.add(word);
    }
  }
  const segmenter = jieba ? undefined : new Intl.Segmenter('zh', { granularity: 'word' });
  // Intl.Segmenter has no user dictionary: find those words by substring instead, so model names
  // and slang still become one token each on this engine.
  const hanWholeWords = jieba ? [] : wholeWords;

  function words(text: string): string[] {
    if (jieba) return jieba.cut_for_search(text, true);
    const out: string[] = [];
    for (const seg of segmenter!.segment(text)) if (seg.isWordLike) out.push(seg.segment);
    for (const word of hanWholeWords) if (text.includes(word)) out.push(word);
    return out;
  }

  function tokens(text: string): string[] {
    let t = normalise(text);
    if (synonymPattern) t = t.replace(synonymPattern, (m) => standardOf.get(m) ?? m);
    t = t.replace(STOP_PHRASE_PATTERN, ' ');
    const out: string[] = [];
    const keep = (w: string): void => {
      if (w && !STOP_WORDS.has(w)) out.push(w);
    };
    for (const w of words(t)) {
      // Latin/digit parts come from the regex below, so only Han words are taken from the segmenter.
      if (HAN.test(w)) keep(w);
    }
    for (const ch of t.match(HAN_GLOBAL) ?? []) keep(ch);
    for (const run of t.match(LATIN_RUN) ?? []) {
      // Wi-Fi, wifi and WiFi are one word to a customer; Type-C and typec likewise.
      keep(run.replace(/-/g, ''));
      // "mate60" also as "mate" + "60": customers write model names with and without spaces.
      const parts = run.match(/[a-z]+|[0-9]+/g);
      if (parts && parts.length > 1) for (const p of parts) keep(p);
    }
    return out;
  }

  return { tokens, engine: jieba ? 'jieba' : 'segmenter' };
}
