import type { TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogInstance,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Locale } from '../knowledge';
import { asksAQuestion, asksForRepair, asksForSomethingElse, foldAnswer, readStepAnswer } from '../knowledge/guideAnswers';
import type { Guide, GuideStep } from '../knowledge/manualTypes';
import { askWithChoices, matchChoice } from './choices';
import { FAQ_DIALOG, FaqDialog } from './faqDialog';
import type { FaultReportOptions } from './faultReportDialog';
import { findGuideFor, guideProductsFor, searchFaqFor, type KnowledgeServices } from './knowledgeServices';
import { knowledgeTextsFor, stepIn, TRIED_WITHOUT_ANSWER, type KnowledgeTexts } from './knowledgeTexts';
import { localeOf } from './locale';
import {
  productOfFacts,
  type ProductCatalogue,
  type TroubleshootDeps,
  type TroubleshootOptions,
  type TroubleshootResult,
  type TroubleshootState,
} from './troubleshootState';

export const TROUBLESHOOT_DIALOG = 'troubleshootDialog';
const LOOP = 'troubleshootLoop';
const ANSWER = 'troubleshootAnswer';

/** A step is shown at most this often in one guide run: the first time plainly, the second in detail. */
const MAX_SHOWS = 2;
/** 好的 / 稍等 on one step: acknowledged this often, then read as no answer. */
const MAX_WAITS = 2;
/** How often 是哪个产品呢？ is asked before the guide gives up. */
const MAX_PRODUCT_ASKS = 2;
/** Below this the recognizer's intent does not count as the customer asking for something else. */
const OTHER_INTENT = 0.8;
/**
 * Shorter replies are not taken from the recognizer as another request: outside a guide 好了 and
 * 还没好 ask after a ticket, inside one they answer the step. Explicit words (报修, 投诉, 工单 …)
 * count at any length (asksForSomethingElse).
 */
const OTHER_REQUEST_MIN_CHARS = 4;
/** Intents that are part of troubleshooting, or say nothing: they never take the customer out of a guide. */
const OWN_INTENTS = new Set(['troubleshoot', 'other', 'greeting']);

const YES = /^(好|好的|好啊|行|可以|是的?|对|嗯|要|报修吧?|yes|yeah|yep|ok|okay|sure|please)/i;

/** 远程排查: walks a guide of the service manual one step at a time, and ends solved or in 报修. */
export class TroubleshootDialog extends ComponentDialog {
  private readonly facts?: TroubleshootDeps['facts'];
  private readonly catalogue?: ProductCatalogue;

