/** The English manual (en/faq.yaml, en/guides.yaml) merged into the Chinese entries, and how much of it there is. */
import type { FieldPath } from '../common/yamlSource';
import type { EnglishGuide, EnglishStep } from './manualSchema';
import { questionKey, type Located, type ManualProblem, type SourceFile } from './manualSource';
import type { FaqEntry, FaqTranslation, Guide, GuideStep, Manual, StepTranslation } from './manualTypes';

/** Merges en/faq.yaml into the entries; an entry left out stays Chinese only. */
export function translateFaqs(faqs: Located<FaqEntry>[], translations: Located<FaqTranslation>[]): ManualProblem[] {
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
export function translateGuides(guides: Located<Guide>[], translations: Located<EnglishGuide>[]): ManualProblem[] {
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
