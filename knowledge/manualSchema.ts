/** The shape of the manual's YAML files, as zod schemas; every field a service lead may write is here. */
import { z } from 'zod';
import type { BranchOutcome, FaqEntry, FaqTopic, FaqTranslation, Guide, GuideBranch, GuideStep, SynonymGroup } from './manualTypes';

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
const faqTranslationSchema: z.ZodType<FaqTranslation> = z.strictObject({
  question: text,
  similar: z.array(text).optional(),
  steps: z.array(text).min(1),
});

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

export const englishSynonymsFileSchema = z.strictObject({ synonyms: z.array(synonymGroupSchema).default([]) });
export const englishFaqFileSchema = z.record(z.string(), faqTranslationSchema);
export const englishGuideFileSchema = z.record(z.string(), guideTranslationSchema);

export type EnglishStep = z.infer<typeof stepTranslationSchema>;
export type EnglishGuide = z.infer<typeof guideTranslationSchema>;
