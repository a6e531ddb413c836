/** The manual's consistency: ids, where guide branches lead, outcomes, synonyms and products named. */
import type { FieldPath } from '../common/yamlSource';
import { readStepAnswer } from './guideAnswers';
import { GUIDE_ENDS } from './manualSchema';
import { firstClaims, questionKey, type Located, type ManualProblem } from './manualSource';
import { scopeOfNotOurs } from './productScope';
import type { BranchOutcome, FaqEntry, Guide, GuideBranch, SynonymGroup } from './manualTypes';

/** Product names the manual may mention; without them only the manual's own consistency is checked. */
export interface KnownProducts {
  categories: string[];
  models: string[];
}

export function checkFaqs(faqs: Located<FaqEntry>[]): ManualProblem[] {
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

export function checkGuides(guides: Located<Guide>[]): ManualProblem[] {
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
export function checkOutcomes(guides: Located<Guide>[], onNote?: (note: ManualProblem) => void): ManualProblem[] {
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
export function checkGuidesMove(guides: Located<Guide>[]): ManualProblem[] {
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

export function checkSynonyms(groups: Located<SynonymGroup>[]): ManualProblem[] {
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
export function checkNotOurs(words: Located<string>[], faqs: Located<FaqEntry>[], guides: Located<Guide>[]): ManualProblem[] {
  const problems: ManualProblem[] = [];
  const asked = [
    ...faqs.flatMap(({ value }) => [value.question, ...value.similar].map((text) => ({ id: value.id, text }))),
    ...guides.flatMap(({ value }) => [value.symptom, ...value.phrases].map((text) => ({ id: value.id, text }))),
  ];
  for (const { value, source, path: at } of words) {
    const scope = scopeOfNotOurs([value]);
    const used = asked.find((phrase) => scope.foreignIn(phrase.text) !== undefined);
    if (used) problems.push(source.problem(at, `"${value}" is listed as not ours, but "${used.id}" is asked as "${used.text}"`));
  }
  return problems;
}

export function checkKnown(entries: Located<FaqEntry | Guide>[], known: KnownProducts): ManualProblem[] {
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
