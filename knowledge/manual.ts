import { namesForeignProduct } from './foreignProducts';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatPath, YamlSource, type FieldPath } from '../common/yamlSource';
import { z } from 'zod';
import { knowledgeDataDir } from './dataFiles';
import { readStepAnswer } from './guideAnswers';
import type {
  BranchOutcome,
  FaqEntry,
  FaqTopic,
  FaqTranslation,
  Guide,
  GuideBranch,
  GuideStep,
  Manual,
  StepTranslation,
  SynonymGroup,
} from './manualTypes';

/*
 * The service manual is edited by service leads, not programmers, so every mistake is reported with
 * the file, line and field it is on, all at once, rather than one crash at a time.
 */

// A Record forces this list to name every FaqTopic: adding a topic to manualTypes.ts without adding it
// here fails to compile instead of silently rejecting the new topic in the YAML.
const TOPICS: Record<FaqTopic, true> = {
  howto: true,
  settings: true,
  charging: true,
  network: true,
  display: true,
  sound: true,
  updates: true,
  data: true,
  accessories: true,
  warranty: true,
  service: true,
};
export const FAQ_TOPICS = Object.keys(TOPICS) as [FaqTopic, ...FaqTopic[]];

/** Where a guide branch may lead besides another step: the customer is helped, or it becomes a 报修. */
export const GUIDE_ENDS = ['solved', 'report'] as const;

const text = z.string().trim().min(1);
// Evaluation files and logs name entries by id, so ids stay plain: no spaces, no case differences.
const entryId = text.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and dashes, e.g. phone-fast-charge');
const textList = z.array(text).default([]);

// The annotations make the compiler check the schemas against the shapes in manualTypes.ts.
const faqEntrySchema: z.ZodType<FaqEntry> = z.strictObject({
  id: entryId,
  topic: z.enum(FAQ_TOPICS),
  question: text,
  similar: z.array(text).min(2),
  steps: z.array(text).min(1),
  tags: textList,
  categories: textList,
  models: textList,
});

export const BRANCH_OUTCOMES = ['good', 'bad'] as const satisfies readonly BranchOutcome[];

const branchSchema: z.ZodType<GuideBranch> = z.strictObject({ answer: text, next: text, outcome: z.enum(BRANCH_OUTCOMES).optional() });

const stepSchema: z.ZodType<GuideStep> = z.strictObject({
  id: text,
  instruction: text,
  detail: text,
  question: text,
  // A step with one way out is not a question; it belongs in the previous step's instruction.
  branches: z.array(branchSchema).min(2),
});

const guideSchema: z.ZodType<Guide> = z.strictObject({
  id: entryId,
  symptom: text,
  phrases: z.array(text).min(1),
  start: text,
  steps: z.array(stepSchema).min(1),
  categories: textList,
  models: textList,
});

const synonymGroupSchema: z.ZodType<SynonymGroup> = z.strictObject({ terms: z.array(text).min(2) });

export const faqFileSchema = z.strictObject({ faqs: z.array(faqEntrySchema).min(1) });
export const guideFileSchema = z.strictObject({ guides: z.array(guideSchema).min(1) });
export const synonymsFileSchema = z.strictObject({
  synonyms: z.array(synonymGroupSchema).default([]),
  dictionary: textList,
  notOurs: z.array(text).default([]),
  otherBrands: z.array(text).default([]),
});

/*
 * The English manual (en/faq.yaml, en/guides.yaml) is keyed by the Chinese manual's ids and answers,
 * so a translation can only say something about an entry, step or answer that exists.
 */
const faqTranslationSchema: z.ZodType<FaqTranslation> = z.strictObject({ question: text, steps: z.array(text).min(1) });

const stepTranslationSchema = z.strictObject({
  instruction: text,
  detail: text,
  question: text,
  /** Chinese answer → English answer, for every branch of the step. */
  answers: z.record(z.string(), text),
});

const guideTranslationSchema = z.strictObject({
  symptom: text,
  phrases: textList,
  steps: z.record(z.string(), stepTranslationSchema).default({}),
});

export const englishFaqFileSchema = z.record(z.string(), faqTranslationSchema);
export const englishGuideFileSchema = z.record(z.string(), guideTranslationSchema);

