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

/** Said for "yes, it helped": the whole message is a thanks or a yes, not a new sentence. */
const HELPED =
  /^(?:有帮助|有用|管用|好用|有效|解决了?|好了|可以了|行了|懂了|明白了?|知道了|学会了|找到了|看到了|谢谢|多谢|感谢|好的?|嗯+|是的?|对|ok|okay|yes|yep|yeah|sure|thanks|thank you|it (?:helped|worked)|helpful|got it|solved)(?:[，,。.!！~～\s]*(?:了|啦|呀|啊|谢谢|thanks|thank you|你|您)*)*[。.!！~～]*$/i;
/** Said for "no, it did not help": explicitly, or a short 不/没 answer ("不行", "没用"). */
const NOT_HELPED =
  /^(?:没(?:有)?(?:帮助|用|解决|效果)|不(?:行|管用|好使|对|是|太行|太对|够|清楚|明白)|没什么用|还是不行|无效|否$|no\b|nope|not (?:really|helpful|useful)|it didn'?t|didn'?t (?:help|work)|not help)/i;

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
        return super.beginDialog(outerDc, {
          question: options?.utterance ?? '',
          queue: [first.id],
          entries: { [first.id]: first },
          grounded: text,
        });
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

  /**
   * Helped → done; not helped → the next best entry, or a person. Anything else (看不到…, a new
   * question, a fault) is not an answer to 有帮助吗: the flow ends and the message is read afresh.
   */
  private async feedbackStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as FaqState;
    const t = knowledgeTextsFor(localeOf(step.context));
    const answer = String(step.result ?? '').trim();
    const helped = this.helped(answer, t);
    if (helped === undefined) return step.endDialog({ answered: false, unanswered: true, utterance: answer });
    if (helped) {
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

  /** true / false for a yes / no (typed or tapped), undefined for a message that is neither. */
  private helped(answer: string, t: KnowledgeTexts): boolean | undefined {
    const picked = matchChoice(answer, [t.yesHelpful, t.notHelpful]);
    if (picked) return picked === t.yesHelpful;
    if (NOT_HELPED.test(answer) || /^[没不][^，,。.？?]{0,2}[。.!！]*$/.test(answer)) return false;
    if (HELPED.test(answer)) return true;
    return undefined;
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
  const english =
    locale === 'en'
      ? {
          search: (text: string, options: { category?: string; model?: string }) =>
            EnglishSearch.of(knowledge.manual).searchFaq(text, options).candidates,
        }
      : undefined;
  return knowledge.answerFromManual(question, product, locale, english);
}
