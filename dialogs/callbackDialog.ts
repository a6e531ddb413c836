import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { maskPhone } from '../desk/privacy';
import { extractMobile, normalizeUtterance } from '../knowledge';
import { askWithChoices, matchChoice } from './choices';
import type { HandoffServices } from './handoffServices';
import { localeOf } from './locale';
import { peopleTextsFor, type PeopleTexts } from './peopleTexts';

export const CALLBACK_DIALOG = 'callbackDialog';
const STEPS = 'callbackSteps';
const CONSENT_PROMPT = 'callbackConsent';
const KNOWN_PHONE_PROMPT = 'callbackKnownPhone';
const PHONE_PROMPT = 'callbackPhone';
/** Wrong numbers before the dialog stops asking: after that, more asking is pestering. */
const PHONE_TRIES = 3;

export interface CallbackOptions {
  /** When agents start (e.g. "09:00"), told to the customer with the call-back number. */
  opens?: string;
  /** Why the customer wants a call (kept on the request as its note for the agent). */
  reason?: string;
  /** The customer already asked for a call-back: skip the "shall I?" question. */
  confirmed?: boolean;
}

/** A call-back number when one was registered; `unanswered` when the customer was talking about something else. */
export interface CallbackResult {
  callbackId?: string;
  unanswered?: boolean;
  utterance?: string;
}

interface CallbackValues {
  phone?: string;
  knownPhone?: string;
}

type Answer = { kind: 'yes' } | { kind: 'no' } | { kind: 'decline' } | { kind: 'phone'; phone: string };

const YES_WORDS = new Set([
  '好',
  '好的',
  '好啊',
  '可以',
  '行',
  '要',
  '需要',
  '要的',
  '是',
  '是的',
  '对',
  '嗯',
  '嗯嗯',
  '麻烦了',
  '麻烦你',
  '登记',
  'yes',
  'yeah',
  'yep',
  'ok',
  'okay',
  'sure',
  'please',
  'yesplease',
]);
/** Not wanting the call-back at all. */
const DECLINE_WORDS = new Set([
  '不用',
  '不用了',
  '不要',
  '不要了',
  '不需要',
  '不必',
  '不必了',
  '算了',
  '不了',
  '不登记',
  '不登记了',
  '先不用',
  'nothanks',
  'nothankyou',
  'nevermind',
  'dont',
  'notnow',
]);
/** Not this number (at the question about a known number). */
const OTHER_NUMBER = /换|别的|其他|另一个|不是|不对|不用这个|another|different|other|new|^(?:no|nope)$/u;

/** The answer to "shall I register a call-back?": a number counts as yes, with that number. */
function readConsent(text: string, t: PeopleTexts): Answer | undefined {
  const phone = extractMobile(text);
  if (phone) return { kind: 'phone', phone };
  const bare = normalizeUtterance(text);
  if (!bare) return undefined;
  // Before matchChoice: "不登记" shares two characters with 登记回电 and must still be a no.
  if (DECLINE_WORDS.has(bare) || /^(?:不|别)|^(?:no|nope)$/u.test(bare)) return { kind: 'decline' };
  if (YES_WORDS.has(bare)) return { kind: 'yes' };
  const picked = matchChoice(text, [t.callbackYes, t.callbackNo]);
  if (picked === t.callbackYes) return { kind: 'yes' };
  if (picked === t.callbackNo) return { kind: 'decline' };
  return undefined;
}

/** The answer to "shall we call you on 138****8000?". */
function readKnownPhone(text: string, t: PeopleTexts): Answer | undefined {
  const phone = extractMobile(text);
  if (phone) return { kind: 'phone', phone };
  const bare = normalizeUtterance(text);
  if (!bare) return undefined;
  if (DECLINE_WORDS.has(bare)) return { kind: 'decline' };
  if (YES_WORDS.has(bare) || /^(可以|用这个|就这个|没问题)/u.test(bare)) return { kind: 'yes' };
  if (OTHER_NUMBER.test(bare)) return { kind: 'no' };
  const picked = matchChoice(text, [t.phoneOk, t.phoneOther]);
  if (picked === t.phoneOk) return { kind: 'yes' };
  if (picked === t.phoneOther) return { kind: 'no' };
  return undefined;
}

function declines(text: string): boolean {
  return DECLINE_WORDS.has(normalizeUtterance(text));
}

/**
 * 登记回电: outside service hours (or instead of waiting) the customer leaves a mobile number and an
 * agent phones them. Uses the number the bot already knows when the customer confirms it.
 */
export class CallbackDialog extends ComponentDialog {
  constructor(private readonly people: Pick<HandoffServices, 'requestCallback' | 'facts'>) {
    super(CALLBACK_DIALOG);
    this.addDialog(new TextPrompt(CONSENT_PROMPT, this.acceptsConsent.bind(this)));
    this.addDialog(new TextPrompt(KNOWN_PHONE_PROMPT, this.acceptsKnownPhoneAnswer.bind(this)));
    this.addDialog(new TextPrompt(PHONE_PROMPT, this.acceptsPhone.bind(this)));
    this.addDialog(
      new WaterfallDialog(STEPS, [
        this.askConsentStep.bind(this),
        this.readConsentStep.bind(this),
        this.confirmKnownPhoneStep.bind(this),
        this.readKnownPhoneStep.bind(this),
        this.askPhoneStep.bind(this),
        this.readPhoneStep.bind(this),
        this.createStep.bind(this),
      ]),
    );
    this.initialDialogId = STEPS;
  }

