import { extractMobile, extractTaobaoOrderId } from './contacts';
import { compactOf, cueRule, escapeRegExp, firstMatch, HAN, normalize, patternRule, type CueRule, type Normalized } from './cueRules';
import { cosine, features, type SynonymTerm } from './intentFeatures';
import { defaultIntentsFile, loadIntentFile, type IntentFile } from './intentFile';
import { loadLexicon, symptomCues, type Lexicon } from './intentLexicon';
import { INTENTS, type Intent } from './intents';
import { parsePurchaseDate } from './purchaseDate';

/**
 * Intent recognition for the after-sales desk: nearest examples (char n-gram TF-IDF, cosine) from
 * knowledge/data/intents.yaml, plus the strong cues and structural hints a service lead keeps in the
 * same file. Every decision carries a `reason` an agent can read in the conversation summary.
 */

/** Product words the app takes from the desk catalogue; passed in so that knowledge/ never imports desk/. */
export interface ProductVocabulary {
  categories: { id: string; words: string[] }[];
  models: { id: string; category: string; names: string[] }[];
  /** Unanchored regular expressions, as in the catalogue's serialPattern. */
  serialPatterns: { category: string; pattern: string }[];
}

export interface Entities {
  category?: string;
  modelId?: string;
  serial?: string;
  phone?: string;
  /** Canonical S261122-0042. */
  ticketId?: string;
  taobaoOrderId?: string;
  /** YYYY-MM-DD via parsePurchaseDate; only when the caller says what day it is. */
  date?: string;
}

export interface Recognition {
  intent: Intent;
  /** 0..1, the share of the evidence that went to `intent`. */
  confidence: number;
  /** What decided: the cue, the structural hint, or the nearest examples. */
  reason: string;
  entities: Entities;
  /** The runners-up, best first. */
  alternatives: { intent: Intent; confidence: number }[];
}

export interface RecognizeOptions {
  /** Today as YYYY-MM-DD; without it relative dates (上个月) cannot be resolved and `date` stays unset. */
  today?: string;
}

// How much each kind of evidence weighs next to a cosine similarity (0..1). Tuned on
// knowledge/eval/intents.dev.jsonl; a cue should beat any plain similarity, a hint only a weak one.
const CUE_BONUS = 0.55;
/** A cue of a label that lost the priority contest still counts, but less. */
const OUTRANKED_CUE_BONUS = 0.2;
const PRIORITY_STEP = 0.01;
const TICKET_ID_BONUS = 0.5;
const SYMPTOM_BONUS = 0.3;
const QUESTION_BONUS = 0.15;
/** Praise is how customers rate without saying 评价 ("师傅很专业"). */
const PRAISE_BONUS = 0.25;
const GREETING_BONUS = 0.6;
/** A policy word (运费, 三包, 发票 …) in a question: the symptom is context, the question is the point. */
const POLICY_BONUS = 0.15;
/** Small talk about the weather, jokes, films … with no word of the trade. */
const OFF_TOPIC_BONUS = 0.45;
/** Below this best score with no cue or hint, nothing fits and the message is 'other'. */
const NOTHING_FITS = 0.15;
/** Softmax temperature that turns scores into confidences. */
const TEMPERATURE = 0.12;

/** Ticket numbers such as S261122-0042 (after NFKC, so full-width Ｓ２６… too). */
const TICKET_ID = /(?<![a-z0-9])s\s*(\d{6})\s*[-–—]?\s*(\d{4,})(?!\d)/i;

interface Example {
  intent: Intent;
  text: string;
  vector: Map<string, number>;
}

interface LabelRules {
  intent: Intent;
  priority: number;
  cues: CueRule[];
}

/** Complaint words that are acts (投诉), not verdicts (太差): only acts can be called off (不想投诉). */
const COMPLAINT_ACTS = ['投诉', '举报', '曝光', '维权', '12315', '12345', '消协', '消费者协会', 'complaint', 'complain'];

/**
 * Service words used as a modifier name an existing repair or a policy (寄修的邮费, 报修后, 返修单,
 * 送修前), not a request for one; they are kept from the repair cues.
 */
