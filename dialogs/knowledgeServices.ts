import type { Intent, Locale } from '../knowledge';
import { FaqIndex, GuideIndex } from '../knowledge/faqIndex';
import type { ManualSearch } from '../knowledge/manualRetriever';
import type { FaqEntry, Guide, Manual } from '../knowledge/manualTypes';
import type { ManualAnswer } from '../knowledge/serviceKnowledge';
import { createTokenizer, type Tokenizer } from '../knowledge/tokenizer';

export interface UnderstoodMessage {
  intent: Intent;
  confidence: number;
  reason: string;
  entities: { category?: string; modelId?: string; serial?: string; phone?: string; ticketId?: string; taobaoOrderId?: string };
}

export interface FaqCandidate {
  entry: FaqEntry;
  confidence: number;
}

/** What the conversation needs from knowledge/: a narrow port, composed in app/app.ts. */
export interface KnowledgeServices {
  understand(text: string): Promise<UnderstoodMessage>;
  /** FAQ entries for a question, best first; `confident` says whether the best may be given as the answer. */
  searchFaq(text: string, product: { category?: string; model?: string }): Promise<{ candidates: FaqCandidate[]; confident: boolean }>;
  /**
   * With an LLM: an answer written from the manual entries retrieved for the question (through
   * `search` in another language than Chinese), citing them; undefined when there is none to trust.
   */
  answerFromManual?(
    question: string,
    product: { category?: string; model?: string },
    locale: Locale,
    search?: ManualSearch,
  ): Promise<ManualAnswer | undefined>;
  /** The answer to show for an entry: its steps, or (with an LLM) the same facts phrased for the question. */
  phrase(entry: FaqEntry, question: string): Promise<string[]>;
  /** The confidence above which a runner-up is still worth offering after "没帮助". */
  runnerUpThreshold: number;
  /** The guide for a symptom; with a category, only a guide of that product (never another's). */
  findGuide(text: string, product: { category?: string }): Guide | undefined;
  /** The products whose guides fit a symptom that names no product: one, that product's; several, ask which. */
  guideProducts(text: string): string[];
  guide(id: string): Guide | undefined;
  /** The loaded manual with its English versions, for finding entries by their English words. */
  readonly manual: Manual;
}

/** Words that carry no topic in a customer's English, on top of the tokenizer's own few. */
const ENGLISH_STOP_WORDS = new Set(
  (
    'a an the i me my mine we our you your it its is are was were be been am do does did done can could would should will ' +
    'may might must to of in on at for from by with about into and or but if so than then there here this that these ' +
    'those what which who why how when where please thanks thank hi hello hey help need want get got just also any some ' +
    'not no yes very really still too again now all has have had he she they them their ' +
    // What is left of won't, doesn't, can't, it's … once the tokenizer splits at the apostrophe.
    'won don doesn didn isn aren wasn haven hasn couldn shouldn wouldn cannot t s m re ve ll d'
  ).split(' '),
);

/** Enough stemming that charging / charged / charges meet charge, and batteries meets battery. */
function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let s = word;
  if (s.endsWith('ies') && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (/(ss|x|ch|sh)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !/(ss|us|is)$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith('ing') && s.length >= 6) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length >= 5) s = s.slice(0, -2);
  else if (s.endsWith('ion') && s.length >= 7) s = s.slice(0, -3);
  // dropping → dropp → drop, but not install → instal.
  if (/([b-df-hj-kmnp-rtv-z])\1$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith('e') && s.length > 3) s = s.slice(0, -1);
  return s;
}

function englishTokenizer(synonyms: Manual['englishSynonyms'] = []): Tokenizer {
  // The shared tokenizer's Latin handling (Wi-Fi = wifi, X20 Pro = x20 + pro …), with the English
  // synonyms (en/synonyms.yaml) instead of the Chinese ones and dictionary, which say nothing about English words.
  const base = createTokenizer({ dictionary: [], synonyms });
  return {
    engine: base.engine,
    tokens: (text) =>
      base
        .tokens(text)
        .filter((token) => !ENGLISH_STOP_WORDS.has(token))
        .map(stem),
  };
}