type EnglishStep = z.infer<typeof stepTranslationSchema>;
type EnglishGuide = z.infer<typeof guideTranslationSchema>;

/** One mistake in the manual: `faq/phone.yaml:12 faqs[3].similar: needs at least 2 item(s)`. */
export interface ManualProblem {
  /** Relative to the manual's folder, with forward slashes. */
  file: string;
  /** 1-based; absent only when the file or folder itself is missing. */
  line?: number;
  /** Field path such as `guides[0].steps[2].branches[1].next`; empty for the file as a whole. */
  path: string;
  reason: string;
}

export class ManualError extends Error {
  constructor(readonly problems: ManualProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ManualError';
  }
}

export function formatProblem(problem: ManualProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return problem.path ? `${where} ${problem.path}: ${problem.reason}` : `${where} ${problem.reason}`;
}

/** Product names the manual may mention; without them only the manual's own consistency is checked. */
export interface KnownProducts {
  categories: string[];
  models: string[];
}

export interface LoadManualOptions {
  known?: KnownProducts;
  /** Called after each file is read and validated: `done` of `total` files, `file` relative to the folder. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** Things worth knowing that are not mistakes (a step that asks what the customer sees), each at its line. */
  onNote?: (note: ManualProblem) => void;
}

/** One parsed YAML file of the manual: its problems carry the file's name. */
class SourceFile {
  private readonly yaml: YamlSource;

  constructor(
    readonly name: string,
    source: string,
  ) {
    this.yaml = new YamlSource(name, source);
  }

  problem(fieldPath: FieldPath, reason: string): ManualProblem {
    return { file: this.name, ...this.yaml.problem(fieldPath, reason) };
  }

  /** `faq/phone.yaml:12 faqs[3].id`, for naming the other place in a conflict. */
  where(fieldPath: FieldPath): string {
    return `${this.name}:${this.yaml.lineOf(fieldPath)} ${formatPath(fieldPath)}`;
  }

  parse<T>(schema: z.ZodType<T>, problems: ManualProblem[]): T | undefined {
    const parsed = this.yaml.parse(schema);
    if (parsed.ok) return parsed.value;
    problems.push(...parsed.problems.map((problem) => ({ file: this.name, ...problem })));
    return undefined;
  }
}

/** A loaded value and where it came from, so cross-checks can point at it. */
interface Located<T> {
  value: T;
  source: SourceFile;
  path: FieldPath;
}

type FileKind = 'faq' | 'guides' | 'synonyms' | 'en-faq' | 'en-guides';

const YAML_FILE = /\.ya?ml$/;

/** The translations' folder and its files; all optional, since a manual may not be translated yet. */
const ENGLISH_DIR = 'en';
const ENGLISH_FILES: Record<string, FileKind> = { faq: 'en-faq', guides: 'en-guides' };

function listFiles(dir: string, problems: ManualProblem[]): { kind: FileKind; name: string }[] {
  const files: { kind: FileKind; name: string }[] = [];
  for (const kind of ['faq', 'guides'] as const) {
    const folder = path.join(dir, kind);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      problems.push({ file: `${kind}/`, path: '', reason: 'folder is missing' });
      continue;
    }
    const names = readdirSync(folder)
      .filter((name) => YAML_FILE.test(name))
      .sort();
    if (!names.length) problems.push({ file: `${kind}/`, path: '', reason: 'has no .yaml files' });
    for (const name of names) files.push({ kind, name: `${kind}/${name}` });
  }
  if (existsSync(path.join(dir, 'synonyms.yaml'))) files.push({ kind: 'synonyms', name: 'synonyms.yaml' });
  else problems.push({ file: 'synonyms.yaml', path: '', reason: 'file is missing' });

  const english = path.join(dir, ENGLISH_DIR);
  if (existsSync(english) && statSync(english).isDirectory()) {
    for (const name of readdirSync(english)
      .filter((file) => YAML_FILE.test(file))
      .sort()) {
      const kind = ENGLISH_FILES[name.replace(YAML_FILE, '')];
      // A misspelt name (faqs.yaml) would otherwise be skipped without a word and look untranslated.
      if (kind) files.push({ kind, name: `${ENGLISH_DIR}/${name}` });
      else
        problems.push({ file: `${ENGLISH_DIR}/${name}`, path: '', reason: `unknown file: ${ENGLISH_DIR}/ holds faq.yaml and guides.yaml` });
    }
  }
  return files;
}