const SERVICE_WORD_AS_MODIFIER = /(报修|送修|寄修|返修|返厂|维修|修理)(?=的(?!话)|后|之后|以后|前|之前|完|单|记录|进度|状态|期间|过程)/g;

/**
 * A service word asked about for its time or price (维修大概要几天, 修一下要多少钱, 寄修多久能回来)
 * is a question about the service, not a request for it; a fault beside it (坏了) still asks for one.
 */
const SERVICE_WORD_ASKED_ABOUT =
  /(报修|送修|寄修|返修|返厂|维修|修理|修一下|修好|修)(?=[^，,。!！?？]{0,6}?(多少钱|什么价|啥价|几天|多久|多长时间|几个小时|多少天|要钱吗|收费吗|费用))/g;

/** A-not-A questions: 包不包, 能不能, 有没有, 支不支持. */
const A_NOT_A = /(\p{Script=Han})[不没]\1/u;

export class IntentRecognizer {
  private readonly examples: Example[] = [];
  private readonly idf = new Map<string, number>();
  private readonly rules: LabelRules[];
  private readonly symptoms: CueRule[];
  private readonly repairRequests: CueRule[];
  private readonly questionWords: CueRule[];
  private readonly praiseWords: CueRule[];
  private readonly domainWords: CueRule[];
  private readonly greetingWords: string[];
  private readonly policyWords: CueRule[];
  private readonly offTopicWords: CueRule[];
  private readonly synonymTerms: SynonymTerm[];
  /** Negator + cue (不想投诉, 不用上门维修, don't need a repair): removed before anything else looks. */
  private readonly negatedHan?: RegExp;
  private readonly negatedLatin?: RegExp;
  private readonly serialPatterns: { category: string; pattern: RegExp }[];
  private readonly modelNames: { id: string; category: string; name: string }[];
  private readonly categoryWords: { id: string; word: string }[];

  /** Loads knowledge/data/intents.yaml (or `file`); throws with the offending field when it is malformed. */
  static fromFile(file: string = defaultIntentsFile(), products?: ProductVocabulary): IntentRecognizer {
    return new IntentRecognizer(loadIntentFile(file), products);
  }

