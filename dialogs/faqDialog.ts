import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { FaqEntry } from '../knowledge/manualTypes';
import { askWithChoices, matchChoice } from './choices';
import type { Locale } from '../knowledge';
import type { ManualAnswer } from '../knowledge/serviceKnowledge';
import { EnglishSearch, searchFaqFor, type KnowledgeServices } from './knowledgeServices';
import { faqIn, knowledgeTextsFor, type KnowledgeTexts } from './knowledgeTexts';
import { localeOf } from './locale';

export const FAQ_DIALOG = 'faqDialog';
const LOOP = 'faqLoop';
const ANSWER = 'faqAnswer';

interface FaqState {
  question: string;
  /** Entries still worth offering, best first; the first is the one being shown. */
  queue: string[];
  entries: Record<string, FaqEntry>;
  /** An answer the LLM wrote from the manual, shown instead of the first entry's steps. */
  grounded?: string;
}

export interface FaqOptions {
  utterance: string;
  category?: string;
  modelId?: string;
}

const NO = /^(没|不|否|no\b|nope|not)/i;

/** Answers from the service manual, asks 有帮助吗？, and offers the next best entry or a person. */
export class FaqDialog extends ComponentDialog {
  constructor(private readonly knowledge: KnowledgeServices) {
    super(FAQ_DIALOG);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.answerStep.bind(this), this.feedbackStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** Not sure → says so and offers troubleshooting, a ticket or a person: no wrong confident answer. */
  override async beginDialog(outerDc: Parameters<ComponentDialog['beginDialog']>[0], options?: FaqOptions): Promise<DialogTurnResult> {
    const locale = localeOf(outerDc.context);
    const t = knowledgeTextsFor(locale);
    const product = { category: options?.category, model: options?.modelId };
    const { candidates, confident } = await searchFaqFor(this.knowledge, options?.utterance ?? '', product, locale);
    if (!confident || !candidates.length) {
      const grounded = await answerFromManualFor(this.knowledge, options?.utterance ?? '', product, locale);
      if (grounded) {
        const cited = grounded.cited.map((entry) => faqIn(entry, locale));
        const text = `${grounded.answer}\n${t.groundedSources(cited.map((entry) => entry.question))}`;
        // Not helped → a person: the entries it cites are what the manual has on this.
        const first = grounded.cited[0]!;
        return super.beginDialog(outerDc, { question: options?.utterance ?? '', queue: [first.id], entries: { [first.id]: first }, grounded: text });
      }
      await outerDc.context.sendActivity(askWithChoices(t.faqNotSure, t.faqNotSureOptions));
      return outerDc.endDialog({ answered: false });
    }
    const runnersUp = candidates.slice(1).filter((candidate) => candidate.confidence >= this.knowledge.runnerUpThreshold);
    const shown = [candidates[0], ...runnersUp];
    const state: FaqState = {
      question: options?.utterance ?? '',
      queue: shown.map((candidate) => candidate.entry.id),
      entries: Object.fromEntries(shown.map((candidate) => [candidate.entry.id, candidate.entry])),
    };
    return super.beginDialog(outerDc, state);
  }

  /** Gives the entry's steps, in the customer's language where translated, and asks whether they helped. */
  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as FaqState;
    const locale = localeOf(step.context);
    const t = knowledgeTextsFor(locale);
    if (state.grounded) {
      await step.context.sendActivity(state.grounded);
      return step.prompt(ANSWER, { prompt: askWithChoices(t.faqHelpful, [t.yesHelpful, t.notHelpful]) });
    }
    // The LLM (when there is one) rephrases the same English steps, so it has the curated wording to keep to.
    const entry = faqIn(state.entries[state.queue[0]], locale);
    const lines = await this.knowledge.phrase(entry, state.question);
    const steps = lines.map((line, index) => (lines.length > 1 ? `${index + 1}. ${line}` : line));
    await step.context.sendActivity(`${entry.question}\n${steps.join('\n')}`);
    return step.prompt(ANSWER, { prompt: askWithChoices(t.faqHelpful, [t.yesHelpful, t.notHelpful]) });
  }

  /** Helped → done; not helped → the next best entry, or a person. */
  private async feedbackStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as FaqState;
    const t = knowledgeTextsFor(localeOf(step.context));
    if (this.helped(String(step.result ?? ''), t)) {
      await step.context.sendActivity(t.glad);
      return step.endDialog({ answered: true, faqId: state.queue[0] });
    }
    state.queue.shift();
    if (!state.queue.length) {
      await step.context.sendActivity(t.offerHuman);
      return step.endDialog({ answered: false });
    }
    await step.context.sendActivity(t.nextBest);
    return step.replaceDialog(LOOP, state);
  }

  private helped(answer: string, t: KnowledgeTexts): boolean {
    const picked = matchChoice(answer, [t.yesHelpful, t.notHelpful]);
    if (picked) return picked === t.yesHelpful;
    return !NO.test(answer.trim());
  }
}

/**
 * The grounded LLM answer for a question the offline search was unsure of, when the knowledge has
 * an LLM: English questions are looked up in the English versions, as the offline search does.
 */
function answerFromManualFor(
  knowledge: KnowledgeServices,
  question: string,
  product: { category?: string; model?: string },
  locale: Locale,
): Promise<ManualAnswer | undefined> {
  if (!knowledge.answerFromManual) return Promise.resolve(undefined);
  const english = locale === 'en' ? { search: (text: string, options: { category?: string; model?: string }) => EnglishSearch.of(knowledge.manual).searchFaq(text, options).candidates } : undefined;
  return knowledge.answerFromManual(question, product, locale, english);
}
