import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { TicketDraft } from '../desk/model';
import { asksWhereSerial, saysNoSerial } from '../knowledge';
import { asMessageFacts, type FactsReader } from './conversationMemory';
import type { DeskServices } from './deskServices';
import { localeOf } from './locale';
import { formatDateTime } from './dates';
import { feeAnswer, serialPlaces } from './productQuestions';
import { serviceTextsFor, type ServiceTexts } from './serviceTexts';
import { GIVE_UP_AFTER, type FaultReportOptions, type FaultReportResult, type FaultReportState } from './faultReportState';
import { nextSlot, question, serialPlacesOnce, takeAnotherWay } from './faultReportQuestions';
import { capture, clear, correctionIn, factsKnown, take, takeEarlier } from './faultReportCapture';
import { categoryOf, damageNotice, damageVoids, feeEstimate, modesFor, verdictOf } from './faultReportSummary';

// Other files import the report's shapes from here, where the dialog is.
export type { FaultReportOptions, FaultReportResult, FaultReportState } from './faultReportState';

export const FAULT_REPORT_DIALOG = 'faultReportDialog';
const LOOP = 'faultReportLoop';
const ANSWER = 'faultReportAnswer';

/** 报修: collects the step-1 facts of docs/domain.md (The repair process), taking what the customer already said, and creates the ticket. */
export class FaultReportDialog extends ComponentDialog {
  constructor(
    private readonly desk: DeskServices,
    private readonly facts: FactsReader,
  ) {
    super(FAULT_REPORT_DIALOG);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.captureStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** Starts with what the customer's first message, and the conversation before it, already told us. */
  override async beginDialog(outerDc: DialogContext, options?: FaultReportOptions): Promise<DialogTurnResult> {
    const locale = localeOf(outerDc.context);
    const t = serviceTextsFor(locale);
    const state: FaultReportState = { startedAt: new Date().toISOString(), asked: {}, told: {}, ...options?.prefill };
    // The troubleshooter hands over the message its guide was chosen by; only the fault in it goes on the ticket.
    const handedOver = options?.prefill?.symptom;
    if (handedOver) state.symptom = this.facts.read(handedOver).symptom ?? this.facts.describedSymptom(handedOver) ?? handedOver;
    const said = options?.utterance ? this.facts.read(options.utterance) : undefined;
    if (said?.foreignProduct && !said.category) {
      await outerDc.context.sendActivity(t.notOurs(said.foreignProduct));
      return outerDc.endDialog({ notOurs: true } satisfies FaultReportResult);
    }
    const notes: string[] = [];
    if (said) notes.push(...(await take(this.desk, state, said, t)));
    if (options?.utterance && !state.serial && saysNoSerial(options.utterance)) state.serialUnknown = true;
    const earlier = await this.desk.factsOf?.(outerDc.context.activity.conversation.id);
    if (earlier) takeEarlier(this.desk, state, asMessageFacts(earlier));
    if (said?.asksFee && state.categoryId && !damageVoids(state)) {
      const fees = feeAnswer(this.desk, t, locale, state.categoryId, state.modelId, options?.utterance ?? '', true);
      if (fees) notes.push(fees);
    }
    const notice = damageNotice(this.desk, state, t, locale);
    // Why the repair is probably paid comes before anything else.
    if (notice) notes.unshift(notice);
    state.note = notes.join('\n') || undefined;
    return super.beginDialog(outerDc, state);
  }

  /** Asks for the next missing fact, or for confirmation once all are known. */
  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as FaultReportState;
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    // 要寄修 said in passing counts once the product is known to allow it.
    if (!state.serviceMode && state.wantedMode && state.categoryId && modesFor(this.desk, state).includes(state.wantedMode))
      state.serviceMode = state.wantedMode;
    let slot = nextSlot(this.desk, state);
    const asked = (state.asked ??= {});
    // The third time, a question with another way to it takes that way instead.
    if ((asked[slot] ?? 0) >= 2) {
      // Why the last answer was not taken belongs to the question being left behind.
      const why = state.note;
      state.note = undefined;
      if (takeAnotherWay(state, slot, t)) slot = nextSlot(this.desk, state);
      else state.note = why;
    }
    const times = (asked[slot] ?? 0) + 1;
    asked[slot] = times;
    state.asking = slot;
    const note = [state.note, serialPlacesOnce(this.desk, state, slot, t, locale)].filter(Boolean).join('\n');
    state.note = undefined;
    if (times > GIVE_UP_AFTER) {
      await step.context.sendActivity([note, t.stuck].filter(Boolean).join('\n'));
      return step.endDialog({ stuck: true } satisfies FaultReportResult);
    }
    if (note) await step.context.sendActivity(note);
    return step.prompt(ANSWER, { prompt: question(this.desk, slot, state, t, locale, times) });
  }

