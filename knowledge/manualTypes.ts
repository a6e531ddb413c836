/**
 * The service manual's shapes (issue 4): FAQ entries, troubleshooting guides, synonyms. The data
 * lives in knowledge/data/ as YAML a service lead edits; knowledge/manual.ts validates and loads it.
 */

/** Where an entry applies: categories of desk/data/catalogue.yaml (phone, laptop, tablet, router, tv,
 * earbuds, watch), optionally narrowed to model ids; empty lists mean "every product". */
export interface Applicability {
  categories: string[];
  models: string[];
}

export type FaqTopic =
  'howto' | 'settings' | 'charging' | 'network' | 'display' | 'sound' | 'updates' | 'data' | 'accessories' | 'warranty' | 'service';

export interface FaqEntry extends Applicability {
  /** Stable id, e.g. "phone-fast-charge"; evaluation files name entries by it. */
  id: string;
  topic: FaqTopic;
  /** The standard question (标准问法). */
  question: string;
  /** Other ways customers ask it (相似问法), at least 2. */
  similar: string[];
  /** The answer as short steps, each one sentence. */
  steps: string[];
  tags: string[];
  /** The English version (knowledge/data/en/faq.yaml), when it has been translated. */
  en?: FaqTranslation;
}

/** An FAQ entry's answer in English: what an English customer is shown instead of the Chinese. */
export interface FaqTranslation {
  question: string;
  /** Other ways English customers ask it, for the English index (as `similar` is for the Chinese one). */
  similar?: string[];
  /** As many steps as the Chinese entry has, in the same order. */
  steps: string[];
}

/**
 * good: the step helped (the guide ends solved, or the fix worked); bad: it did not (report, or try
 * the next thing). The troubleshooting dialog takes a free-form 好了 / 可以了 for the good answer and
 * 没好 / 还是不行 for the bad one, so each step lists its good answer first and its bad one last.
 */
export type BranchOutcome = 'good' | 'bad';

/** One answer to a step's question, and where it leads. */
export interface GuideBranch {
  /** What the customer says, e.g. 好了 / 没好 / 亮了 / 不亮 (the dialog adds 不会操作 itself). */
  answer: string;
  /** Another step id, or "solved", or "report" (报修 with what was tried). */
  next: string;
  /**
   * In the YAML: only where neither `next` nor the answer's wording tells it. Once loaded: the
   * resolved outcome (written, else solved → good and report → bad, else 好了/亮了/能… → good and
   * 没好/不亮/还是… → bad), or undefined for an answer that is neither (所有设备都断).
   */
  outcome?: BranchOutcome;
  /** The answer in English, the button an English customer sees. */
  en?: { answer: string };
}

export interface GuideStep {
  id: string;
  /** What to do, in one or two sentences. */
  instruction: string;
  /** Said when the customer does not know how (不会操作): the same step in more detail. */
  detail: string;
  /** The question after the instruction, e.g. 现在能充进电了吗？ */
  question: string;
  branches: GuideBranch[];
  /** The step in English, when it has been translated (its branches then carry theirs). */
  en?: StepTranslation;
}

export interface StepTranslation {
  instruction: string;
  detail: string;
  question: string;
}

/** A troubleshooting decision tree for one symptom. */
export interface Guide extends Applicability {
  id: string;
  /** The symptom in standard words, e.g. 无法充电. */
  symptom: string;
  /** How customers describe it (充不进电, 充电没反应 …); used to pick the guide. */
  phrases: string[];
  /** The first step's id. */
  start: string;
  steps: GuideStep[];
  /** The guide in English, when it has been translated (its steps may be translated one by one). */
  en?: GuideTranslation;
}

export interface GuideTranslation {
  symptom: string;
  /** How English-speaking customers describe the fault; used to find the guide for them. */
  phrases: string[];
}

/** Colloquial and standard words that mean the same (充不进电 ↔ 无法充电). */
export interface SynonymGroup {
  /** The standard term first. */
  terms: string[];
}

export interface Manual {
  faqs: FaqEntry[];
  guides: Guide[];
  synonyms: SynonymGroup[];
  /** en/synonyms.yaml: the same for English customers' words (receipt ↔ invoice), used by the English index. */
  englishSynonyms?: SynonymGroup[];
  /** Extra words for the tokenizer's user dictionary (product names, model numbers, slang). */
  dictionary: string[];
  /** Products the company neither makes nor services (冰箱, 空调 …): questions about them get no manual answer. */
  notOurs?: string[];
  /** Other makers' brands and product names (华为, iPhone …): a device of theirs is not serviced here. */
  otherBrands?: string[];
}
