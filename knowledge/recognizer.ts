import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { extractMobile } from './contacts';
import { knowledgeDataDir } from './dataFiles';
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

const IntentSpec = z.object({
  description: z.string().optional(),
  priority: z.number().default(0),
  cues: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  patterns: z.array(z.string()).default([]),
  examples: z.array(z.union([z.string(), z.number()]).transform(String)).min(1),
});

const HintWords = z.array(z.union([z.string(), z.number()]).transform(String)).default([]);

const Hints = z
  .object({ symptoms: HintWords, repairRequests: HintWords, questionWords: HintWords, greetings: HintWords, praise: HintWords, domain: HintWords })
  .default({ symptoms: [], repairRequests: [], questionWords: [], greetings: [], praise: [], domain: [] });

/** Built on first use: intents.ts imports this module before INTENTS exists (see the note there). */
function intentFileSchema() {
  return z.object({ intents: z.record(z.enum(INTENTS), IntentSpec), hints: Hints });
}
export interface IntentFile {
  intents: Partial<Record<Intent, z.infer<typeof IntentSpec>>>;
  hints: z.infer<typeof Hints>;
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
/** Below this best score with no cue or hint, nothing fits and the message is 'other'. */
const NOTHING_FITS = 0.15;
/** Softmax temperature that turns scores into confidences. */
const TEMPERATURE = 0.12;

/** Ticket numbers such as S261122-0042 (after NFKC, so full-width Ｓ２６… too). */
const TICKET_ID = /(?<![a-z0-9])s\s*(\d{6})\s*[-–—]?\s*(\d{4,})(?!\d)/i;
/** Taobao order numbers: 16–19 digits standing alone. */
const TAOBAO_ORDER = /(?<!\d)(\d{16,19})(?!\d)/;
const HAN = /\p{Script=Han}/u;

/** English words that say nothing about what the customer wants. */
const STOPWORDS = new Set(
  'a an the i my me you your to is are am be it of for and or in on at this that with do does can could would will please hi its im'.split(' '),
);

interface Example {
  intent: Intent;
  text: string;
  vector: Map<string, number>;
}

interface CueRule {
  /** The words that matched, for `reason`; undefined when the rule does not apply. */
  match: (text: Normalized) => string | undefined;
}

interface Normalized {
  /** NFKC, lower case, ids removed, whitespace collapsed: for Latin word boundaries. */
  spaced: string;
  /** The same without spaces and punctuation: for Chinese cues. */
  compact: string;
}

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function compactOf(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** A crude English stemmer: enough that "charging" meets "charge" and "repairs" meets "repair". */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * The features of a message: Han unigrams and bigrams (Chinese has no spaces, and bigrams catch most
 * two-character words without a dictionary) and stemmed Latin words.
 */
function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run];
    chars.forEach((c, i) => {
      // Single characters are ambiguous (修 in 修好了 and in 报修); bigrams carry the meaning.
      add(`u:${c}`, 0.5);
      if (i + 1 < chars.length) add(`b:${c}${chars[i + 1]}`, 1);
    });
  }
  const words = (text.match(/[a-z]+(?:'[a-z]+)?/g) ?? []).map((w) => w.replace(/'.*$/, '')).filter((w) => !STOPWORDS.has(w));
  words.forEach((w, i) => {
    add(`w:${stem(w)}`, 1);
    if (i + 1 < words.length) add(`w2:${stem(w)}_${stem(words[i + 1])}`, 0.5);
  });
  return counts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A cue as a test: Latin cues must be whole words ("hi" is not in "this"), Chinese ones anywhere. */
function cueRule(cue: string): CueRule {
  // "/…/" in the data file is a regular expression, for the few words that need an exception (电视 but not 电视剧).
  if (cue.length > 2 && cue.startsWith('/') && cue.endsWith('/')) return patternRule(cue.slice(1, -1));
  const bare = normalize(cue).trim();
  if (/^[a-z0-9 '’]+$/.test(bare) && /[a-z]/.test(bare)) {
    const re = new RegExp(`(?<![a-z])${bare.split(/\s+/).map(escapeRegExp).join('\\s+')}(?![a-z])`);
    return { match: (t) => re.exec(t.spaced)?.[0] };
  }
  const compact = compactOf(bare);
  return { match: (t) => (compact.length > 0 && t.compact.includes(compact) ? compact : undefined) };
}

function patternRule(pattern: string): CueRule {
  const re = new RegExp(pattern, 'iu');
  return { match: (t) => re.exec(t.compact)?.[0] || undefined };
}

/** knowledge/data/intents.yaml, found from the project root so the build in dist/ reads the source copy. */
export function defaultIntentsFile(): string {
  return path.join(knowledgeDataDir(), 'intents.yaml');
}

/** Reads and validates an intents file; the error names the offending field for the service lead. */
export function loadIntentFile(file: string): IntentFile {
  const raw: unknown = parseYaml(readFileSync(file, 'utf8'));
  const parsed = intentFileSchema().safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${issues}`);
  }
  return parsed.data;
}

interface LabelRules {
  intent: Intent;
  priority: number;
  cues: CueRule[];
}

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
  private readonly serialPatterns: { category: string; pattern: RegExp }[];
  private readonly modelNames: { id: string; category: string; name: string }[];
  private readonly categoryWords: { id: string; word: string }[];

  /** Loads knowledge/data/intents.yaml (or `file`); throws with the offending field when it is malformed. */
  static fromFile(file: string = defaultIntentsFile(), products?: ProductVocabulary): IntentRecognizer {
    return new IntentRecognizer(loadIntentFile(file), products);
  }

  /** Without `data`, the shipped file: scripts/eval.ts builds the recognizer with a bare `new`. */
  constructor(data: IntentFile = loadIntentFile(defaultIntentsFile()), products?: ProductVocabulary) {
    const documents: { intent: Intent; text: string; features: Map<string, number> }[] = [];
    for (const intent of INTENTS) {
      for (const text of data.intents[intent]?.examples ?? []) {
        documents.push({ intent, text, features: features(this.withoutIds(normalize(text))) });
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
    this.symptoms = data.hints.symptoms.map(cueRule);
    this.repairRequests = data.hints.repairRequests.map(cueRule);
    this.questionWords = data.hints.questionWords.map(cueRule);
    this.praiseWords = data.hints.praise.map(cueRule);
    this.domainWords = [
      ...data.hints.domain,
      ...(products?.categories ?? []).flatMap((c) => c.words),
    ].map(cueRule);
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
    const lowered = this.withoutIds(normalize(text));
    const norm: Normalized = { spaced: lowered.replace(/\s+/g, ' ').trim(), compact: compactOf(lowered) };
    if (!norm.compact && !entities.ticketId) {
      return { intent: 'other', confidence: 0, reason: 'empty message', entities, alternatives: [] };
    }

    // (b) nearest examples per label
    const query = this.vectorOf(features(norm.spaced));
    const sims = this.examples.map((example) => ({ example, sim: cosine(query, example.vector) })).sort((a, b) => b.sim - a.sim);
    const scores = new Map<Intent, number>();
    const nearest = new Map<Intent, Example[]>();
    for (const intent of INTENTS) {
      const top = sims.filter((s) => s.example.intent === intent).slice(0, 2);
      scores.set(intent, 0.6 * (top[0]?.sim ?? 0) + 0.4 * (top[1]?.sim ?? 0));
      nearest.set(intent, top.filter((s) => s.sim > 0).map((s) => s.example));
    }
    const bestSimilarity = Math.max(...scores.values());

    // (a) strong cues; when several labels have one, the label's priority settles who leads
    const because = new Map<Intent, string[]>();
    const explain = (intent: Intent, why: string) => because.set(intent, [...(because.get(intent) ?? []), why]);
    const cued = this.rules
      .map((rule) => ({ rule, hit: firstMatch(rule.cues, norm) }))
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
    const symptom = firstMatch(this.symptoms, norm);
    const repair = firstMatch(this.repairRequests, norm);
    if (symptom && repair) {
      scores.set('fault_report', (scores.get('fault_report') ?? 0) + SYMPTOM_BONUS);
      explain('fault_report', `symptom "${symptom}" with a repair request "${repair}"`);
    } else if (symptom) {
      scores.set('troubleshoot', (scores.get('troubleshoot') ?? 0) + SYMPTOM_BONUS);
      explain('troubleshoot', `symptom "${symptom}" without a repair request`);
    }
    const praise = firstMatch(this.praiseWords, norm);
    if (praise && !cuedIntents.has('complaint')) {
      scores.set('rating', (scores.get('rating') ?? 0) + PRAISE_BONUS);
      explain('rating', `praise "${praise}"`);
    }
    // Words of the trade (手机, 保修, 网点 …) mean the message is about after-sales, never 'other'.
    const domain =
      firstMatch(this.domainWords, norm) ?? entities.modelId ?? entities.category ?? entities.serial ?? entities.ticketId;
    if (domain) scores.set('other', (scores.get('other') ?? 0) * 0.3);
    const questionWord = firstMatch(this.questionWords, norm);
    // A bare 吗 ends small talk too (你吃饭了吗); it marks a product question only next to a trade word.
    const question = questionWord ?? (domain && /[吗么嘛][啊呀呢]?$|\?\s*$/u.test(norm.spaced) ? 'a yes/no question' : undefined);
    if (question && !symptom) {
      scores.set('faq', (scores.get('faq') ?? 0) + QUESTION_BONUS);
      explain('faq', questionWord ? `question "${questionWord}" without a symptom` : `${question} about "${domain}" without a symptom`);
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
    const order = TAOBAO_ORDER.exec(rest.replace(/\s+/g, ''));
    if (order) {
      entities.taobaoOrderId = order[1];
      rest = rest.replace(/\s+/g, '').replace(order[1], ' ');
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

function firstMatch(rules: CueRule[], text: Normalized): string | undefined {
  for (const rule of rules) {
    const hit = rule.match(text);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [f, w] of small) dot += w * (large.get(f) ?? 0);
  return dot;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