  /** Asks whether to register a call-back, unless the customer already asked for one. */
  private async askConsentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.optionsOf(step).confirmed) return step.next();
    const t = this.textsOf(step);
    return step.prompt(CONSENT_PROMPT, {
      prompt: askWithChoices(t.callbackAsk, [t.callbackYes, t.callbackNo]),
      retryPrompt: askWithChoices(t.callbackPleaseChoose, [t.callbackYes, t.callbackNo]),
    });
  }

  /** Goes on after a yes (or a number), ends kindly after a no, and hands anything else back. */
  private async readConsentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.optionsOf(step).confirmed) return step.next();
    const answerText = String(step.result ?? '').trim();
    const answer = readConsent(answerText, this.textsOf(step));
    if (answer?.kind === 'phone') (step.values as CallbackValues).phone = answer.phone;
    if (answer?.kind === 'decline' || answer?.kind === 'no') return this.decline(step);
    if (!answer) return step.endDialog({ unanswered: true, utterance: answerText } satisfies CallbackResult);
    return step.next();
  }

  /** When the bot already knows a mobile number, asks whether to call that one (shown masked). */
  private async confirmKnownPhoneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as CallbackValues;
    if (values.phone) return step.next();
    const facts = await this.people.facts(step.context.activity.conversation.id);
    const known = facts.phone ? extractMobile(facts.phone) : undefined;
    if (!known) return step.next();
    values.knownPhone = known;
    const t = this.textsOf(step);
    const question = askWithChoices(t.callbackConfirmPhone(maskPhone(known)), [t.phoneOk, t.phoneOther]);
    return step.prompt(KNOWN_PHONE_PROMPT, { prompt: question, retryPrompt: question });
  }

  /** Takes the known number, a newly typed one, or goes on to ask for another. */
  private async readKnownPhoneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as CallbackValues;
    if (values.phone || !values.knownPhone) return step.next();
    const answer = readKnownPhone(String(step.result ?? ''), this.textsOf(step));
    if (answer?.kind === 'decline') return this.decline(step);
    if (answer?.kind === 'phone') values.phone = answer.phone;
    if (answer?.kind === 'yes') values.phone = values.knownPhone;
    return step.next();
  }

  /** Asks for the mobile number when there is none yet; a wrong one is asked for again. */
  private async askPhoneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.values as CallbackValues).phone) return step.next();
    const t = this.textsOf(step);
    return step.prompt(PHONE_PROMPT, { prompt: t.callbackAskPhone, retryPrompt: t.callbackBadPhone });
  }

  /** Takes the number; after three wrong ones, stops kindly without registering. */
  private async readPhoneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as CallbackValues;
    if (values.phone) return step.next();
    const answer = String(step.result ?? '');
    const phone = extractMobile(answer);
    if (phone) {
      values.phone = phone;
      return step.next();
    }
    if (declines(answer)) return this.decline(step);
    await step.context.sendActivity(this.textsOf(step).callbackGiveUp);
    return step.endDialog({} satisfies CallbackResult);
  }

  /** Registers the call-back and tells the customer its number and when to expect the call. */
  private async createStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const phone = (step.values as CallbackValues).phone;
    if (!phone) return step.endDialog({} satisfies CallbackResult);
    const { activity } = step.context;
    const options = this.optionsOf(step);
    const { id } = await this.people.requestCallback({
      conversationId: activity.conversation.id,
      channel: activity.channelId,
      phone,
      note: options.reason,
    });
    await step.context.sendActivity(this.textsOf(step).callbackCreated(id, options.opens));
    return step.endDialog({ callbackId: id } satisfies CallbackResult);
  }

  private async decline(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(this.textsOf(step).callbackDeclined);
    return step.endDialog({} satisfies CallbackResult);
  }

  /** A yes/no question is asked twice at most; the second odd answer goes back to the caller. */
  private async acceptsConsent(prompt: PromptValidatorContext<string>): Promise<boolean> {
    return prompt.attemptCount >= 2 || readConsent(prompt.recognized.value ?? '', peopleTextsFor(localeOf(prompt.context))) !== undefined;
  }

  /** An unclear answer about the known number is asked once more, then a new number is asked for. */
  private async acceptsKnownPhoneAnswer(prompt: PromptValidatorContext<string>): Promise<boolean> {
    return (
      prompt.attemptCount >= 2 || readKnownPhone(prompt.recognized.value ?? '', peopleTextsFor(localeOf(prompt.context))) !== undefined
    );
  }

  /** A wrong number is asked for again, up to three tries in all. */
  private async acceptsPhone(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const text = prompt.recognized.value ?? '';
    return prompt.attemptCount >= PHONE_TRIES || extractMobile(text) !== undefined || declines(text);
  }

  private optionsOf(step: WaterfallStepContext): CallbackOptions {
    return (step.options ?? {}) as CallbackOptions;
  }

  private textsOf(step: WaterfallStepContext): PeopleTexts {
    return peopleTextsFor(localeOf(step.context));
  }
}