  /** Takes the answer (or a correction), then asks the next question or creates the ticket. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as FaultReportState;
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    const answer = String(step.result ?? '').trim();
    const corrected = state.asking === 'editWhich' ? undefined : correctionIn(answer);
    if (corrected) {
      clear(state, corrected);
      state.note = t.redo(t.fieldNames[corrected] ?? '');
      return step.replaceDialog(LOOP, state);
    }
    const facts = this.facts.read(answer);
    if (facts.foreignProduct && !facts.category && (state.asking === 'product' || state.asking === 'family' || state.asking === 'model')) {
      await step.context.sendActivity(t.notOurs(facts.foreignProduct));
      return step.endDialog({ notOurs: true } satisfies FaultReportResult);
    }
    if (facts.asksFee && state.categoryId && state.asking && state.asking !== 'consent') {
      // 换屏多少钱 in the middle: the range, then the same question again (not counted as a miss).
      state.note = feeAnswer(this.desk, t, locale, state.categoryId, state.modelId, answer, true);
      const asked = (state.asked ??= {});
      asked[state.asking] = Math.max(0, (asked[state.asking] ?? 1) - 1);
      return step.replaceDialog(LOOP, state);
    }
    if (!state.serial && (saysNoSerial(answer) || asksWhereSerial(answer)) && !facts.serial) {
      // 序列号不知道在哪看: where it is printed, then the models to pick from; not a miss of the question asked.
      state.serialUnknown = true;
      state.categoryId ??= facts.category;
      await take(this.desk, state, facts, t, true);
      if (state.toConfirm?.serial) state.toConfirm = { ...state.toConfirm, serial: undefined };
      const asked = (state.asked ??= {});
      if (state.asking) asked[state.asking] = Math.max(0, (asked[state.asking] ?? 1) - 1);
      if (state.categoryId && !state.told?.serialPlaces) {
        (state.told ??= {}).serialPlaces = true;
        state.note = serialPlaces(this.desk, t, locale, state.categoryId);
      } else if (!state.categoryId) state.note = t.serialWhereAny;
      return step.replaceDialog(LOOP, state);
    }
    const hadDamageNotice = state.told?.damage === true;
    const before = factsKnown(state);
    const asking = state.asking;
    const outcome = await capture(this.desk, this.facts, state, answer, facts, t, locale);
    if (outcome === 'declined') {
      await step.context.sendActivity(t.declined);
      return step.endDialog();
    }
    if (outcome === 'notOurs') {
      await step.context.sendActivity(t.notOursUnnamed);
      return step.endDialog({ notOurs: true } satisfies FaultReportResult);
    }
    if (outcome === 'confirmed') return this.createTicket(step, state, t);
    // What else the answer said (a phone with the model, a drop with the symptom) is not asked again.
    const extra = await take(this.desk, state, facts, t, true);
    if (state.note && asking && factsKnown(state) !== before) {
      // Not the answer to the question, but other facts (a date at the damage question, a model at the date one): taken, no miss.
      const asked = (state.asked ??= {});
      if (state.asking === asking) asked[asking] = Math.max(0, (asked[asking] ?? 1) - 1);
      state.note = undefined;
    }
    const notice = hadDamageNotice ? undefined : damageNotice(this.desk, state, t, locale);
    state.note = [notice, state.note, ...extra].filter(Boolean).join('\n') || undefined;
    return step.replaceDialog(LOOP, state);
  }

  /** Creates the ticket and tells its number, the kind of service and the promised time. */
  private async createTicket(step: WaterfallStepContext, state: FaultReportState, t: ServiceTexts): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const verdict = verdictOf(this.desk, state);
    const kinds = new Set(state.damageKinds ?? []);
    const category = categoryOf(this.desk, state);
    const draft: TicketDraft = {
      customer: { name: state.name ?? t.nameNotGiven, phone: state.phone ?? '' },
      product: {
        modelId: state.modelId ?? serviceTextsFor('zh-CN').modelUnknownName(category?.name ?? ''),
        category: state.categoryId ?? '',
        serial: state.serial,
      },
      purchaseDate: state.purchaseDate,
      warranty: { status: verdict.status, serviceKind: verdict.serviceKind, endsOn: verdict.endsOn, pendingProof: verdict.pendingProof },
      fault: {
        symptom: state.symptom ?? t.symptomNotGiven,
        liquid: kinds.has('liquid'),
        physicalDamage: kinds.has('physicalDamage'),
        disassembled: kinds.has('disassembled'),
      },
      serviceMode: state.serviceMode ?? 'carryIn',
      area: state.area ?? 'city',
      address: state.address,
      feeEstimate: feeEstimate(this.desk, state, verdict),
      consent: { fee: verdict.serviceKind !== 'paid' || state.consent === true, at: state.consent ? new Date().toISOString() : undefined },
      channel: step.context.activity.channelId,
      conversationId: step.context.activity.conversation.id,
      stepsTried: state.stepsTried,
    };
    const attachments = (await this.desk.attachmentsOf?.(draft.conversationId)) ?? [];
    if (attachments.length) draft.attachments = attachments;
    if (state.orderId) draft.attachments = [...(draft.attachments ?? []), `淘宝订单 ${state.orderId}`];
    const ticket = await this.desk.tickets.create(draft, 'customer', `${draft.conversationId}:${state.startedAt}`);
    const model = state.modelId ? this.desk.catalogue.model(state.modelId) : undefined;
    await this.desk.noteFacts?.(draft.conversationId, {
      ticketId: ticket.id,
      product: model?.name ?? draft.product.modelId,
      warranty: t.statusNames[verdict.status],
      customerName: draft.customer.name,
      phone: draft.customer.phone,
      category: state.categoryId,
      modelId: state.modelId,
      symptom: state.symptom,
    });
    const promise =
      draft.serviceMode === 'onsite'
        ? t.promiseVisit(formatDateTime(ticket.dispatchDeadline, this.desk.timeZone, locale))
        : draft.serviceMode === 'mailIn'
          ? t.promiseMailIn
          : t.promiseCarryIn;
    const kind = verdict.pendingProof && !state.purchaseDate ? t.pendingProofMark : t.kindNames[verdict.serviceKind];
    const created = t.created(ticket.id, kind, promise);
    await step.context.sendActivity(verdict.pendingProof ? `${created}\n${t.pendingProofReminder}` : created);
    return step.endDialog({ ticketId: ticket.id } satisfies FaultReportResult);
  }
}
