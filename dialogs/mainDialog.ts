import { MessageFactory, type Activity, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  Dialog,
  DialogSet,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogInstance,
  type DialogState,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { TURN_INTENT } from '../common/turnIntent';
import type { EscalationReason, HandoffServices } from './handoffServices';
import type { UnderstoodMessage } from './knowledgeServices';
import type { TroubleshootResult } from './troubleshootState';
import {
  asksAboutFee,
  asksForCallback,
  asksWhereSerial,
  changeOfMind,
  looksLikeQuestion,
  normalizeUtterance,
  recognizeIntent,
  requestIn,
  shortRequestOf,
  type ForeignMention,
  type Intent,
  type Locale,
} from '../knowledge';
import { askWithChoices, matchChoice } from './choices';
import { copyOf, factsOf, restoreFlow, type DraftFact, type FlowDraft, type FlowDrafts } from './flowDrafts';
import { InterruptibleDialog, type Leaving } from './interruptibleDialog';
import { localeOf, settleLocale, textsOf } from './locale';
import { peopleTextsFor } from './peopleTexts';
import { MENU_INTENTS, type MenuIntent, type Texts } from './texts';

export const MAIN_DIALOG = 'mainDialog';
const MAIN_WATERFALL = 'mainWaterfall';
const AFTER_HANDOFF = 'afterHandoff';
const MENU_PROMPT = 'menuPrompt';
const RESUME_OFFER = 'resumeOffer';
const RESUME_PROMPT = 'resumePrompt';

/** Flows whose unfinished state is kept for 24 hours when the customer leaves them, and offered back. */
const KEPT_FLOWS: readonly Intent[] = ['fault_report'];
/** Flows in which a question the manual answers is answered on the side, and the flow offered back after. */
const QUESTIONS_ON_THE_SIDE: readonly Intent[] = ['fault_report', 'ticket_status'];
/** Flows about one of our products: naming a product that is not ours leaves them at once. */
const ABOUT_A_PRODUCT: readonly Intent[] = ['fault_report', 'warranty', 'troubleshoot'];
/** Requests answered by the manual or a flow about a product: a product that is not ours is said so first. */
const PRODUCT_REQUESTS: readonly Intent[] = ['fault_report', 'troubleshoot', 'warranty', 'faq', 'appointment', 'other'];
/**
 * Flows not worth offering back after an interruption: a new question replaces the old one, and a
 * rating interrupted is a rating the customer chose not to give.
 */
const NOT_OFFERED_BACK: readonly Intent[] = ['faq', 'rating'];
/** Flows that lead to another by themselves: a guide that did not help offers 报修 with what it learnt. */
const LEADS_TO: Partial<Record<Intent, Intent>> = { troubleshoot: 'fault_report' };
/** What a change of mind may be for when the recognizer (not a short request) says what the rest asks. */
const CHANGE_TARGETS: readonly Intent[] = ['complaint', 'ticket_status', 'rating', 'warranty', 'fault_report'];
/** Below this the recognizer's "it is a question for the manual" does not interrupt a flow. */
const SIDE_QUESTION_CONFIDENCE = 0.6;

const YES = /^(继续|接着|好|好的|要|是|是的|嗯|可以|行|对|ok|okay|yes|yep|sure|continue|go on)/i;
const NO = /^(不|没|算了|先不|no\b|nope|not)/i;
/** The whole message asks to go on with what was left ("继续", "接着办", "continue"). */
const GO_ON = /^(继续|接着|接着办|继续办|继续吧|接着来|continue|go on|carry on)[。.!！]?$/i;
const START_OVER = /重新|从头|重来|新的|start over|new one|restart/i;

interface MenuOptions {
  /** What to say above the menu. */
  lead: 'greet' | 'again' | 'none';
  /** Said with the menu instead of the usual question (after a cancel, an unknown request …). */
  prompt?: string;
  /** Listen without showing the menu: the customer's first message is answered directly. */
  silent?: boolean;
  /** A message already said (to a flow that ended without using it): routed as if just typed. */
  utterance?: string;
  /** Messages in a row the bot did not understand: at two, a person takes over. */
  misses?: number;
  /** The last troubleshooting did not help: asking for a person now says so to the agent. */
  troubleshootFailed?: boolean;
  /** The service `utterance` asks for, already decided (a short request in the middle of a flow). */
  routed?: Intent;
  /** A flow left for another request: offered back once that request is done. */
  setAside?: SetAside;
  /** A flow to put back where it was left (the customer said 继续). */
  restore?: SetAside;
  /** The restored flow takes this turn's message as the answer to its question, instead of asking again. */
  answerNow?: boolean;
  /** Start the flow afresh even though an unfinished one is kept (the customer said 重新开始). */
  fresh?: boolean;
}

/** A flow left unfinished in this conversation: which service, and its saved dialog state. */
interface SetAside {
  intent: Intent;
  instance: FlowDraft['instance'];
}

/** What the offer to go back to an unfinished flow was made with. */
interface ResumeOptions {
  /** `returning`: asked for again while a draft is kept; `detour`: left a moment ago for another request. */
  kind: 'returning' | 'detour';
  intent: Intent;
  /** The flow's state (detour); a returning customer's comes from the kept drafts. */
  instance?: FlowDraft['instance'];
  /** The message that asked for the flow, to start with if the customer starts over. */
  utterance?: string;
}

/** Another request in the middle of a flow, and what to do with the flow. */
interface OtherRequest {
  intent: Intent;
  utterance: string;
  /** detour: offered back after; switch: the customer changed their mind (said so); quiet: simply replaced. */
  mode: 'detour' | 'switch' | 'quiet';
}

/** What the main waterfall remembers between its steps. */
interface FlowMemory {
  troubleshootFailed?: boolean;
  /** The flow started by this run of the waterfall. */
  flow?: Intent;
}

/** What a flow may end with that the main dialog acts on. */
interface FlowResult extends Partial<TroubleshootResult> {
  /** The flow ended on a message that was not for it (a rating dialog asked something else). */
  unanswered?: boolean;
  utterance?: string;
}

export interface MainDialogDeps {
  /** The hand-off to people: queue, facts for the agent, call-backs. */
  people: HandoffServices;
  /** Flows by the intent that starts them; menu intents without one are announced as coming. */
  flows?: Partial<Record<Intent, Dialog>>;
  /** Registers a call-back (outside service hours, or when the customer asks to be phoned). */
  callback?: Dialog;
  /** What a message means; without one, the small keyword recognizer of knowledge/intents.ts. */
  understand?: (text: string) => Promise<UnderstoodMessage>;
  /** Keeps the facts of every message (product, phone, a drop …), whichever flow it reaches, so none is asked again. */
  noteMessage?: (conversationId: string, text: string) => Promise<void>;
  /** Keeps an unfinished 报修 for 24 hours when the customer leaves it, to offer it back. */
  drafts?: FlowDrafts;
  /** A product or brand in a message that we do not make (knowledge/productScope.ts). */
  foreignProductIn?: (text: string) => ForeignMention | undefined;
  /**
   * Whether the manual answers a question with confidence. A question in the middle of a 报修 is
   * answered on the side only then; without this, only what the recognizer takes for an FAQ is.
   */
  answerable?: (text: string, locale: Locale) => Promise<boolean>;
}

/** What a flow is started with: the customer's words and what they already told us. */
export interface FlowOptions {
  utterance: string;
  category?: string;
  modelId?: string;
  /** The message asks what a repair costs. */
  fee?: boolean;
}

async function keywordsOnly(text: string): Promise<UnderstoodMessage> {
  const guess = recognizeIntent(text);
  return { ...guess, entities: {} };
}

function isMenuIntent(intent: Intent): intent is MenuIntent {
  return (MENU_INTENTS as readonly Intent[]).includes(intent);
}

/** The menu as suggested actions: buttons on the web, numbered choices on text-only channels. */
export function menuActivity(texts: Texts, prompt: string): Partial<Activity> {
  return MessageFactory.suggestedActions(
    MENU_INTENTS.map((intent) => texts.menu[intent]),
    prompt,
  );
}

/** Routes every conversation: greets, shows the menu, starts the flow asked for, and loops. */
export class MainDialog extends InterruptibleDialog {
  private readonly flows: Partial<Record<Intent, Dialog>>;
  private readonly understand: (text: string) => Promise<UnderstoodMessage>;
  /** The dialogs a customer can be in the middle of: the flows and the call-back. */
  private readonly flowIds: Set<string>;

  constructor(private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    this.flows = deps.flows ?? {};
    this.understand = deps.understand ?? keywordsOnly;
    this.addDialog(new TextPrompt(MENU_PROMPT));
    this.addDialog(new TextPrompt(RESUME_PROMPT));
    for (const flow of Object.values(this.flows)) if (flow) this.addDialog(flow);
    if (deps.callback) this.addDialog(deps.callback);
    this.flowIds = new Set(
      [...Object.values(this.flows).map((flow) => flow?.id), deps.callback?.id].filter((id): id is string => Boolean(id)),
    );
    this.addDialog(new WaterfallDialog(AFTER_HANDOFF, [this.askRatingStep.bind(this), this.afterRatingStep.bind(this)]));
    this.addDialog(new WaterfallDialog(RESUME_OFFER, [this.offerStep.bind(this), this.resumeStep.bind(this)]));
    this.addDialog(
      new WaterfallDialog(MAIN_WATERFALL, [
        this.showMenuStep.bind(this),
        this.routeStep.bind(this),
        this.followUpStep.bind(this),
        this.loopStep.bind(this),
      ]),
    );
    this.initialDialogId = MAIN_WATERFALL;
  }

  /** Runs one turn of the conversation; the main dialog never ends, it loops back to the menu. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, locale: StatePropertyAccessor<Locale>): Promise<void> {
    await settleLocale(context, locale);
    const dialogs = new DialogSet(dialogState);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    const isMessage = context.activity.type === 'message';
    if (isMessage) {
      if (context.activity.text) await this.deps.noteMessage?.(context.activity.conversation.id, context.activity.text);
      const result = await dc.continueDialog();
      if (result.status !== DialogTurnStatus.empty) return;
      // First contact by a message: start listening silently, then let the message itself speak.
      await dc.beginDialog(this.id, { lead: 'greet', silent: true } satisfies MenuOptions);
      await dc.continueDialog();
      return;
    }
    if (!dc.activeDialog) await dc.beginDialog(this.id, { lead: 'greet' } satisfies MenuOptions);
  }

  /** An agent handed the conversation back: start clean, and ask how the service was. */
  async resume(
    context: TurnContext,
    dialogState: StatePropertyAccessor<DialogState>,
    locale: StatePropertyAccessor<Locale>,
  ): Promise<void> {
    await settleLocale(context, locale);
    const dialogs = new DialogSet(dialogState);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    await dc.cancelAllDialogs();
    await dc.beginDialog(this.id, { afterHandoff: true });
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    if ((options as { afterHandoff?: boolean } | undefined)?.afterHandoff) return innerDc.beginDialog(AFTER_HANDOFF);
    return super.onBeginDialog(innerDc, options);
  }

  /** Tells the customer the bot is back and asks for a rating of the agent's service. */
  private async askRatingStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(textsOf(step.context).agentLeft);
    const rating = this.flows.rating;
    return rating ? step.beginDialog(rating.id, { afterHandoff: true }) : step.next();
  }

  /** After the rating: the menu, or the customer's other question answered at once. */
  private async afterRatingStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as FlowResult | undefined;
    if (result?.unanswered && result.utterance)
      return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', utterance: result.utterance } satisfies MenuOptions);
    return step.replaceDialog(MAIN_WATERFALL, { lead: 'again' } satisfies MenuOptions);
  }

  /** Shows the menu (or, on a first message, waits for it silently). */
  private async showMenuStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? { lead: 'again' }) as MenuOptions;
    if (options.utterance || options.restore) return step.next(options.utterance);
    if (options.silent) return step.prompt(MENU_PROMPT, {});
    const texts = textsOf(step.context);
    if (options.lead === 'greet') await step.context.sendActivity(texts.greeting);
    const prompt = options.prompt ?? (options.lead === 'again' ? texts.menuAgain : texts.menuPrompt);
    return step.prompt(MENU_PROMPT, { prompt: menuActivity(texts, prompt) });
  }

  /** Understands the answer and starts what the customer asked for. */
  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const texts = textsOf(step.context);
    const options = (step.options ?? {}) as MenuOptions;
    const { conversation } = step.context.activity;
    if (options.restore) {
      // The flow's state is back in the conversation: the kept copy would only be offered twice.
      await this.deps.drafts?.discard(conversation.id);
      (step.values as FlowMemory).flow = options.restore.intent;
      const restored = await restoreFlow(step, options.restore.instance, options.answerNow);
      if (restored) return restored;
    }
    const answer = String(step.result ?? '').trim();
    if (asksForCallback(answer) && this.deps.callback) return step.beginDialog(this.deps.callback.id, { confirmed: true });
    if (GO_ON.test(answer)) {
      // "继续" after leaving a flow means that flow, when one is kept.
      const draft = await this.deps.drafts?.get(conversation.id);
      const intent = draft && this.intentOf(draft.instance.id);
      if (draft && intent) {
        await step.context.sendActivity(texts.resumed(this.flowName(texts, intent)));
        return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', restore: { intent, instance: draft.instance } } satisfies MenuOptions);
      }
    }
    const understood = await this.understandAnswer(answer, options.routed);
    const intent = understood.intent;
    step.context.turnState.set(TURN_INTENT, intent);
    const firstContact = Boolean(options.silent);
    if (intent !== 'other' && intent !== 'greeting') await this.deps.people.noteFacts(conversation.id, { intent });

    if (intent === 'human') return this.toPerson(step, options.troubleshootFailed ? 'troubleshootFailed' : 'asked');
    if (intent === 'greeting') {
      return step.replaceDialog(MAIN_WATERFALL, { lead: 'greet' } satisfies MenuOptions);
    }
    const foreign = PRODUCT_REQUESTS.includes(intent) ? this.deps.foreignProductIn?.(answer) : undefined;
    if (foreign) return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', prompt: texts.notOurs(foreign) } satisfies MenuOptions);
    // 换屏多少钱 is answered from the catalogue's fee ranges, which the warranty flow knows.
    const fee = asksAboutFee(answer) && (intent === 'faq' || intent === 'warranty');
    const flow = fee ? this.flows.warranty : this.flows[intent];
    if (flow) {
      if (!options.fresh && KEPT_FLOWS.includes(intent)) {
        const draft = await this.deps.drafts?.get(conversation.id);
        if (draft?.flow === intent && step.findDialog(draft.instance.id)) {
          return step.replaceDialog(RESUME_OFFER, { kind: 'returning', intent, utterance: answer } satisfies ResumeOptions);
        }
      }
      (step.values as FlowMemory).flow = intent;
      const { category, modelId } = understood.entities;
      return step.beginDialog(flow.id, { utterance: answer, category, modelId, fee: fee || undefined } satisfies FlowOptions);
    }
    if (intent === 'complaint') return this.toPerson(step, 'complaint', texts.complaintToPerson);
    if (isMenuIntent(intent)) {
      await step.context.sendActivity(texts.comingSoon(texts.menu[intent]));
      return step.next();
    }
    const misses = (options.misses ?? 0) + 1;
    if (misses >= 2) return this.toPerson(step, 'misunderstood', texts.misunderstoodTwice);
    const lead: MenuOptions['lead'] = firstContact ? 'greet' : 'none';
    return step.replaceDialog(MAIN_WATERFALL, {
      lead,
      prompt: texts.notUnderstood,
      misses,
      setAside: options.setAside,
    } satisfies MenuOptions);
  }

  /** Goes on to 报修, already filled in, when troubleshooting did not help and the customer wants it. */
  private async followUpStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as FlowResult | undefined;
    const options = (step.options ?? {}) as MenuOptions;
    const ran = (step.values as FlowMemory).flow;
    // The flow ended by itself (a ticket, a no): nothing of it is left to offer back.
    if (ran && KEPT_FLOWS.includes(ran)) await this.deps.drafts?.discard(step.context.activity.conversation.id);
    if (result?.unanswered && result.utterance) {
      const { setAside } = options;
      // A side question's answer was followed by words for the flow put aside (看不到，字太小了): they answer it.
      if (setAside && !(await this.otherRequest(result.utterance, setAside.intent, localeOf(step.context)))) {
        return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', restore: setAside, answerNow: true } satisfies MenuOptions);
      }
      return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', utterance: result.utterance, setAside } satisfies MenuOptions);
    }
    if (result?.solved === false) {
      (step.values as FlowMemory).troubleshootFailed = true;
      const stepsTried = result.tried?.map((tried) => `${tried.instruction} → ${tried.answer}`);
      if (stepsTried?.length) await this.deps.people.noteFacts(step.context.activity.conversation.id, { stepsTried });
    }
    const faultReport = this.flows.fault_report;
    if (result?.report && faultReport) return step.beginDialog(faultReport.id, result.report);
    return step.next();
  }

  /** Comes back to the menu after a flow ends. */
  private async loopStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { setAside } = (step.options ?? {}) as MenuOptions;
    if (setAside)
      return step.replaceDialog(RESUME_OFFER, {
        kind: 'detour',
        intent: setAside.intent,
        instance: setAside.instance,
      } satisfies ResumeOptions);
    const troubleshootFailed = (step.values as FlowMemory).troubleshootFailed === true || undefined;
    return step.replaceDialog(MAIN_WATERFALL, { lead: 'again', troubleshootFailed } satisfies MenuOptions);
  }

  /** Asks whether to go on with an unfinished flow: "上次的报修还没提交，要继续吗？" */
  private async offerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as ResumeOptions;
    const texts = textsOf(step.context);
    const flow = this.flowName(texts, options.intent);
    const [question, choices] =
      options.kind === 'returning'
        ? [texts.resumeDraft(flow), [texts.resumeYes, texts.resumeRestart]]
        : [texts.offerBack(flow), [texts.resumeYes, texts.resumeNo]];
    return step.prompt(RESUME_PROMPT, { prompt: askWithChoices(question, choices) });
  }

  /** 继续 puts the flow back where it was; 重新开始 starts it afresh; anything else is a new request. */
  private async resumeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as ResumeOptions;
    const texts = textsOf(step.context);
    const conversationId = step.context.activity.conversation.id;
    const flow = this.flowName(texts, options.intent);
    const answer = String(step.result ?? '').trim();
    const returning = options.kind === 'returning';
    const other = returning ? texts.resumeRestart : texts.resumeNo;
    const picked = matchChoice(answer, [texts.resumeYes, other]);
    const again = {
      lead: 'none',
      utterance: options.utterance || texts.menu[options.intent as MenuIntent] || flow,
      routed: options.intent,
      fresh: true,
    } satisfies MenuOptions;
    if (picked === texts.resumeYes || (!picked && YES.test(answer))) {
      const instance = options.instance ?? (await this.deps.drafts?.get(conversationId))?.instance;
      // Gone in the meantime (kept 24 hours): the flow starts afresh.
      if (!instance) return step.replaceDialog(MAIN_WATERFALL, again);
      await step.context.sendActivity(texts.resumed(flow));
      return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', restore: { intent: options.intent, instance } } satisfies MenuOptions);
    }
    if (returning && (picked === texts.resumeRestart || (!picked && START_OVER.test(answer)))) {
      await this.deps.drafts?.discard(conversationId);
      await step.context.sendActivity(texts.startingOver);
      return step.replaceDialog(MAIN_WATERFALL, again);
    }
    if (!returning && (picked === texts.resumeNo || (!picked && NO.test(answer)))) {
      const kept = Boolean(await this.deps.drafts?.get(conversationId));
      return step.replaceDialog(MAIN_WATERFALL, {
        lead: 'none',
        prompt: texts.thenMenu(texts.notResumed(flow, kept)),
      } satisfies MenuOptions);
    }
    // The customer has moved on; a kept draft stays kept for when they come back to it.
    return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', utterance: answer } satisfies MenuOptions);
  }

  private async understandAnswer(answer: string, routed?: Intent): Promise<UnderstoodMessage> {
    const menuNumber = /^[1-9]$/.test(answer) ? Number(answer) : 0;
    if (menuNumber >= 1 && menuNumber <= MENU_INTENTS.length) {
      return { intent: MENU_INTENTS[menuNumber - 1], confidence: 1, reason: `menu item ${menuNumber}`, entities: {} };
    }
    if (routed) {
      const understood = await this.understand(answer);
      return { ...understood, intent: routed, confidence: 1, reason: `asked for during another flow (${understood.reason})` };
    }
    // 查下单子, 给个评价: short words mean the same in every state, whatever the similarity says.
    const short = shortRequestOf(answer);
    if (short) return { intent: short, confidence: 1, reason: `short request "${answer}"`, entities: {} };
    return this.understand(answer);
  }

  private flowName(texts: Texts, intent: Intent): string {
    const id = this.flows[intent]?.id;
    return (id && texts.flowNames[id]) || (isMenuIntent(intent) ? texts.menu[intent] : intent);
  }

  /** The flow the customer is in the middle of (the topmost flow on the stack), if any. */
  private flowInstance(innerDc: DialogContext): DialogInstance | undefined {
    return [...innerDc.stack].reverse().find((instance) => this.flowIds.has(instance.id));
  }

  private intentOf(dialogId: string): Intent | undefined {
    return (Object.entries(this.flows) as Array<[Intent, Dialog | undefined]>).find(([, flow]) => flow?.id === dialogId)?.[0];
  }

  /** Keeps the unfinished flow for 24 hours, when it is one worth keeping; says which facts were kept. */
  private async keepDraft(innerDc: DialogContext): Promise<DraftFact[]> {
    const instance = this.flowInstance(innerDc);
    const intent = instance && this.intentOf(instance.id);
    if (!instance || !intent || !KEPT_FLOWS.includes(intent) || !this.deps.drafts) return [];
    const facts = factsOf(instance);
    if (!facts.length) return [];
    await this.deps.drafts.save(innerDc.context.activity.conversation.id, { flow: intent, facts, instance: copyOf(instance) });
    return facts;
  }

  /**
   * What else a message in the middle of a flow asks for, if clearly something else: a short request
   * (给个评价), a change of mind (不报修了，我要投诉), or a question the manual answers. Answers to
   * the flow's own question (a phone number, 是, a symptom) are none of these.
   */
  private async otherRequest(text: string, current: Intent | undefined, locale: Locale): Promise<OtherRequest | undefined> {
    const startable = (intent: Intent) =>
      intent !== current && (!current || LEADS_TO[current] !== intent) && (Boolean(this.flows[intent]) || intent === 'complaint');
    const instead = changeOfMind(text);
    if (instead) {
      const asked = requestIn(instead);
      const understood = asked ? undefined : await this.understand(instead);
      const intent = asked ?? (understood && CHANGE_TARGETS.includes(understood.intent) ? understood.intent : undefined);
      if (intent && startable(intent)) return { intent, utterance: instead, mode: 'switch' };
    }
    const asked = requestIn(text);
    if (asked && startable(asked)) return { intent: asked, utterance: text, mode: 'detour' };
    if (!looksLikeQuestion(text)) return undefined;
    if (current === 'faq') {
      // "没帮助，还有别的办法吗？" answers "did that help?" first.
      if (NO.test(text.trim())) return undefined;
      // After an answer, a new question is a new question, not "did that help?".
      const understood = await this.understand(text);
      const asksAgain = ['faq', 'troubleshoot', 'fault_report', 'warranty', 'ticket_status'].includes(understood.intent);
      return asksAgain && normalizeUtterance(text).length >= 4 ? { intent: understood.intent, utterance: text, mode: 'quiet' } : undefined;
    }
    if (!current || !QUESTIONS_ON_THE_SIDE.includes(current) || !this.flows.faq) return undefined;
    // 序列号在哪看 inside 报修/保修查询 is the flow's own question: it answers for the product named and goes on.
    if ((current === 'fault_report' || current === 'warranty') && asksWhereSerial(text)) return undefined;
    const understood = await this.understand(text);
    const { serial, phone, ticketId } = understood.entities;
    if (serial || phone || ticketId) return undefined;
    // A symptom put as a question (充不进电怎么办) describes the fault the flow is asking about.
    const answerable = this.deps.answerable
      ? ['faq', 'warranty'].includes(understood.intent) && (await this.deps.answerable(text, locale))
      : understood.intent === 'faq' && understood.confidence >= SIDE_QUESTION_CONFIDENCE;
    return answerable ? { intent: 'faq', utterance: text, mode: 'detour' } : undefined;
  }

  protected override async redirect(innerDc: DialogContext, text: string): Promise<DialogTurnResult | undefined> {
    const instance = this.flowInstance(innerDc);
    if (!instance) return undefined;
    const texts = textsOf(innerDc.context);
    const current = this.intentOf(instance.id);
    const flowName = this.currentFlow(innerDc) ?? '';
    // Once the flow knows the product (ours), another maker's device is only a comparison ("跟我的华为手机一样").
    const productKnown = factsOf(instance).some((fact) => fact === 'modelId' || fact === 'serial' || fact === 'categoryId');
    const foreign = current && ABOUT_A_PRODUCT.includes(current) && !productKnown ? this.deps.foreignProductIn?.(text) : undefined;
    if (foreign) {
      await this.keepDraft(innerDc);
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(MAIN_WATERFALL, { lead: 'none', prompt: texts.notOurs(foreign) } satisfies MenuOptions);
    }
    // 还是报修吧 in the middle of the 报修: the customer wants what is going on; its question again.
    if (current && current !== 'faq' && requestIn(text) === current) {
      await innerDc.context.sendActivity(texts.resumed(flowName));
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const other = await this.otherRequest(text, current, localeOf(innerDc.context));
    if (!other) return undefined;
    const offerBack = other.mode === 'detour' && current !== undefined && !NOT_OFFERED_BACK.includes(current);
    const setAside: SetAside | undefined = offerBack && current ? { intent: current, instance: copyOf(instance) } : undefined;
    const kept = await this.keepDraft(innerDc);
    await innerDc.cancelAllDialogs();
    if (other.mode === 'switch') await innerDc.context.sendActivity(texts.switched(flowName, kept.length > 0));
    return innerDc.beginDialog(MAIN_WATERFALL, {
      lead: 'none',
      utterance: other.utterance,
      routed: other.intent,
      setAside,
    } satisfies MenuOptions);
  }

  protected override async leave(innerDc: DialogContext, how: Leaving): Promise<DialogTurnResult> {
    const texts = textsOf(innerDc.context);
    const flow = this.currentFlow(innerDc) ?? '';
    const kept = (await this.keepDraft(innerDc)).map((fact) => texts.draftFacts[fact]);
    if (how === 'menu') return this.restart(innerDc, kept.length ? `${texts.backToMenu}${texts.keptNote(flow, kept)}` : texts.backToMenu);
    if (how === 'goodbye') {
      await innerDc.context.sendActivity(texts.leftFlow(flow, kept));
      return this.farewell(innerDc);
    }
    return this.restart(innerDc, texts.leftFlow(flow, kept));
  }

  protected override async farewell(innerDc: DialogContext): Promise<DialogTurnResult> {
    await innerDc.context.sendActivity(textsOf(innerDc.context).goodbye);
    await innerDc.cancelAllDialogs();
    // No menu after a goodbye: the next message, whenever it comes, is answered as a first one.
    return innerDc.beginDialog(MAIN_WATERFALL, { lead: 'none', silent: true } satisfies MenuOptions);
  }

  /**
   * Puts the customer through to a person: where they are in line and how long, or — outside
   * service hours — a call-back instead. Once queued the dialogs stop: the hand-off gate takes over.
   */
  private async toPerson(dc: DialogContext, reason: EscalationReason, lead?: string): Promise<DialogTurnResult> {
    const texts = textsOf(dc.context);
    const { activity } = dc.context;
    dc.context.turnState.set(TURN_INTENT, 'human');
    if (lead) await dc.context.sendActivity(lead);
    const outcome = await this.deps.people.escalate({ conversationId: activity.conversation.id, channel: activity.channelId, reason });
    if (outcome.kind === 'afterHours') {
      await dc.context.sendActivity(texts.afterHours(outcome.opens));
      await dc.cancelAllDialogs();
      if (this.deps.callback) return dc.beginDialog(this.deps.callback.id, { opens: outcome.opens, reason });
      return dc.beginDialog(MAIN_WATERFALL, { lead: 'again' } satisfies MenuOptions);
    }
    if (outcome.kind === 'withAgent') await dc.context.sendActivity(texts.alreadyWithAgent);
    else {
      const people = peopleTextsFor(localeOf(dc.context));
      await dc.context.sendActivity(outcome.already ? people.alreadyQueued(outcome.wait) : people.queued(outcome.wait));
    }
    return dc.cancelAllDialogs();
  }

  protected override async restart(innerDc: DialogContext, lead: string): Promise<DialogTurnResult> {
    await innerDc.cancelAllDialogs();
    const texts = textsOf(innerDc.context);
    return innerDc.beginDialog(MAIN_WATERFALL, { lead: 'none', prompt: texts.thenMenu(lead) } satisfies MenuOptions);
  }

  protected override async escalate(innerDc: DialogContext): Promise<DialogTurnResult> {
    const inTroubleshooting = innerDc.stack.some((instance) => instance.id === this.flows.troubleshoot?.id);
    await this.keepDraft(innerDc);
    return this.toPerson(innerDc, inTroubleshooting ? 'troubleshootFailed' : 'asked');
  }

  protected override async safetyFirst(innerDc: DialogContext): Promise<DialogTurnResult> {
    await this.keepDraft(innerDc);
    return this.toPerson(innerDc, 'safety', textsOf(innerDc.context).safetyFirst);
  }
}