  constructor(
    private readonly knowledge: KnowledgeServices,
    deps: TroubleshootDeps = {},
  ) {
    super(TROUBLESHOOT_DIALOG);
    this.facts = deps.facts;
    this.catalogue = deps.catalogue;
    this.addDialog(new TextPrompt(ANSWER));
    // The manual's answer when no guide of the product fits (its own copy: this dialog's children are its own).
    this.addDialog(new FaqDialog(knowledge));
    this.addDialog(new WaterfallDialog(LOOP, [this.presentStep.bind(this), this.captureStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** Starts from the customer's own words when they already described the symptom. */
  override async beginDialog(
    outerDc: Parameters<ComponentDialog['beginDialog']>[0],
    options?: TroubleshootOptions,
  ): Promise<DialogTurnResult> {
    const utterance = options?.utterance?.trim();
    const state: TroubleshootState = {
      stage: utterance ? 'choose' : 'symptom',
      pending: utterance || undefined,
      category: options?.category,
      modelId: options?.modelId,
      productFrom: options?.category ? 'words' : undefined,
      tried: [],
      shown: {},
      waits: 0,
      productAsks: 0,
    };
    return super.beginDialog(outerDc, state);
  }

  /**
   * 帮助 / 不知道怎么弄 inside a guide (the main dialog answers them as help, then asks to reprompt):
   * the step in detail, if it was shown only once; else just its question. Never a third showing.
   */
  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = loopStateOf(instance);
    const step = state ? this.currentStep(state) : undefined;
    if (!state || state.stage !== 'step' || !step) return super.repromptDialog(context, instance);
    const locale = localeOf(context);
    const t = knowledgeTextsFor(locale);
    const words = stepIn(step, locale);
    const shown = state.shown[step.id] ?? 0;
    if (shown < MAX_SHOWS) {
      state.shown[step.id] = shown + 1;
      await context.sendActivity(askWithChoices(this.stepText(state, step, locale, shown + 1), [...words.answers, t.dontKnowHow]));
      return;
    }
    await context.sendActivity(askWithChoices(t.questionAgain(words.question), [...words.answers, t.dontKnowHow]));
  }

  /** Shows what the stage needs: a step, a reminder of its question, 是哪个产品呢？, the symptom question or the 报修 offer. */
  private async presentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as TroubleshootState;
    const locale = localeOf(step.context);
    const t = knowledgeTextsFor(locale);
    if (state.stage === 'choose') {
      const next = await this.choose(step, state, locale, t);
      if (next) return next;
    }
    if (state.note) await step.context.sendActivity(state.note);
    state.note = undefined;
    switch (state.stage) {
      case 'faq':
        return step.beginDialog(FAQ_DIALOG, {
          utterance: state.symptom ?? '',
          category: state.category,
          modelId: state.modelId,
        });
      case 'aside':
        return step.beginDialog(FAQ_DIALOG, {
          utterance: state.aside ?? '',
          category: state.category,
          modelId: state.modelId,
        });
      case 'offer':
        return step.prompt(ANSWER, {
          prompt: askWithChoices(t.notSolved, [t.reportNow, t.talkToPerson, t.noThanks]),
        });
      case 'product': {
        const names = (state.offered ?? []).map((category) => this.nameOf(category, locale));
        const again = state.productAsks > 1;
        return step.prompt(ANSWER, {
          prompt: askWithChoices(again ? t.askProductAgain : t.askProduct, again ? [...names, t.talkToPerson] : names),
        });
      }
      case 'step':
        break;
      default:
        return step.prompt(ANSWER, { prompt: t.askSymptom });
    }
    const current = this.currentStep(state);
    if (!current) return step.prompt(ANSWER, { prompt: t.askSymptom });
    const words = stepIn(current, locale);
    const buttons = [...words.answers, t.dontKnowHow];
    const remind = state.remind;
    state.remind = undefined;
    const shown = state.shown[current.id] ?? 0;
    if (remind || shown >= MAX_SHOWS) {
      const text = remind === 'wait' ? t.takeYourTime(words.question) : t.questionAgain(words.question);
      return step.prompt(ANSWER, { prompt: askWithChoices(text, buttons) });
    }
    state.shown[current.id] = shown + 1;
    return step.prompt(ANSWER, {
      prompt: askWithChoices(this.stepText(state, current, locale, shown + 1), buttons),
    });
  }

  /** Takes the answer to whatever was asked. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as TroubleshootState;
    const locale = localeOf(step.context);
    const t = knowledgeTextsFor(locale);
    if (state.stage === 'faq') {
      const answered = (step.result as { answered?: boolean } | undefined)?.answered === true;
      return step.endDialog({
        solved: answered,
        tried: state.tried,
      } satisfies TroubleshootResult);
    }
    if (state.stage === 'aside') {
      // The question is answered: back to the step, with its question and buttons (not a third showing).
      state.stage = 'step';
      state.aside = undefined;
      state.remind = 'again';
      return step.replaceDialog(LOOP, state);
    }
    const answer = String(step.result ?? '').trim();
    switch (state.stage) {
      case 'offer':
        return this.afterReportOffer(step, state, answer, t);
      case 'product':
        return this.afterProductQuestion(step, state, answer, locale);
      case 'step':
        return this.afterStep(step, state, answer, locale, t);
      default:
        if (await this.meansSomethingElse(answer)) return this.handBack(step, state, answer);
        state.pending = answer;
        state.stage = 'choose';
        return step.replaceDialog(LOOP, state);
    }
  }

  /**
   * Picks the guide for `pending`: of the product the customer named, else of the one the
   * conversation already knows, else of the only product whose guides fit. No guide of that
   * product: the manual's answer; else the question which product it is (when the product was
   * not named), else the ways on. Returns the turn's result when it ended the choice itself.
   */
  private async choose(
    step: WaterfallStepContext,
    state: TroubleshootState,
    locale: Locale,
    t: KnowledgeTexts,
  ): Promise<DialogTurnResult | undefined> {
    const text = state.pending ?? '';
    state.pending = undefined;
    state.symptom = text;
    const named = this.productIn(text);
    if (named.category) {
      if (named.category !== state.category) state.modelId = undefined;
      state.category = named.category;
      state.modelId = named.modelId ?? state.modelId;
      state.productFrom = 'words';
    } else if (!state.category) {
      const known = await this.knownProduct(step.context.activity.conversation.id);
      if (known.category) Object.assign(state, { ...known, productFrom: 'facts' });
    }

    if (state.category) {
      const guide = findGuideFor(this.knowledge, text, { category: state.category }, locale);
      if (guide) return this.startGuide(state, guide);
      if (await this.faqAnswers(text, state, locale)) {
        state.stage = 'faq';
        return undefined;
      }
      // The product was only known from earlier in the conversation: this may be another one.
      if (state.productFrom === 'facts') return this.askProduct(state, this.allCategories());
      return this.noGuide(step, state, t);
    }
    const products = guideProductsFor(this.knowledge, text, locale);
    if (products.length === 1) {
      state.category = products[0];
      state.productFrom = 'guide';
      const guide = findGuideFor(this.knowledge, text, { category: state.category }, locale);
      if (guide) return this.startGuide(state, guide);
    }
    // A how-to question (wifi名字怎么改) that the manual answers is not a symptom to ask the product of.
    if (products.length > 1 && asksHowTo(text) && (await this.faqAnswers(text, state, locale))) {
      state.stage = 'faq';
      return undefined;
    }
    if (products.length > 1) return this.askProduct(state, products);
    if (await this.faqAnswers(text, state, locale)) {
      state.stage = 'faq';
      return undefined;
    }
    return this.askProduct(state, this.allCategories());
  }

  private startGuide(state: TroubleshootState, guide: Guide): undefined {
    state.guideId = guide.id;
    state.stepId = guide.start;
    state.stage = 'step';
    state.shown = {};
    state.waits = 0;
    state.category ??= guide.categories[0];
    return undefined;
  }

  private askProduct(state: TroubleshootState, categories: string[]): undefined {
    state.stage = 'product';
    state.offered = categories;
    state.productAsks += 1;
    return undefined;
  }

  private async noGuide(step: WaterfallStepContext, state: TroubleshootState, t: KnowledgeTexts): Promise<DialogTurnResult> {
    await step.context.sendActivity(askWithChoices(t.noGuide, t.noGuideOptions));
    return step.endDialog({
      solved: false,
      tried: state.tried,
    } satisfies TroubleshootResult);
  }

  /** The product picked or named, then the guide for the symptom already told. */
  private async afterProductQuestion(
    step: WaterfallStepContext,
    state: TroubleshootState,
    answer: string,
    locale: Locale,
  ): Promise<DialogTurnResult> {
    const offered = state.offered ?? [];
    const names = offered.map((category) => this.nameOf(category, locale));
    const picked = matchChoice(answer, names);
    const category = picked !== undefined ? offered[names.indexOf(picked)] : this.productIn(answer).category;
    if (category) {
      const named = this.productIn(answer);
      state.category = category;
      state.modelId = named.category === category ? named.modelId : undefined;
      state.productFrom = 'words';
      state.stage = 'choose';
      // 手机 alone says only the product; 手机充不进电 says the symptom again, maybe better.
      state.pending = findGuideFor(this.knowledge, answer, { category }, locale) ? answer : (state.symptom ?? answer);
      return step.replaceDialog(LOOP, state);
    }
    if (await this.meansSomethingElse(answer)) return this.handBack(step, state, answer);
    if (state.productAsks >= MAX_PRODUCT_ASKS) return this.noGuide(step, state, knowledgeTextsFor(locale));
    state.productAsks += 1;
    return step.replaceDialog(LOOP, state);
  }

  /**
   * Every answer moves the guide: a good or bad one follows its branch; 不会操作 gets the step in
   * detail once, then the guide goes on by the step's last (bad) branch; an answer not understood
   * gets the step in detail too, then likewise. A request for something else leaves the guide.
   */
  private async afterStep(
    step: WaterfallStepContext,
    state: TroubleshootState,
    answer: string,
    locale: Locale,
    t: KnowledgeTexts,
  ): Promise<DialogTurnResult> {
    const current = this.currentStep(state);
    if (!current) {
      state.stage = 'choose';
      state.pending = answer;
      return step.replaceDialog(LOOP, state);
    }
    const reading = readStepAnswer(answer, current, {
      locale,
      dontKnowButtons: [t.dontKnowHow, knowledgeTextsFor(locale === 'en' ? 'zh-CN' : 'en').dontKnowHow],
    });
    // A button pressed is an answer; words that also ask for a repair or another service are that request.
    const pressed = reading.kind === 'branch' && reading.by === 'button';
    if (!pressed && asksForSomethingElse(answer)) {
      if (reading.kind === 'branch') this.noteTried(state, current, current.branches[reading.index].answer);
      if (asksForRepair(answer)) return this.report(step, state);
      return this.handBack(step, state, answer);
    }
    if (reading.kind === 'branch') return this.follow(step, state, current, reading.index, current.branches[reading.index].answer);

    const shown = state.shown[current.id] ?? 0;
    if (reading.kind === 'wait' && state.waits < MAX_WAITS) {
      state.waits += 1;
      state.remind = 'wait';
      return step.replaceDialog(LOOP, state);
    }
    if (reading.kind === 'unclear' && asksAQuestion(answer) && (await this.faqAnswers(answer, state, locale))) {
      state.stage = 'aside';
      state.aside = answer;
      return step.replaceDialog(LOOP, state);
    }
    if (reading.kind === 'unclear') {
      const elsewhere = await this.elsewhere(answer, state, locale);
      if (elsewhere === 'handBack') return this.handBack(step, state, answer);
      if (elsewhere === 'sameSymptom')
        return this.follow(step, state, current, current.branches.length - 1, current.branches[current.branches.length - 1].answer);
      if (typeof elsewhere === 'object') {
        this.startGuide(state, elsewhere.guide);
        return step.replaceDialog(LOOP, state);
      }
    }
    if (shown < MAX_SHOWS) {
      if (reading.kind !== 'dontKnow') state.note = t.pleaseAnswer;
      return step.replaceDialog(LOOP, state);
    }
    // Shown twice, in detail the second time: the guide goes on by the step's last branch, saying so.
    const last = current.branches.length - 1;
    state.note = t.goingOnAs(stepIn(current, locale).answers[last]);
    return this.follow(
      step,
      state,
      current,
      last,
      reading.kind === 'dontKnow' ? TRIED_WITHOUT_ANSWER.dontKnow : TRIED_WITHOUT_ANSWER.unclear,
    );
  }

  /** Takes a branch: the next step, solved, or the 报修 offer. `said` is what the ticket will show as the answer. */
  private async follow(
    step: WaterfallStepContext,
    state: TroubleshootState,
    current: GuideStep,
    index: number,
    said: string,
  ): Promise<DialogTurnResult> {
    const branch = current.branches[index];
    this.noteTried(state, current, said);
    await this.facts?.note(step.context.activity.conversation.id, {
      stepsTried: state.tried.map((tried) => `${tried.instruction} → ${tried.answer}`),
      product: state.modelId ?? state.category,
    });
    state.waits = 0;
    if (branch.next === 'solved') {
      const t = knowledgeTextsFor(localeOf(step.context));
      if (state.note) await step.context.sendActivity(state.note);
      await step.context.sendActivity(askWithChoices(t.solved, [t.rateButton]));
      return step.endDialog({
        solved: true,
        tried: state.tried,
      } satisfies TroubleshootResult);
    }
    if (branch.next === 'report' || (state.shown[branch.next] ?? 0) >= MAX_SHOWS) {
      // A step shown twice already is not shown again (a guide whose branches lead back to it).
      state.stage = 'offer';
      return step.replaceDialog(LOOP, state);
    }
    state.stepId = branch.next;
    return step.replaceDialog(LOOP, state);
  }

  private noteTried(state: TroubleshootState, current: GuideStep, answer: string): void {
    state.tried.push({
      stepId: current.id,
      instruction: current.instruction,
      answer,
    });
  }

  /**
   * What an answer the step did not understand is instead: a request the main dialog should take
   * (查工单, 投诉, a question), the guide's own symptom said again (it is still there: the bad
   * answer), or another symptom, which gets its own guide.
   */
  private async elsewhere(
    answer: string,
    state: TroubleshootState,
    locale: Locale,
  ): Promise<'handBack' | 'sameSymptom' | { guide: Guide } | undefined> {
    if (foldAnswer(answer).length < OTHER_REQUEST_MIN_CHARS) return undefined;
    const understood = await this.knowledge.understand(answer);
    if (!OWN_INTENTS.has(understood.intent) && understood.confidence >= OTHER_INTENT) return 'handBack';
    if (understood.intent !== 'troubleshoot') return undefined;
    const named = this.productIn(answer);
    const category = named.category ?? state.category;
    const guide = findGuideFor(this.knowledge, answer, { category }, locale);
    if (!guide) return undefined;
    if (guide.id === state.guideId) {
      // 还是充不进电 to 现在能充进电了吗？ is the bad answer; to 有没有鼓包？ it answers nothing.
      const current = this.currentStep(state);
      const asksIfHelped = current?.branches[0].outcome === 'good' && current.branches[current.branches.length - 1].outcome === 'bad';
      return asksIfHelped ? 'sameSymptom' : undefined;
    }
    if (named.category) {
      state.category = named.category;
      state.modelId = named.modelId;
    }
    state.symptom = answer;
    return { guide };
  }

  /** Whether a message is a request for something other than troubleshooting (outside a step). */
  private async meansSomethingElse(answer: string): Promise<boolean> {
    if (asksForSomethingElse(answer)) return true;
    if (foldAnswer(answer).length < OTHER_REQUEST_MIN_CHARS) return false;
    const understood = await this.knowledge.understand(answer);
    return !OWN_INTENTS.has(understood.intent) && understood.confidence >= OTHER_INTENT;
  }

  private handBack(step: WaterfallStepContext, state: TroubleshootState, answer: string): Promise<DialogTurnResult> {
    return step.endDialog({
      solved: false,
      tried: state.tried,
      unanswered: true,
      utterance: answer,
    } satisfies TroubleshootResult);
  }

  /** Not solved: whether to report now, or something else the customer asked. */
  private async afterReportOffer(
    step: WaterfallStepContext,
    state: TroubleshootState,
    answer: string,
    t: KnowledgeTexts,
  ): Promise<DialogTurnResult> {
    const picked = matchChoice(answer, [t.reportNow, t.noThanks]);
    if (picked === t.reportNow || (picked === undefined && (YES.test(answer) || asksForRepair(answer)))) return this.report(step, state);
    if (picked === undefined && (await this.meansSomethingElse(answer))) return this.handBack(step, state, answer);
    await step.context.sendActivity(t.okNoReport);
    return step.endDialog({
      solved: false,
      tried: state.tried,
    } satisfies TroubleshootResult);
  }

  /** A 报修 that already knows the product, the symptom and the steps tried. */
  private report(step: WaterfallStepContext, state: TroubleshootState): Promise<DialogTurnResult> {
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
    return step.endDialog({
      solved: false,
      tried: state.tried,
      report: options,
    } satisfies TroubleshootResult);
  }

  /** 第N步：the instruction, or (the second time) the step in detail; then the question. */
  private stepText(state: TroubleshootState, current: GuideStep, locale: Locale, showing: number): string {
    const t = knowledgeTextsFor(locale);
    const words = stepIn(current, locale);
    const intro = t.stepIntro(state.tried.length + 1, '');
    const body = showing > 1 ? t.howTo(words.detail) : words.instruction;
    return `${intro}${body}\n${words.question}`;
  }

  private currentStep(state: TroubleshootState): GuideStep | undefined {
    const guide = state.guideId ? this.knowledge.guide(state.guideId) : undefined;
    return guide?.steps.find((candidate) => candidate.id === state.stepId);
  }

  /** The product a message names (first mentioned wins: 我的耳机连不上手机 is about the earbuds). */
  private productIn(text: string): { category?: string; modelId?: string } {
    if (!this.catalogue || !text) return {};
    const model = this.catalogue.findModel(text);
    const category = this.catalogue.findCategory(text);
    if (model && (!category || category.id === model.category)) return { category: model.category, modelId: model.id };
    return category ? { category: category.id } : {};
  }

  private async knownProduct(conversationId: string): Promise<{ category?: string; modelId?: string }> {
    if (!this.facts || !this.catalogue) return {};
    return productOfFacts(await this.facts.get(conversationId), this.catalogue);
  }

  /** Whether the manual answers the symptom with confidence, by an entry for this product (or every product). */
  private async faqAnswers(text: string, state: TroubleshootState, locale: Locale): Promise<boolean> {
    if (!text) return false;
    const { candidates, confident } = await searchFaqFor(this.knowledge, text, { category: state.category, model: state.modelId }, locale);
    const entry = candidates[0]?.entry;
    // A TV owner's 充不进电 is not answered with the watch's charging dock.
    const forThisProduct = !state.category || !entry?.categories.length || entry.categories.includes(state.category);
    return confident && forThisProduct;
  }

  private allCategories(): string[] {
    return this.catalogue?.categories().map((category) => category.id) ?? [];
  }

  private nameOf(category: string, locale: Locale): string {
    const found = this.catalogue?.category(category);
    if (!found) return category;
    return locale === 'en' ? found.nameEn : found.name;
  }
}

/** Asks how to do something (怎么改, how do I), as opposed to what to do about a fault (怎么办). */
function asksHowTo(text: string): boolean {
  return /怎么(?!办|回事)|如何|怎样(?!办)|咋(?!办|回事)|\bhow (?:do|can|to)\b/iu.test(text);
}

/** The guide's state inside a reprompted instance: the loop's options, under the prompt on the inner stack. */
function loopStateOf(instance: DialogInstance): TroubleshootState | undefined {
  const inner = (instance.state as { dialogs?: { dialogStack?: DialogInstance[] } } | undefined)?.dialogs?.dialogStack ?? [];
  const loop = inner.find((candidate) => candidate.id === LOOP);
  const options = (loop?.state as { options?: unknown } | undefined)?.options;
  return options && typeof options === 'object' && 'stage' in options ? (options as TroubleshootState) : undefined;
}
