import { MessageFactory, type Activity, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  Dialog,
  DialogSet,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogState,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { EscalationReason, HandoffServices } from './handoffServices';
import type { UnderstoodMessage } from './knowledgeServices';
import type { TroubleshootResult } from './troubleshootDialog';
import { asksAboutFee, asksForCallback, recognizeIntent, type Intent, type Locale } from '../knowledge';
import { InterruptibleDialog } from './interruptibleDialog';
import { localeOf, settleLocale, textsOf } from './locale';
import { peopleTextsFor } from './peopleTexts';
import { MENU_INTENTS, type MenuIntent, type Texts } from './texts';

export const MAIN_DIALOG = 'mainDialog';
const MAIN_WATERFALL = 'mainWaterfall';
const AFTER_HANDOFF = 'afterHandoff';
const MENU_PROMPT = 'menuPrompt';

/** The intent the turn was routed by, for the turn's log line. */
export const TURN_INTENT = Symbol('turnIntent');

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
}

/** What the main waterfall remembers between its steps. */
interface FlowMemory {
  troubleshootFailed?: boolean;
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

  constructor(private readonly deps: MainDialogDeps) {
    super(MAIN_DIALOG);
    this.flows = deps.flows ?? {};
    this.understand = deps.understand ?? keywordsOnly;
    this.addDialog(new TextPrompt(MENU_PROMPT));
    for (const flow of Object.values(this.flows)) if (flow) this.addDialog(flow);
    if (deps.callback) this.addDialog(deps.callback);
    this.addDialog(new WaterfallDialog(AFTER_HANDOFF, [this.askRatingStep.bind(this), this.afterRatingStep.bind(this)]));
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
  async run(
    context: TurnContext,
    dialogState: StatePropertyAccessor<DialogState>,
    locale: StatePropertyAccessor<Locale>,
  ): Promise<void> {
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
  async resume(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, locale: StatePropertyAccessor<Locale>): Promise<void> {
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
    if (result?.unanswered && result.utterance) return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', utterance: result.utterance } satisfies MenuOptions);
    return step.replaceDialog(MAIN_WATERFALL, { lead: 'again' } satisfies MenuOptions);
  }

  /** Shows the menu (or, on a first message, waits for it silently). */
  private async showMenuStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? { lead: 'again' }) as MenuOptions;
    if (options.utterance) return step.next(options.utterance);
    if (options.silent) return step.prompt(MENU_PROMPT, {});
    const texts = textsOf(step.context);
    if (options.lead === 'greet') await step.context.sendActivity(texts.greeting);
    const prompt = options.prompt ?? (options.lead === 'again' ? texts.menuAgain : texts.menuPrompt);
    return step.prompt(MENU_PROMPT, { prompt: menuActivity(texts, prompt) });
  }

  /** Understands the answer and starts what the customer asked for. */
  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const texts = textsOf(step.context);
    const answer = String(step.result ?? '').trim();
    const options = (step.options ?? {}) as MenuOptions;
    if (asksForCallback(answer) && this.deps.callback) return step.beginDialog(this.deps.callback.id, { confirmed: true });
    const understood = await this.understandAnswer(answer);
    const intent = understood.intent;
    step.context.turnState.set(TURN_INTENT, intent);
    const firstContact = Boolean(options.silent);
    const { conversation } = step.context.activity;
    if (intent !== 'other' && intent !== 'greeting') await this.deps.people.noteFacts(conversation.id, { intent });

    if (intent === 'human') return this.toPerson(step, options.troubleshootFailed ? 'troubleshootFailed' : 'asked');
    if (intent === 'greeting') {
      return step.replaceDialog(MAIN_WATERFALL, { lead: 'greet' } satisfies MenuOptions);
    }
    // 换屏多少钱 is answered from the catalogue's fee ranges, which the warranty flow knows.
    const fee = asksAboutFee(answer) && (intent === 'faq' || intent === 'warranty');
    const flow = fee ? this.flows.warranty : this.flows[intent];
    if (flow) {
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
    return step.replaceDialog(MAIN_WATERFALL, { lead, prompt: texts.notUnderstood, misses } satisfies MenuOptions);
  }

  /** Goes on to 报修, already filled in, when troubleshooting did not help and the customer wants it. */
  private async followUpStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as FlowResult | undefined;
    if (result?.unanswered && result.utterance) {
      return step.replaceDialog(MAIN_WATERFALL, { lead: 'none', utterance: result.utterance } satisfies MenuOptions);
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
    const troubleshootFailed = (step.values as FlowMemory).troubleshootFailed === true || undefined;
    return step.replaceDialog(MAIN_WATERFALL, { lead: 'again', troubleshootFailed } satisfies MenuOptions);
  }

  private async understandAnswer(answer: string): Promise<UnderstoodMessage> {
    const menuNumber = /^[1-9]$/.test(answer) ? Number(answer) : 0;
    if (menuNumber >= 1 && menuNumber <= MENU_INTENTS.length) {
      return { intent: MENU_INTENTS[menuNumber - 1], confidence: 1, reason: `menu item ${menuNumber}`, entities: {} };
    }
    return this.understand(answer);
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
    return this.toPerson(innerDc, inTroubleshooting ? 'troubleshootFailed' : 'asked');
  }

  protected override async safetyFirst(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.toPerson(innerDc, 'safety', textsOf(innerDc.context).safetyFirst);
  }
}