/**
 * The service manual in `dir` (default knowledge/data/): `faq/*.yaml`, `guides/*.yaml`,
 * `synonyms.yaml` and, when present, the English versions `en/faq.yaml` and `en/guides.yaml`, merged
 * into the entries as `en`. Throws a ManualError listing every problem found, as `file:line field: reason`.
 */
export function loadManual(dir: string = knowledgeDataDir(), options: LoadManualOptions = {}): Manual {
  if (!existsSync(dir)) throw new ManualError([{ file: dir, path: '', reason: 'folder is missing' }]);
  const problems: ManualProblem[] = [];
  const files = listFiles(dir, problems);
  const faqs: Located<FaqEntry>[] = [];
  const guides: Located<Guide>[] = [];
  const synonyms: Located<SynonymGroup>[] = [];
  const dictionary: string[] = [];
  const notOurs: Located<string>[] = [];
  const otherBrands: string[] = [];
  const englishFaqs: Located<FaqTranslation>[] = [];
  const englishGuides: Located<EnglishGuide>[] = [];

  files.forEach((file, index) => {
    const source = new SourceFile(file.name, readFileSync(path.join(dir, file.name), 'utf8'));
    if (file.kind === 'faq') {
      const data = source.parse(faqFileSchema, problems);
      data?.faqs.forEach((value, i) => faqs.push({ value, source, path: ['faqs', i] }));
    } else if (file.kind === 'guides') {
      const data = source.parse(guideFileSchema, problems);
      data?.guides.forEach((value, i) => guides.push({ value, source, path: ['guides', i] }));
    } else if (file.kind === 'synonyms') {
      const data = source.parse(synonymsFileSchema, problems);
      data?.synonyms.forEach((value, i) => synonyms.push({ value, source, path: ['synonyms', i] }));
      if (data) dictionary.push(...data.dictionary);
      data?.notOurs.forEach((value, i) => notOurs.push({ value, source, path: ['notOurs', i] }));
      if (data) otherBrands.push(...data.otherBrands);
    } else if (file.kind === 'en-faq') {
      const data = source.parse(englishFaqFileSchema, problems);
      for (const [id, value] of Object.entries(data ?? {})) englishFaqs.push({ value, source, path: [id] });
    } else {
      const data = source.parse(englishGuideFileSchema, problems);
      for (const [id, value] of Object.entries(data ?? {})) englishGuides.push({ value, source, path: [id] });
    }
    options.onProgress?.(index + 1, files.length, file.name);
  });

  problems.push(...checkFaqs(faqs), ...checkGuides(guides), ...checkOutcomes(guides, options.onNote), ...checkSynonyms(synonyms));
  problems.push(...checkNotOurs(notOurs, faqs, guides));
  problems.push(...translateFaqs(faqs, englishFaqs), ...translateGuides(guides, englishGuides));
  problems.push(...checkGuidesMove(guides));
  if (options.known) problems.push(...checkKnown([...faqs, ...guides], options.known));
  if (problems.length) throw new ManualError(problems);
  return {
    faqs: faqs.map((entry) => entry.value),
    guides: guides.map((entry) => entry.value),
    synonyms: synonyms.map((entry) => entry.value),
    dictionary,
    notOurs: notOurs.map((word) => word.value),
    otherBrands,
  };
}

/** Two places claiming the same key: the later one is reported, naming the first. */
function firstClaims(problems: ManualProblem[]) {
  const seen = new Map<string, { source: SourceFile; path: FieldPath }>();
  return (key: string, source: SourceFile, fieldPath: FieldPath, reason: (first: string) => string): void => {
    const first = seen.get(key);
    if (first) problems.push(source.problem(fieldPath, reason(first.source.where(first.path))));
    else seen.set(key, { source, path: fieldPath });
  };
}

