import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { ConversationFacts } from '../desk/conversationFacts';
import type { Locale } from '../knowledge';
import type { Guide, GuideBranch, GuideStep } from '../knowledge/manualTypes';
import { askWithChoices, matchChoice } from './choices';
import type { FaultReportOptions } from './faultReportDialog';
import { findGuideFor, type KnowledgeServices } from './knowledgeServices';
import { knowledgeTextsFor, stepIn, type KnowledgeTexts } from './knowledgeTexts';
import { localeOf } from './locale';

export const TROUBLESHOOT_DIALOG = 'troubleshootDialog';
const LOOP = 'troubleshootLoop';
const ANSWER = 'troubleshootAnswer';

/**
 * One step the customer went through, and what they answered: kept for the ticket and for agents,
 * in the manual's Chinese whatever language the customer used, since engineers and agents read Chinese.
 */
export interface TriedStep {
  stepId: string;
  instruction: string;
  answer: string;
}

interface TroubleshootState {
  guideId?: string;
  stepId?: string;
  category?: string;
  modelId?: string;
  symptom?: string;
  tried: TriedStep[];
  /** Set once the guide ended in "report": the next answer says whether to report now. */
  offeringReport?: boolean;
  asked: number;
  note?: string;
}

export interface TroubleshootResult {
  solved: boolean;
  tried?: TriedStep[];
  /** Set when the customer wants a repair: the 报修 to start, already filled in. */
  report?: FaultReportOptions;
}

export interface TroubleshootOptions {
  utterance?: string;
  category?: string;
  modelId?: string;
}

