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
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '嘛',
  '哦',
  '哈',
  '啦',
  '么',
  '得',
  '地',
  '着',
  '我',
  '你',
  '您',
  '他',
  '她',
  '它',
  '我们',
  '你们',
  '他们',
  '咱',
  '俺',
  '怎么',
  '怎么办',
  '怎么样',
  '怎样',
  '如何',
  '为什么',
  '为啥',
  '咋',
  '咋办',
  '咋整',
  '怎',
  '啥',
  '什么',
  '请问',
  '请',
  '一下',
  '一个',
  '这个',
  '那个',
  '这样',
  '那样',
  '这',
  '那',
  '个',
  '是',
  '在',
  '和',
  '跟',
  '就',
  '都',
  '也',
  '还',
  '又',
  '把',
  '被',
  '给',
  '要',
  '想',
  '可以',
  '能不能',
  '可不可以',
  '有没有',
  '谢谢',
  '麻烦',
  '帮忙',
  '帮我',
  '问',
  '下',
  '呃',
  '嗯',
  '哎',
  '诶',
  '求',
  '急',
  // Frames that ask without naming a topic. Left in, 怎么回事 leaves 回事 behind to match every entry
  // phrased "…是怎么回事", and the A-not-A questions (要不要, 会不会) leave a 不 that matches 不充电.
  '怎么回事',
  '咋回事',
  '啥情况',
  '什么情况',
  '怎么搞的',
  '咋搞的',
  '什么意思',
  '啥意思',
  '是不是',
  '会不会',
  '要不要',
  '行不行',
  '好不好',
  '对不对',
  '是否',
  '能否',
  '可否',
  '在哪',
  '在哪里',
  '在哪儿',
  '哪里',
  '哪儿',
  '不知道',
  '弄不了',
  '搞不定',
  '弄不好',
  '弄不明白',
  '整不明白',
  '搞不懂',
  '搞不明白',
  '你好',
  '您好',
  '在吗',
  '亲',
  'the',
  'a',
  'an',
  'is',
  'my',
  'i',
  'to',
  'how',
  'do',
  'can',
  'it',
  'of',
  'what',
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
const LATIN_TERM = /^[a-z0-9 .+-]+$/;

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A synonym term as a pattern. Latin letters at either end must not continue a longer Latin word:
 * pad is 平板 but touchpad is not, sn is 序列号 but snapshot is not. Digits may follow (pad11, buds3),
 * as customers glue model numbers on.
 */
function termPattern(term: string): string {
  const body = escapeRegExp(term);
  return `${/^[a-z]/.test(term) ? '(?<![a-z])' : ''}${body}${/[a-z]$/.test(term) ? '(?![a-z])' : ''}`;
}

/**
 * Pinyin-input slips customers make all the time, folded before the synonyms so the folded word
 * meets its synonym group. Each is bound to a context in which the wrong character never means
 * anything else here: 冲 before 电/满/不进/不上 (冲电 → 充电), but 反映 only after a negation,
 * because 我要反映问题 is a real word.
 */
const TYPOS: ReadonlyArray<readonly [RegExp, string]> = [
  [/冲(?=电|满|不进|不上|进电|上电)/g, '充'],
  [/出场设置/g, '出厂设置'],
  [/恢复出场/g, '恢复出厂'],
  [/(?<=[没无不])反映/g, '反应'],
  [/登陆/g, '登录'],
  [/重起/g, '重启'],
];

export function createTokenizer(options: TokenizerOptions): Tokenizer {
  const standardOf = new Map<string, string>();
  for (const group of options.synonyms) {
    const [standard, ...rest] = group.terms.map(normalise);
    if (!standard) continue;
    for (const term of rest) if (term && term !== standard && !standardOf.has(term)) standardOf.set(term, standard);
  }
  // One pass, longest term first, so 充不进电 is rewritten before a shorter term inside it could be.
  // Standard terms are in the pass too, mapped to themselves: otherwise a standard that holds another
  // group's colloquial term is rewritten again (无线网络 → 无线网络络, 上门维修 → 上门维修报修).
  const rewrites = new Map(standardOf);
  for (const group of options.synonyms) {
    const standard = group.terms[0] && normalise(group.terms[0]);
    if (standard && !rewrites.has(standard)) rewrites.set(standard, standard);
  }
  const terms = [...rewrites.keys()].sort((a, b) => b.length - a.length);
  const synonymPattern = terms.length ? new RegExp(terms.map(termPattern).join('|'), 'g') : undefined;
  // A Latin term keeps its own word beside the standard: Latin terms are mostly model and product
  // names (BE7200, G15, Buds), which entries for that one model cite, while the standard (路由器,
  // 耳机) says which product is meant.
  const rewrite = (m: string): string => {
    const standard = rewrites.get(m) ?? m;
    return standard !== m && LATIN_TERM.test(m) ? ` ${standard} ${m} ` : standard;
  };

  const standards = new Set(standardOf.values());
  for (const group of options.synonyms) if (group.terms[0]) standards.add(normalise(group.terms[0]));
  // Words the segmenter must keep whole: the dictionary and every standard term.
  const wholeWords = [...new Set([...options.dictionary.map(normalise), ...standards])].filter((w) => w.length > 1 && HAN.test(w));

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
    for (const [typo, fix] of TYPOS) t = t.replace(typo, fix);
    if (synonymPattern) t = t.replace(synonymPattern, rewrite);
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
