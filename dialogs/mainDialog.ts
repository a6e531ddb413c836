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
import type { HumanRequests } from '../desk/humanRequests';
import type { UnderstoodMessage } from './knowledgeServices';
import type { TroubleshootResult } from './troubleshootDialog';
import { recognizeIntent, type Intent, type Locale } from '../knowledge';
import { InterruptibleDialog } from './interruptibleDialog';
import { settleLocale, textsOf } from './locale';
import { MENU_INTENTS, type MenuIntent, type Texts } from './texts';

export const MAIN_DIALOG = 'mainDialog';
const MAIN_WATERFALL = 'mainWaterfall';
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
}

export interface MainDialogDeps {
  humanRequests: HumanRequests;
  /** Flows by the intent that starts them; menu intents without one are announced as coming. */
  flows?: Partial<Record<Intent, Dialog>>;
  /** What a message means; without one, the small keyword recognizer of knowledge/intents.ts. */
  understand?: (text: string) => Promise<UnderstoodMessage>;
}

/** What a flow is started with: the customer's words and what they already told us. */
export interface FlowOptions {
  utterance: string;
  category?: string;
  modelId?: string;
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
      const result = await dc.continueDialog();
      if (result.status !== DialogTurnStatus.empty) return;
      // First contact by a message: start listening silently, then let the message itself speak.
      await dc.beginDialog(this.id, { lead: 'greet', silent: true } satisfies MenuOptions);
      await dc.continueDialog();
      return;
    }
    if (!dc.activeDialog) await dc.beginDialog(this.id, { lead: 'greet' } satisfies MenuOptions);
  }

  /** Shows the menu (or, on a first message, waits for it silently). */
  private async showMenuStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? { lead: 'again' }) as MenuOptions;
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
    const understood = await this.understandAnswer(answer);
    const intent = understood.intent;
    step.context.turnState.set(TURN_INTENT, intent);
    const firstContact = Boolean((step.options as MenuOptions | undefined)?.silent);

    if (intent === 'human') {
      await this.recordHumanRequest(step, answer);
      return step.next();
    }
    if (intent === 'greeting') {
      return step.replaceDialog(MAIN_WATERFALL, { lead: 'greet' } satisfies MenuOptions);
    }
    const flow = this.flows[intent];
    if (flow) {
      const { category, modelId } = understood.entities;
      return step.beginDialog(flow.id, { utterance: answer, category, modelId } satisfies FlowOptions);
    }
    if (isMenuIntent(intent)) {
      await step.context.sendActivity(texts.comingSoon(texts.menu[intent]));
      return step.next();
    }
    const lead: MenuOptions['lead'] = firstContact ? 'greet' : 'none';
    return step.replaceDialog(MAIN_WATERFALL, { lead, prompt: texts.notUnderstood } satisfies MenuOptions);
  }

  /** Goes on to 报修, already filled in, when troubleshooting did not help and the customer wants it. */
  private async followUpStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const report = (step.result as TroubleshootResult | undefined)?.report;
    const faultReport = this.flows.fault_report;
    if (report && faultReport) return step.beginDialog(faultReport.id, report);
    return step.next();
  }

  /** Comes back to the menu after a flow ends. */
  private async loopStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog(MAIN_WATERFALL, { lead: 'again' } satisfies MenuOptions);
  }

  private async understandAnswer(answer: string): Promise<UnderstoodMessage> {
    const menuNumber = /^[1-9]$/.test(answer) ? Number(answer) : 0;
    if (menuNumber >= 1 && menuNumber <= MENU_INTENTS.length) {
      return { intent: MENU_INTENTS[menuNumber - 1], confidence: 1, reason: `menu item ${menuNumber}`, entities: {} };
    }
    return this.understand(answer);
  }

  private async recordHumanRequest(dc: DialogContext, reason: string): Promise<void> {
    const texts = textsOf(dc.context);
    const { activity } = dc.context;
    const before = await this.deps.humanRequests.get(activity.conversation.id);
    await this.deps.humanRequests.record({
      conversationId: activity.conversation.id,
      channel: activity.channelId,
      reason,
      at: new Date().toISOString(),
    });
    dc.context.turnState.set(TURN_INTENT, 'human');
    await dc.context.sendActivity(before ? texts.humanAlreadyRequested : texts.humanRequested);
  }

  protected override async restart(innerDc: DialogContext, lead: string): Promise<DialogTurnResult> {
    await innerDc.cancelAllDialogs();
    const texts = textsOf(innerDc.context);
    return innerDc.beginDialog(MAIN_WATERFALL, { lead: 'none', prompt: texts.thenMenu(lead) } satisfies MenuOptions);
  }

  protected override async escalate(innerDc: DialogContext): Promise<DialogTurnResult> {
    await this.recordHumanRequest(innerDc, innerDc.context.activity.text ?? '');
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(MAIN_WATERFALL, { lead: 'again' } satisfies MenuOptions);
  }
}