/** Questions are compared without spaces, punctuation and case: 耳机咋连？ and 耳机 咋连 are one question. */
function questionKey(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

function checkFaqs(faqs: Located<FaqEntry>[]): ManualProblem[] {
  const problems: ManualProblem[] = [];
  const claimId = firstClaims(problems);
  // The same wording under two entries would make retrieval pick one of them at random.
  const claimQuestion = firstClaims(problems);
  for (const { value, source, path: at } of faqs) {
    claimId(value.id, source, [...at, 'id'], (first) => `duplicate FAQ id "${value.id}" (also ${first})`);
    const asked: [string, FieldPath][] = [
      [value.question, [...at, 'question']],
      ...value.similar.map((similar, i): [string, FieldPath] => [similar, [...at, 'similar', i]]),
    ];
    for (const [question, fieldPath] of asked) {
      claimQuestion(questionKey(question), source, fieldPath, (first) => `"${question}" is already asked at ${first}`);
    }
  }
  return problems;
}

function checkGuides(guides: Located<Guide>[]): ManualProblem[] {
  const problems: ManualProblem[] = [];
  const claimId = firstClaims(problems);
  for (const { value: guide, source, path: at } of guides) {
    claimId(guide.id, source, [...at, 'id'], (first) => `duplicate guide id "${guide.id}" (also ${first})`);

    const stepIndex = new Map<string, number>();
    guide.steps.forEach((step, i) => {
      const stepAt = [...at, 'steps', i, 'id'];
      if ((GUIDE_ENDS as readonly string[]).includes(step.id)) {
        problems.push(source.problem(stepAt, `"${step.id}" is reserved for the end of a guide; name the step differently`));
      } else if (stepIndex.has(step.id)) {
        problems.push(source.problem(stepAt, `duplicate step id "${step.id}" (also steps[${stepIndex.get(step.id)}])`));
      } else stepIndex.set(step.id, i);
    });
    const targets = `a step id of this guide (${[...stepIndex.keys()].join(', ')}) or ${GUIDE_ENDS.join('/')}`;
    const leadsSomewhere = (next: string): boolean => stepIndex.has(next) || (GUIDE_ENDS as readonly string[]).includes(next);

    const startValid = stepIndex.has(guide.start);
    if (!startValid) problems.push(source.problem([...at, 'start'], `"${guide.start}" is not ${targets}`));
    guide.steps.forEach((step, i) => {
      const answers = new Set<string>();
      step.branches.forEach((branch, b) => {
        const branchAt = [...at, 'steps', i, 'branches', b];
        if (!leadsSomewhere(branch.next)) problems.push(source.problem([...branchAt, 'next'], `"${branch.next}" is not ${targets}`));
        // The dialog matches the customer's reply against the answers; two equal ones cannot be told apart.
        if (answers.has(branch.answer))
          problems.push(source.problem([...branchAt, 'answer'], `"${branch.answer}" is already an answer of this step`));
        answers.add(branch.answer);
      });
    });

    // Reachability only means something once the start is right; otherwise every step would be reported.
    if (startValid) {
      const reached = new Set<string>([guide.start]);
      const queue = [guide.start];
      for (let stepId = queue.shift(); stepId !== undefined; stepId = queue.shift()) {
        const step = guide.steps[stepIndex.get(stepId) as number];
        for (const { next } of step.branches) {
          if (stepIndex.has(next) && !reached.has(next)) {
            reached.add(next);
            queue.push(next);
          }
        }
      }
      for (const [stepId, i] of stepIndex) {
        if (!reached.has(stepId)) {
          problems.push(source.problem([...at, 'steps', i, 'id'], `step "${stepId}" is unreachable from start "${guide.start}"`));
        }
      }
    }

    // A loop with no way out would keep the customer in the guide forever.
    const finishes = new Set<string>();
    for (let grew = true; grew;) {
      grew = false;
      for (const step of guide.steps) {
        if (finishes.has(step.id)) continue;
        if (step.branches.some(({ next }) => (GUIDE_ENDS as readonly string[]).includes(next) || finishes.has(next))) {
          finishes.add(step.id);
          grew = true;
        }
      }
    }
    for (const [stepId, i] of stepIndex) {
      if (!finishes.has(stepId)) {
        problems.push(source.problem([...at, 'steps', i, 'id'], `step "${stepId}" never leads to ${GUIDE_ENDS.join(' or ')}`));
      }
    }
  }
  return problems;
}

// Wording of an answer, for steps whose outcome neither `outcome` nor `next` gives. 不/没 in the
// first three characters is a negative (不亮, 看不到, 也连不上); 还/仍 start "still not" (还掉线, 还是黑屏).
const NEGATIVE_ANSWER = /^(还|仍|依然|完全没)|^.{0,2}[不没]/;
const AFFIRMATIVE_ANSWER = /^(好|行|可以|能|有|亮|连上|同步|正常|解决)/;

/** A branch's outcome: as written, else from where it leads, else from its wording; undefined when none tells. */
export function outcomeOf(branch: GuideBranch): BranchOutcome | undefined {
  if (branch.outcome) return branch.outcome;
  // Where it leads beats the words: 不烫了 → solved is good, 有（鼓包）→ report is bad.
  if (branch.next === 'solved') return 'good';
  if (branch.next === 'report') return 'bad';
  if (NEGATIVE_ANSWER.test(branch.answer)) return 'bad';
  if (AFFIRMATIVE_ANSWER.test(branch.answer)) return 'good';
  return undefined;
}

/**
 * Resolves every branch's outcome (stored on the branch) and checks the convention the dialog relies
 * on: in a step that asks whether something helped (it has a good answer), the first answer is the
 * good one and the last the bad one, because a free-form 好了 / 没好 picks them. A step with no good
 * answer asks what the customer sees (有没有鼓包, 所有设备都断还是个别设备); there 好了 / 没好 mean
 * nothing, the dialog does not take them, and the step is only noted.
 */
function checkOutcomes(guides: Located<Guide>[], onNote?: (note: ManualProblem) => void): ManualProblem[] {
  const problems: ManualProblem[] = [];
  for (const { value: guide, source, path: at } of guides) {
    guide.steps.forEach((step, i) => {
      const stepAt = [...at, 'steps', i];
      step.branches.forEach((branch, b) => {
        const contradicts =
          (branch.outcome === 'good' && branch.next === 'report') || (branch.outcome === 'bad' && branch.next === 'solved');
        if (contradicts)
          problems.push(source.problem([...stepAt, 'branches', b, 'outcome'], `"${branch.outcome}" contradicts next: ${branch.next}`));
      });
      const outcomes = step.branches.map(outcomeOf);
      step.branches.forEach((branch, b) => {
        branch.outcome = outcomes[b];
      });
      if (!outcomes.includes('good')) {
        onNote?.(
          source.problem(
            [...stepAt, 'id'],
            `"${step.id}" asks what the customer sees (no answer is a good outcome), so a free-form 好了/没好 is not taken as its answer`,
          ),
        );
        return;
      }
      const last = step.branches.length - 1;
      if (outcomes[0] !== 'good') {
        problems.push(
          source.problem(
            [...stepAt, 'branches', 0],
            `"${step.branches[0].answer}" is ${describeOutcome(outcomes[0])}, but a free-form 好了 picks the first answer: put the good answer ("${step.branches[outcomes.indexOf('good')].answer}") first, or mark this one outcome: good`,
          ),
        );
      }
      if (outcomes[last] !== 'bad') {
        problems.push(
          source.problem(
            [...stepAt, 'branches', last],
            `"${step.branches[last].answer}" is ${describeOutcome(outcomes[last])}, but a free-form 没好 picks the last answer: put the bad answer last, or mark this one outcome: bad`,
          ),
        );
      }
    });
  }
  return problems;
}

/**
 * What the troubleshooting dialog relies on to move every guide (issue 12): a guide names its
 * product, so a symptom is never answered with another product's steps; and every button of a step,
 * in each language, is read as that button. (That the last answer, which the guide takes when the
 * customer cannot do or answer the step, never ends solved follows from checkOutcomes: solved is a
 * good outcome, and the last answer must be the bad one.)
 */
function checkGuidesMove(guides: Located<Guide>[]): ManualProblem[] {
  const problems: ManualProblem[] = [];
  for (const { value: guide, source, path: at } of guides) {
    if (!guide.categories.length) {
      problems.push(
        source.problem(
          [...at, 'categories'],
          'name the product category this guide is for, so that it is never offered for another product',
        ),
      );
    }
    guide.steps.forEach((step, i) => {
      const stepAt = [...at, 'steps', i];
      // Two equal answers are reported by checkGuides already; they cannot be told apart here either.
      if (new Set(step.branches.map((branch) => branch.answer)).size < step.branches.length) return;
      step.branches.forEach((branch, b) => {
        for (const [label, locale] of [
          [branch.answer, 'zh-CN'],
          [branch.en?.answer, 'en'],
        ] as const) {
          if (!label) continue;
          const reading = readStepAnswer(label, step, { locale, dontKnowButtons: [] });
          if (reading.kind !== 'branch' || reading.index !== b) {
            problems.push(
              source.problem(
                [...stepAt, 'branches', b, 'answer'],
                `the button "${label}" would not be read as itself (${reading.kind === 'branch' ? `but as "${step.branches[reading.index].answer}"` : reading.kind}): reword it`,
              ),
            );
          }
        }
      });
    });
  }
  return problems;
}

function describeOutcome(outcome: BranchOutcome | undefined): string {
  if (outcome === undefined) return 'neither a good nor a bad outcome (not solved/report, not worded like 好了/没好)';
  return outcome === 'good' ? 'a good outcome' : 'a bad outcome';
}

/** Merges en/faq.yaml into the entries; an entry left out stays Chinese only. */
function translateFaqs(faqs: Located<FaqEntry>[], translations: Located<FaqTranslation>[]): ManualProblem[] {
  const problems: ManualProblem[] = [];
  const byId = new Map<string, Located<FaqEntry>>();
  for (const faq of faqs) if (!byId.has(faq.value.id)) byId.set(faq.value.id, faq);
  for (const { value, source, path: at } of translations) {
    const id = String(at[0]);
    const faq = byId.get(id);
    if (!faq) {
      problems.push(source.problem(at, `no FAQ entry has the id "${id}"`));
      continue;
    }
    // A different count means the Chinese steps changed since the translation: the English would be stale.
    if (value.steps.length !== faq.value.steps.length) {
      problems.push(
        source.problem(
          [...at, 'steps'],
          `has ${value.steps.length} step(s), the Chinese entry has ${faq.value.steps.length} (${faq.source.where([...faq.path, 'steps'])})`,
        ),
      );
      continue;
    }
    faq.value.en = value;
  }
  return problems;
}

/** Merges en/guides.yaml into the guides; a guide or step left out stays Chinese only. */
function translateGuides(guides: Located<Guide>[], translations: Located<EnglishGuide>[]): ManualProblem[] {
  const problems: ManualProblem[] = [];
  const byId = new Map<string, Located<Guide>>();
  for (const guide of guides) if (!byId.has(guide.value.id)) byId.set(guide.value.id, guide);
  for (const { value, source, path: at } of translations) {
    const id = String(at[0]);
    const located = byId.get(id);
    if (!located) {
      problems.push(source.problem(at, `no guide has the id "${id}"`));
      continue;
    }
    const guide = located.value;
    guide.en = { symptom: value.symptom, phrases: value.phrases };
    for (const [stepId, english] of Object.entries(value.steps)) {
      const stepAt = [...at, 'steps', stepId];
      const i = guide.steps.findIndex((step) => step.id === stepId);
      if (i < 0) {
        problems.push(
          source.problem(stepAt, `guide "${id}" has no step "${stepId}" (its steps: ${guide.steps.map((step) => step.id).join(', ')})`),
        );
        continue;
      }
      const stepProblems = translateStep(
        guide.steps[i],
        english,
        source,
        stepAt,
        located.source.where([...located.path, 'steps', i, 'branches']),
      );
      problems.push(...stepProblems);
    }
  }
  return problems;
}

function translateStep(step: GuideStep, english: EnglishStep, source: SourceFile, at: FieldPath, chineseAt: string): ManualProblem[] {
  const problems: ManualProblem[] = [];
  const chinese = new Set(step.branches.map((branch) => branch.answer));
  const known = step.branches.map((branch) => branch.answer).join(', ');
  // The English buttons are matched against the customer's reply: two alike could not be told apart.
  const claimed = new Map<string, string>();
  for (const [answer, translation] of Object.entries(english.answers)) {
    const answerAt = [...at, 'answers', answer];
    if (!chinese.has(answer)) {
      problems.push(source.problem(answerAt, `"${answer}" is not an answer of this step (its answers: ${known})`));
      continue;
    }
    const key = questionKey(translation);
    const twin = claimed.get(key);
    if (twin !== undefined) problems.push(source.problem(answerAt, `"${translation}" is already the English of "${twin}"`));
    else claimed.set(key, answer);
  }
  for (const answer of chinese) {
    if (!(answer in english.answers))
      problems.push(source.problem([...at, 'answers'], `no English for the answer "${answer}" (${chineseAt})`));
  }
  if (problems.length) return problems;
  const translation: StepTranslation = { instruction: english.instruction, detail: english.detail, question: english.question };
  step.en = translation;
  for (const branch of step.branches) branch.en = { answer: english.answers[branch.answer] };
  return problems;
}

/** How much of the manual an English customer gets in English; the rest falls back to Chinese. */
export interface EnglishCoverage {
  faqs: { translated: number; total: number; missing: string[] };
  /** A guide counts when it and every one of its steps are translated. */
  guides: { translated: number; total: number; missing: string[] };
  steps: { translated: number; total: number };
}

export function englishCoverage(manual: Manual): EnglishCoverage {
  const guideDone = (guide: Guide): boolean => Boolean(guide.en) && guide.steps.every((step) => step.en);
  const steps = manual.guides.flatMap((guide) => guide.steps);
  return {
    faqs: {
      translated: manual.faqs.filter((faq) => faq.en).length,
      total: manual.faqs.length,
      missing: manual.faqs.filter((faq) => !faq.en).map((faq) => faq.id),
    },
    guides: {
      translated: manual.guides.filter(guideDone).length,
      total: manual.guides.length,
      missing: manual.guides.filter((guide) => !guideDone(guide)).map((guide) => guide.id),
    },
    steps: { translated: steps.filter((step) => step.en).length, total: steps.length },
  };
}

function checkSynonyms(groups: Located<SynonymGroup>[]): ManualProblem[] {
  const problems: ManualProblem[] = [];
  // A term in two groups would make the two groups one, which is never what the editor meant.
  const claimTerm = firstClaims(problems);
  for (const { value, source, path: at } of groups) {
    // Spellings of one term within its own group (WiFi, wifi) are harmless, so only the first counts.
    const own = new Set<string>();
    value.terms.forEach((term, i) => {
      const key = questionKey(term);
      if (own.has(key)) return;
      own.add(key);
      claimTerm(key, source, [...at, 'terms', i], (first) => `"${term}" is already a term at ${first}`);
    });
  }
  return problems;
}

/** A product listed as not ours must not be what an entry is about: the entry could never be answered. */
function checkNotOurs(words: Located<string>[], faqs: Located<FaqEntry>[], guides: Located<Guide>[]): ManualProblem[] {
  const problems: ManualProblem[] = [];
  const asked = [
    ...faqs.flatMap(({ value }) => [value.question, ...value.similar].map((text) => ({ id: value.id, text }))),
    ...guides.flatMap(({ value }) => [value.symptom, ...value.phrases].map((text) => ({ id: value.id, text }))),
  ];
  for (const { value, source, path: at } of words) {
    const used = asked.find((phrase) => namesForeignProduct([value.toLowerCase()], phrase.text));
    if (used) problems.push(source.problem(at, `"${value}" is listed as not ours, but "${used.id}" is asked as "${used.text}"`));
  }
  return problems;
}

function checkKnown(entries: Located<FaqEntry | Guide>[], known: KnownProducts): ManualProblem[] {
  const problems: ManualProblem[] = [];
  const categories = new Set(known.categories);
  const models = new Set(known.models);
  for (const { value, source, path: at } of entries) {
    value.categories.forEach((category, i) => {
      if (!categories.has(category)) {
        problems.push(source.problem([...at, 'categories', i], `unknown category "${category}" (known: ${known.categories.join(', ')})`));
      }
    });
    value.models.forEach((model, i) => {
      if (!models.has(model)) problems.push(source.problem([...at, 'models', i], `unknown model "${model}"`));
    });
  }
  return problems;
}