const DONT_KNOW = /不会|不懂|怎么弄|怎么操作|没看懂|看不懂|在哪|找不到|how do i|don'?t know how|where is/i;
const YES = /^(好了|好啦|可以了|解决了|行了|正常了|能了|有了|亮了|是的?|对|嗯|yes|yeah|yep|it works|it'?s working|works now|fixed|solved)/i;
const NO = /^(没好|没有|不行|还是不行|不能|不亮|没反应|没用|否|no\b|nope|not\b(?! sure)|still|doesn'?t|didn'?t|won'?t)/i;

/** 远程排查: walks a guide of the service manual one step at a time, and ends solved or in 报修. */
export class TroubleshootDialog extends ComponentDialog {
  constructor(
    private readonly knowledge: KnowledgeServices,
    /** Keeps the steps tried where an agent will see them, should the customer ask for one. */
    private readonly noteFacts?: (conversationId: string, facts: ConversationFacts) => Promise<void>,
  ) {
    super(TROUBLESHOOT_DIALOG);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.captureStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** Picks the guide from the customer's own words when they already described the symptom. */
  override async beginDialog(outerDc: Parameters<ComponentDialog['beginDialog']>[0], options?: TroubleshootOptions): Promise<DialogTurnResult> {
    const state: TroubleshootState = { tried: [], asked: 0, category: options?.category, modelId: options?.modelId };
    if (options?.utterance) this.chooseGuide(state, options.utterance, localeOf(outerDc.context));
    return super.beginDialog(outerDc, state);
  }

  /** Asks for the symptom, or gives the current step's instruction and question. */
  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as TroubleshootState;
    const locale = localeOf(step.context);
    const t = knowledgeTextsFor(locale);
    if (state.note) await step.context.sendActivity(state.note);
    state.note = undefined;
    const guide = state.guideId ? this.knowledge.guide(state.guideId) : undefined;
    const current = guide?.steps.find((candidate) => candidate.id === state.stepId);
    if (state.offeringReport) return step.prompt(ANSWER, { prompt: askWithChoices(t.notSolved, [t.reportNow, t.talkToPerson, t.noThanks]) });
    if (!guide || !current) return step.prompt(ANSWER, { prompt: t.askSymptom });
    const intro = t.stepIntro(state.tried.length + 1, '');
    const words = stepIn(current, locale);
    return step.prompt(ANSWER, {
      prompt: askWithChoices(`${intro}${words.instruction}\n${words.question}`, [...words.answers, t.dontKnowHow]),
    });
  }

  /** Follows the branch the answer picks; explains the step again when the customer does not know how. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as TroubleshootState;
    const locale = localeOf(step.context);
    const t = knowledgeTextsFor(locale);
    const answer = String(step.result ?? '').trim();
    if (state.offeringReport) return this.afterReportOffer(step, state, answer, t);

    const guide = state.guideId ? this.knowledge.guide(state.guideId) : undefined;
    const current = guide?.steps.find((candidate) => candidate.id === state.stepId);
    if (!guide || !current) {
      state.asked += 1;
      this.chooseGuide(state, answer, locale);
      if (state.guideId) return step.replaceDialog(LOOP, state);
      await step.context.sendActivity(askWithChoices(t.noGuide, t.noGuideOptions));
      return step.endDialog({ solved: false });
    }
    const words = stepIn(current, locale);
    if (DONT_KNOW.test(answer) || matchChoice(answer, [t.dontKnowHow]) === t.dontKnowHow) {
      state.note = t.howTo(words.detail);
      return step.replaceDialog(LOOP, state);
    }
    const branch = this.branchFor(current, answer, words.answers);
    if (!branch) {
      state.note = t.pleaseAnswer;
      return step.replaceDialog(LOOP, state);
    }
    state.tried.push({ stepId: current.id, instruction: current.instruction, answer: branch.answer });
    await this.noteFacts?.(step.context.activity.conversation.id, {
      stepsTried: state.tried.map((tried) => `${tried.instruction} → ${tried.answer}`),
      product: state.modelId ?? state.category,
    });
    if (branch.next === 'solved') {
      await step.context.sendActivity(askWithChoices(t.solved, [t.rateButton]));
      return step.endDialog({ solved: true, tried: state.tried });
    }
    if (branch.next === 'report') {
      state.offeringReport = true;
      return step.replaceDialog(LOOP, state);
    }
    state.stepId = branch.next;
    return step.replaceDialog(LOOP, state);
  }

  /** Not solved: a 报修 that already knows the product, the symptom and the steps tried. */
  private async afterReportOffer(step: WaterfallStepContext, state: TroubleshootState, answer: string, t: KnowledgeTexts): Promise<DialogTurnResult> {
    const picked = matchChoice(answer, [t.reportNow, t.noThanks]);
    const wantsReport = picked === t.reportNow || (picked === undefined && (YES.test(answer) || /报修|repair|report/i.test(answer)));
    if (!wantsReport) {
      await step.context.sendActivity(t.okNoReport);
      return step.endDialog({ solved: false, tried: state.tried });
    }
    const guide = state.guideId ? this.knowledge.guide(state.guideId) : undefined;
    const options: FaultReportOptions = {
      prefill: {
        modelId: state.modelId,
        categoryId: state.modelId ? undefined : state.category,
        symptom: state.symptom ?? guide?.symptom,
        stepsTried: state.tried.map((tried) => `${tried.instruction} → ${tried.answer}`),
      },
    };
    // The main dialog starts the 报修 with these facts (it owns the flows).
    return step.endDialog({ solved: false, tried: state.tried, report: options } satisfies TroubleshootResult);
  }

  private chooseGuide(state: TroubleshootState, text: string, locale: Locale): void {
    const guide: Guide | undefined = findGuideFor(this.knowledge, text, { category: state.category }, locale);
    if (!guide) return;
    state.guideId = guide.id;
    state.stepId = guide.start;
    state.symptom = text;
  }

  /** The branch an answer picks: one of the buttons shown (`labels`, in branch order), or 好了 / 没好 in other words. */
  private branchFor(current: GuideStep, answer: string, labels: string[]): GuideBranch | undefined {
    const picked = matchChoice(answer, labels);
    if (picked !== undefined) return current.branches[labels.indexOf(picked)];
    // The loader makes every step that has a good outcome list it first and the bad one last. A
    // step without one asks what the customer sees (鼓包？所有设备？), where 好了 / 没好 say nothing.
    const first = current.branches[0];
    const last = current.branches[current.branches.length - 1];
    if (first.outcome !== 'good') return undefined;
    if (YES.test(answer)) return first;
    if (NO.test(answer) && last.outcome === 'bad') return last;
    return undefined;
  }
}