/**
 * Finds FAQ entries and guides for a message in English, over the manual's English versions.
 * ServiceKnowledge searches the Chinese fields, with which an English message shares almost no
 * words, so an English question found nothing. This is a second index over the translations only:
 * the Chinese one, and its evaluation figures, stay exactly as they are. Its natural place is beside
 * the Chinese index in ServiceKnowledge, where the retrieval work can take it over.
 */
export class EnglishSearch {
  private static readonly built = new WeakMap<Manual, EnglishSearch>();

  private readonly faqs?: FaqIndex;
  private readonly guides?: GuideIndex;
  private readonly entries = new Map<string, FaqEntry>();
  private readonly guideById = new Map<string, Guide>();

  /** One index per manual, built on first use (a few milliseconds for the shipped manual). */
  static of(manual: Manual): EnglishSearch {
    let search = EnglishSearch.built.get(manual);
    if (!search) {
      search = new EnglishSearch(manual);
      EnglishSearch.built.set(manual, search);
    }
    return search;
  }

  private constructor(manual: Manual) {
    const faqs = manual.faqs.filter((entry) => entry.en);
    const guides = manual.guides.filter((guide) => guide.en);
    for (const entry of faqs) this.entries.set(entry.id, entry);
    for (const guide of guides) this.guideById.set(guide.id, guide);
    // The translations in the places the indexes read; tags have no English.
    const english: Manual = {
      faqs: faqs.map((entry) => ({
        ...entry,
        question: entry.en?.question ?? entry.question,
        similar: entry.en?.similar ?? [],
        steps: entry.en?.steps ?? entry.steps,
        tags: [],
      })),
      guides: guides.map((guide) => ({ ...guide, symptom: guide.en?.symptom ?? guide.symptom, phrases: guide.en?.phrases ?? [] })),
      synonyms: [],
      dictionary: [],
    };
    if (!faqs.length && !guides.length) return;
    const tokenizer = englishTokenizer(manual.englishSynonyms);
    if (faqs.length) this.faqs = FaqIndex.build(english, tokenizer);
    if (guides.length) this.guides = GuideIndex.build(english, tokenizer);
  }

  searchFaq(text: string, product: { category?: string; model?: string }): { candidates: FaqCandidate[]; confident: boolean } {
    const hits = this.faqs?.search(text, { ...product, limit: 5 }) ?? [];
    const candidates = hits.flatMap((hit) => {
      const entry = this.entries.get(hit.entry.id);
      return entry ? [{ entry, confidence: hit.confidence }] : [];
    });
    return { candidates, confident: (candidates[0]?.confidence ?? 0) >= FaqIndex.CONFIDENT };
  }

  findGuide(text: string, product: { category?: string }): Guide | undefined {
    const match = this.guides?.find(text, product);
    return match ? this.guideById.get(match.guide.id) : undefined;
  }

  guideProducts(text: string): string[] {
    return this.guides?.productsFor(text) ?? [];
  }
}

/**
 * FAQ search for a customer of this language: an English customer's words are looked up in the
 * English versions first, and in the Chinese manual (with the LLM, when there is one) after.
 */
export async function searchFaqFor(
  knowledge: KnowledgeServices,
  text: string,
  product: { category?: string; model?: string },
  locale: Locale,
): Promise<{ candidates: FaqCandidate[]; confident: boolean }> {
  if (locale !== 'en') return knowledge.searchFaq(text, product);
  const english = EnglishSearch.of(knowledge.manual).searchFaq(text, product);
  if (english.confident) return english;
  // Model names and Latin words (HDMI, Wi-Fi) also occur in the Chinese text.
  const chinese = await knowledge.searchFaq(text, product);
  return chinese.confident ? chinese : english;
}

/** The guide for a symptom in the customer's language; English falls back to the Chinese manual. */
export function findGuideFor(
  knowledge: KnowledgeServices,
  text: string,
  product: { category?: string },
  locale: Locale,
): Guide | undefined {
  if (locale !== 'en') return knowledge.findGuide(text, product);
  return EnglishSearch.of(knowledge.manual).findGuide(text, product) ?? knowledge.findGuide(text, product);
}

/** The products whose guides fit a symptom that names none, in the customer's language. */
export function guideProductsFor(knowledge: KnowledgeServices, text: string, locale: Locale): string[] {
  if (locale !== 'en') return knowledge.guideProducts(text);
  const english = EnglishSearch.of(knowledge.manual).guideProducts(text);
  return english.length ? english : knowledge.guideProducts(text);
}