  /**
   * Without `data`, the shipped file: scripts/eval.ts builds the recognizer with a bare `new`. The
   * lexicon (synonym groups, symptom phrases) defaults to the shipped manual's.
   */
  constructor(data: IntentFile = loadIntentFile(defaultIntentsFile()), products?: ProductVocabulary, lexicon: Lexicon = loadLexicon()) {
    this.synonymTerms = lexicon.synonyms
      .flatMap((group) => {
        const key = compactOf(normalize(group[0]));
        return group.map((t): SynonymTerm | undefined => {
          const term = normalize(t).trim();
          if (/^[a-z0-9 '’-]+$/.test(term)) {
            return term.length < 2
              ? undefined
              : {
                  key,
                  latin: new RegExp(
                    `(?<![a-z0-9])${term
                      .split(/[\s-]+/)
                      .map(escapeRegExp)
                      .join('[\\s-]?')}(?![a-z0-9])`,
                  ),
                };
          }
          const han = compactOf(term);
          // One character (麦) is too ambiguous to stand for a group.
          return [...han].length < 2 ? undefined : { key, han };
        });
      })
      .filter((t): t is SynonymTerm => t !== undefined)
      .sort((a, b) => (b.han ?? '').length - (a.han ?? '').length);

    const documents: { intent: Intent; text: string; features: Map<string, number> }[] = [];
    for (const intent of INTENTS) {
      for (const text of data.intents[intent]?.examples ?? []) {
        documents.push({ intent, text, features: features(this.withoutIds(normalize(text)), this.synonymTerms) });
      }
    }
    const df = new Map<string, number>();
    const labelsOf = new Map<string, Set<Intent>>();
    for (const doc of documents) {
      for (const f of doc.features.keys()) {
        df.set(f, (df.get(f) ?? 0) + 1);
        labelsOf.set(f, (labelsOf.get(f) ?? new Set<Intent>()).add(doc.intent));
      }
    }
    // Document IDF alone rates 电视 as telling as 报修, yet product words turn up under half the
    // labels and say nothing of what is wanted; weighting by how few labels use a feature
    // (inverse label frequency) keeps the similarity on the words that separate intents.
    const labelCount = INTENTS.length;
    for (const [f, n] of df) {
      const labels = labelsOf.get(f)?.size ?? 1;
      const specificity = Math.log(1 + labelCount / labels) / Math.log(1 + labelCount);
      this.idf.set(f, Math.log(1 + documents.length / n) * specificity ** 2);
    }
    for (const doc of documents) this.examples.push({ intent: doc.intent, text: doc.text, vector: this.vectorOf(doc.features) });

    this.rules = INTENTS.map((intent) => {
      const spec = data.intents[intent];
      return {
        intent,
        priority: spec?.priority ?? 0,
        cues: [...(spec?.cues ?? []).map(cueRule), ...(spec?.patterns ?? []).map(patternRule)],
      };
    });
    this.symptoms = symptomCues(data.hints.symptoms, lexicon).map(cueRule);
    this.policyWords = data.hints.policy.map(cueRule);
    this.offTopicWords = data.hints.offTopic.map(cueRule);

    // Negation: a negator right before a cue (allowing 再/去/给我 … between) calls it off.
    const negatable = [
      ...INTENTS.filter((i) => i !== 'complaint').flatMap((i) => data.intents[i]?.cues ?? []),
      ...COMPLAINT_ACTS,
      ...data.hints.repairRequests,
    ]
      .map((c) => normalize(c).trim())
      .filter((c) => c.length > 0 && !(c.startsWith('/') && c.endsWith('/')));
    const byLength = (a: string, b: string) => b.length - a.length;
    const hanCues = [...new Set(negatable.filter((c) => HAN.test(c)).map(compactOf))].sort(byLength);
    const latinCues = [...new Set(negatable.filter((c) => !HAN.test(c) && /[a-z]/.test(c)))].sort(byLength);
    const negators = data.hints.negations
      .map((n) => normalize(n).trim())
      .filter(Boolean)
      .sort(byLength);
    const hanNegators = negators.filter((n) => HAN.test(n));
    const latinNegators = negators.filter((n) => !HAN.test(n));
    if (hanNegators.length && hanCues.length) {
      // 别 is a negator, but not inside 特别, 区别, 告别 …
      const neg = hanNegators.map((n) => (n === '别' ? '(?<![特区分告类级性个识辨派离])别' : escapeRegExp(n))).join('|');
      this.negatedHan = new RegExp(`(?:${neg})(?:再|去|给我|帮我|你们|跟你们|帮忙|了)?(?:${hanCues.map(escapeRegExp).join('|')})`, 'g');
    }
    if (latinNegators.length && latinCues.length) {
      const neg = latinNegators.map((n) => n.split(/\s+/).map(escapeRegExp).join('\\s+')).join('|');
      const cues = latinCues.map((c) => c.split(/\s+/).map(escapeRegExp).join('\\s+')).join('|');
      this.negatedLatin = new RegExp(
        `(?<![a-z])(?:${neg})\\s+(?:(?:want|need|wanna|have|going)\\s+)?(?:(?:to|a|an|any|for)\\s+)?(?:${cues})(?![a-z])`,
        'g',
      );
    }
    this.repairRequests = data.hints.repairRequests.map(cueRule);
    this.questionWords = data.hints.questionWords.map(cueRule);
    this.praiseWords = data.hints.praise.map(cueRule);
    this.domainWords = [...data.hints.domain, ...(products?.categories ?? []).flatMap((c) => c.words)].map(cueRule);
    // Longest first, so that 早上好 is removed whole before 早 is tried.
    this.greetingWords = data.hints.greetings.map((g) => normalize(g)).sort((a, b) => b.length - a.length);

    this.serialPatterns = (products?.serialPatterns ?? []).map(({ category, pattern }) => ({
      category,
      pattern: new RegExp(`(?<![A-Z0-9])(?:${pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '')})(?![A-Z0-9])`),
    }));
    // Longest names first: "X20 Pro" must win over "X20".
    this.modelNames = (products?.models ?? [])
      .flatMap(({ id, category, names }) => [id, ...names].map((name) => ({ id, category, name: compactOf(normalize(name)) })))
      .filter((m) => m.name.length > 0)
      .sort((a, b) => b.name.length - a.name.length);
    this.categoryWords = (products?.categories ?? [])
      .flatMap(({ id, words }) => words.map((word) => ({ id, word: normalize(word) })))
      .sort((a, b) => b.word.length - a.word.length);
  }

  recognize(text: string, options: RecognizeOptions = {}): Recognition {
    const entities = this.entitiesOf(text, options);
    const lowered = this.withoutNegatedCues(this.withoutIds(normalize(text)));
    const norm: Normalized = { spaced: lowered.replace(/\s+/g, ' ').trim(), compact: compactOf(lowered) };
    // What the repair cues read: 保修 is not a repair (保修期多久), nor is a service word used as a modifier.
    const asRequest = lowered.replace(/保修/g, '保固').replace(SERVICE_WORD_AS_MODIFIER, '※').replace(SERVICE_WORD_ASKED_ABOUT, '※');
    const request: Normalized = { spaced: asRequest.replace(/\s+/g, ' ').trim(), compact: compactOf(asRequest) };
    if (!norm.compact && !entities.ticketId) {
      return { intent: 'other', confidence: 0, reason: 'empty message', entities, alternatives: [] };
    }

    // (b) nearest examples per label
    const query = this.vectorOf(features(norm.spaced, this.synonymTerms));
    const sims = this.examples.map((example) => ({ example, sim: cosine(query, example.vector) })).sort((a, b) => b.sim - a.sim);
    const scores = new Map<Intent, number>();
    const nearest = new Map<Intent, Example[]>();
    for (const intent of INTENTS) {
      const top = sims.filter((s) => s.example.intent === intent).slice(0, 2);
      scores.set(intent, 0.6 * (top[0]?.sim ?? 0) + 0.4 * (top[1]?.sim ?? 0));
      nearest.set(
        intent,
        top.filter((s) => s.sim > 0).map((s) => s.example),
      );
    }
    const bestSimilarity = Math.max(...scores.values());

    // (a) strong cues; when several labels have one, the label's priority settles who leads
    const because = new Map<Intent, string[]>();
    const explain = (intent: Intent, why: string) => because.set(intent, [...(because.get(intent) ?? []), why]);
    const cued = this.rules
      .map((rule) => ({ rule, hit: firstMatch(rule.cues, rule.intent === 'fault_report' ? request : norm) }))
      .filter((c): c is { rule: LabelRules; hit: string } => c.hit !== undefined)
      .sort((a, b) => b.rule.priority - a.rule.priority);
    cued.forEach(({ rule, hit }, rank) => {
      const bonus = (rank === 0 ? CUE_BONUS : OUTRANKED_CUE_BONUS) + PRIORITY_STEP * rule.priority;
      scores.set(rule.intent, (scores.get(rule.intent) ?? 0) + bonus);
      explain(rule.intent, `cue "${hit}"`);
    });
    const cuedIntents = new Set(cued.map((c) => c.rule.intent));

    // (c) structural hints
    if (entities.ticketId && [...cuedIntents].every((i) => i === 'ticket_status')) {
      scores.set('ticket_status', (scores.get('ticket_status') ?? 0) + TICKET_ID_BONUS);
      explain('ticket_status', `ticket id ${entities.ticketId}`);
    }
    const praise = firstMatch(this.praiseWords, norm);
    if (praise && !cuedIntents.has('complaint')) {
      scores.set('rating', (scores.get('rating') ?? 0) + PRAISE_BONUS);
      explain('rating', `praise "${praise}"`);
    }
    // Words of the trade (手机, 保修, 网点 …) mean the message is about after-sales, never 'other'.
    const domain = firstMatch(this.domainWords, norm) ?? entities.modelId ?? entities.category ?? entities.serial ?? entities.ticketId;
    if (domain) scores.set('other', (scores.get('other') ?? 0) * 0.3);
    const symptom = firstMatch(this.symptoms, norm);
    const repair = firstMatch(this.repairRequests, request);
    const questionWord = firstMatch(this.questionWords, norm) ?? A_NOT_A.exec(norm.compact)?.[0];
    // A bare 吗 ends small talk too (你吃饭了吗); it marks a product question only next to a trade word.
    const question = questionWord ?? (domain && /[吗么嘛][啊呀呢]?$|\?\s*$/u.test(norm.spaced) ? 'a yes/no question' : undefined);
    // A question about a policy (运费, 三包, 发票 …) is a question even when it names a fault (屏幕碎了保不保).
    const policy = question ? firstMatch(this.policyWords, norm) : undefined;
    if (question && (!symptom || policy)) {
      scores.set('faq', (scores.get('faq') ?? 0) + QUESTION_BONUS + (policy ? POLICY_BONUS : 0));
      explain(
        'faq',
        policy
          ? `question about the policy "${policy}"`
          : questionWord
            ? `question "${questionWord}" without a symptom`
            : `${question} about "${domain}" without a symptom`,
      );
    }
    // 屏幕碎了换屏多少钱: with a question about the policy the fault is context, not a request or a fault to fix.
    if (symptom && repair && !policy) {
      scores.set('fault_report', (scores.get('fault_report') ?? 0) + SYMPTOM_BONUS);
      explain('fault_report', `symptom "${symptom}" with a repair request "${repair}"`);
    } else if (symptom && !policy) {
      scores.set('troubleshoot', (scores.get('troubleshoot') ?? 0) + SYMPTOM_BONUS);
      explain('troubleshoot', `symptom "${symptom}" without a repair request`);
    }
    const offTopic = domain || cued.length > 0 ? undefined : firstMatch(this.offTopicWords, norm);
    if (offTopic) {
      scores.set('other', (scores.get('other') ?? 0) + OFF_TOPIC_BONUS);
      explain('other', `off-topic "${offTopic}" without a word of the trade`);
    }
    if (norm.compact && this.isOnlyGreeting(norm)) {
      scores.set('greeting', (scores.get('greeting') ?? 0) + GREETING_BONUS);
      explain('greeting', 'only a greeting');
    } else {
      // A greeting in front of a request ("你好，我手机充不进电") is about the request.
      scores.set('greeting', (scores.get('greeting') ?? 0) * 0.3);
    }

    const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
    const [winner, topScore] = ranked[0];
    const decided = because.get(winner) ?? [];
    if (decided.length === 0 && !domain && topScore < NOTHING_FITS && winner !== 'other') {
      return {
        intent: 'other',
        confidence: round(1 - topScore / NOTHING_FITS),
        reason: `nothing fits: closest was ${winner} (${topScore.toFixed(2)})${this.nearestText(nearest.get(winner))}`,
        entities,
        alternatives: [{ intent: winner, confidence: round(topScore) }],
      };
    }
    const weights = ranked.map(([intent, score]) => ({ intent, weight: Math.exp((score - topScore) / TEMPERATURE) }));
    const total = weights.reduce((sum, w) => sum + w.weight, 0);
    const confidences = weights.map((w) => ({ intent: w.intent, confidence: round(w.weight / total) }));
    const examples = this.nearestText(nearest.get(winner));
    const reason =
      decided.length > 0
        ? `${decided.join('; ')}${examples ? `;${examples}` : ''}`
        : `nearest examples:${examples.replace(/^ nearest examples:/, '') || ' none'} (similarity ${bestSimilarity.toFixed(2)})`;
    return {
      intent: winner,
      confidence: confidences[0].confidence,
      reason,
      entities,
      alternatives: confidences.slice(1, 4).filter((c) => c.confidence > 0),
    };
  }

  private nearestText(examples: Example[] | undefined): string {
    if (!examples || examples.length === 0) return '';
    return ` nearest examples: ${examples.map((e) => `"${e.text}"`).join(', ')}`;
  }

  private isOnlyGreeting(norm: Normalized): boolean {
    let rest = norm.spaced;
    for (const word of this.greetingWords) rest = rest.split(word).join(' ');
    return compactOf(rest).replace(/[啊呀哦哇嘛呢吧哈吗么]/g, '').length === 0;
  }

  private vectorOf(counts: Map<string, number>): Map<string, number> {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [f, tf] of counts) {
      const idf = this.idf.get(f);
      // Features no example has cannot point at any label; leaving them out keeps long messages
      // about one product from drowning the few words that say what is wanted.
      if (idf === undefined) continue;
      const w = (1 + Math.log(tf)) * idf;
      vector.set(f, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [f, w] of vector) vector.set(f, w / norm);
    return vector;
  }

  /** The message without cues that a negator calls off (不用修了, 我不想投诉), so that neither cue nor similarity sees them. */
  private withoutNegatedCues(lowered: string): string {
    let out = lowered;
    if (this.negatedHan) out = out.replace(this.negatedHan, '，');
    if (this.negatedLatin) out = out.replace(this.negatedLatin, ', ');
    return out;
  }

  /** The message without ids and numbers, which would otherwise look like words to the similarity. */
  private withoutIds(lowered: string): string {
    return lowered
      .replace(new RegExp(TICKET_ID.source, 'gi'), ' ')
      .replace(/[a-z]{2}\d[a-z0-9]{6,}/gi, ' ')
      .replace(/\+?\d[\d\s-]{6,}\d/g, ' ');
  }

  private entitiesOf(text: string, options: RecognizeOptions): Entities {
    const entities: Entities = {};
    const folded = text.normalize('NFKC');
    let rest = folded;
    const ticket = TICKET_ID.exec(folded);
    if (ticket) {
      entities.ticketId = `S${ticket[1]}-${ticket[2]}`;
      rest = rest.replace(ticket[0], ' ');
    }
    const upper = rest.toUpperCase().replace(/(?<=[A-Z0-9])[\s-](?=[A-Z0-9])/g, '');
    for (const { category, pattern } of this.serialPatterns) {
      const m = pattern.exec(upper);
      if (m) {
        entities.serial = m[0];
        entities.category = category;
        rest = rest.toUpperCase().replace(m[0], ' ');
        break;
      }
    }
    const orderId = extractTaobaoOrderId(rest);
    if (orderId) {
      entities.taobaoOrderId = orderId;
      rest = rest
        .normalize('NFKC')
        .replace(/(?<=\d)[\s-]+(?=\d)/g, '')
        .replace(orderId, ' ');
    }
    const phone = extractMobile(rest);
    if (phone) {
      entities.phone = phone;
      rest = rest.replace(/[\s\-()（）]/g, '').replace(phone, ' ');
    }
    const compact = compactOf(normalize(rest));
    const model = this.modelNames.find((m) => compact.includes(m.name) && !this.insideLatinWord(compact, m.name));
    if (model) {
      entities.modelId = model.id;
      entities.category ??= model.category;
    }
    if (!entities.category) {
      const lowered = normalize(rest);
      const category = this.categoryWords.find(({ word }) =>
        HAN.test(word) ? lowered.includes(word) : new RegExp(`(?<![a-z])${escapeRegExp(word)}(?![a-z])`).test(lowered),
      );
      if (category) entities.category = category.id;
    }
    if (options.today) {
      const date = parsePurchaseDate(rest, options.today);
      if (date.ok) entities.date = date.date;
    }
    return entities;
  }

  /** "x20" inside "x200" or "ax3000" inside "bax3000x" is not that model. */
  private insideLatinWord(compact: string, name: string): boolean {
    const at = compact.indexOf(name);
    const before = compact[at - 1] ?? '';
    const after = compact[at + name.length] ?? '';
    const alnum = /[a-z0-9]/;
    return (alnum.test(name[0]) && alnum.test(before)) || (alnum.test(name[name.length - 1]) && alnum.test(after));
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
