import type { Activity } from 'botbuilder';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Area, Category, FeeRange, ServiceContract, ServiceMode, TicketDraft, WarrantyVerdict } from '../desk/model';
import { exclusionFor } from '../desk/warranty';
import {
  DAMAGE_KINDS,
  extractMobile,
  parsePurchaseDate,
  saysAnotherWay,
  saysDontKnow,
  saysSkip,
  asksWhereSerial,
  saysNoSerial,
  type DamageKind,
  type Locale,
  type MessageFacts,
} from '../knowledge';
import { maskPhone } from '../desk/privacy';
import { askWithChoices, matchChoice } from './choices';
import { asMessageFacts, type FactsReader } from './conversationMemory';
import type { DeskServices } from './deskServices';
import { readTaobaoOrder } from './orderLookup';
import { localeOf } from './locale';
import { formatDate, formatDateTime } from './dates';
import {
  categoryName,
  familyIn,
  isButton,
  familyQuestion,
  feeAnswer,
  feeLines,
  feesFor,
  modelIn,
  modelName,
  modelQuestion,
  serialPlaces,
} from './productQuestions';
import { serviceTextsFor, type ServiceTexts } from './serviceTexts';

export const FAULT_REPORT_DIALOG = 'faultReportDialog';
const LOOP = 'faultReportLoop';
const ANSWER = 'faultReportAnswer';

/** In the order of the damage question's options. */
const DAMAGES = ['none', 'physicalDamage', 'liquid', 'disassembled'] as const;
type Damage = (typeof DAMAGES)[number];
type Slot =
  | 'product'
  | 'confirmProduct'
  | 'family'
  | 'model'
  | 'purchaseDate'
  | 'dateProof'
  | 'proof'
  | 'symptom'
  | 'damage'
  | 'consent'
  | 'serviceMode'
  | 'area'
  | 'address'
  | 'name'
  | 'confirmPhone'
  | 'phone'
  | 'editWhich'
  | 'confirm';

/** A question is asked at most twice the same way and a third time differently; there is no fourth: the flow ends towards a person. */
const GIVE_UP_AFTER = 3;

/** Everything the customer has told us so far; travels with the dialog from turn to turn. */
export interface FaultReportState {
  startedAt: string;
  modelId?: string;
  categoryId?: string;
  serial?: string;
  purchaseDate?: string;
  approximateDate?: boolean;
  /** The purchase date came from the registry or the shop's own order: there is nothing to verify. */
  dateProven?: boolean;
  /** The customer was asked for the order number or the invoice, not the date. */
  dateLookup?: boolean;
  /** No date and nothing to find it by: the report goes on, pending proof of purchase. */
  dateUnknown?: boolean;
  /** The customer's Taobao order the purchase date came from. */
  orderId?: string;
  contract?: ServiceContract;
  hasProof?: boolean;
  proofUnsure?: boolean;
  /** The customer cannot tell the serial: the family and its models are offered instead. */
  serialUnknown?: boolean;
  /** The customer cannot tell the model either: the engineer confirms it. */
  modelUnknown?: boolean;
  symptom?: string;
  damage?: Damage;
  /** Every kind of damage stated (a drop and water can both be true). */
  damageKinds?: DamageKind[];
  damageUnsure?: boolean;
  consent?: boolean;
  serviceMode?: ServiceMode;
  /** The service the customer asked for in passing (要寄修), taken when the product allows it. */
  wantedMode?: ServiceMode;
  area?: Area;
  address?: string;
  name?: string;
  phone?: string;
  /** Facts from earlier in the conversation: confirmed ("是 X20 Pro 吗？"), not asked again. */
  toConfirm?: { modelId?: string; serial?: string; phone?: string };
  editing?: boolean;
  stepsTried?: string[];
  asking?: Slot;
  /** How often each question has been asked. */
  asked?: Partial<Record<Slot, number>>;
  /** Things said once: the damage notice, where the serial is printed. */
  told?: { damage?: boolean; serialPlaces?: boolean };
  /** Said before the next question: why an answer was not taken, or what happens now. */
  note?: string;
}

export interface FaultReportOptions {
  utterance?: string;
  /** Facts already known (from troubleshooting): product, symptom, steps tried. */
  prefill?: Partial<FaultReportState>;
}

/** What the flow ended with, for the main dialog. */
export interface FaultReportResult {
  ticketId?: string;
  /** The product is not ours (洗衣机): nothing to report. */
  notOurs?: boolean;
  /** A question went unanswered four times: the customer is pointed to a person. */
  stuck?: boolean;
}

/** Words that name a field the customer wants to correct ("电话写错了", "改一下地址"). */
const CORRECTIONS: Array<[RegExp, Slot]> = [
  [/电话|手机号|号码|phone|number/i, 'phone'],
  [/地址|address/i, 'address'],
  [/名字|姓名|称呼|联系人|name/i, 'name'],
  [/型号|序列号|sn|产品|model|serial/i, 'product'],
  [/购买日期|购买时间|日期|什么时候买|date/i, 'purchaseDate'],
  [/故障|问题描述|现象|problem|symptom/i, 'symptom'],
  [/服务方式|上门|送修|寄修|service/i, 'serviceMode'],
  [/摔|进水|拆|损坏|damage/i, 'damage'],
];
const CORRECTION_CUE = /错|改|不对|修改|更正|换一?个|wrong|change|correct|fix/i;

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
    if (said) notes.push(...(await this.take(state, said, t)));
    if (options?.utterance && !state.serial && saysNoSerial(options.utterance)) state.serialUnknown = true;
    const earlier = await this.desk.factsOf?.(outerDc.context.activity.conversation.id);
    if (earlier) this.takeEarlier(state, asMessageFacts(earlier));
    if (said?.asksFee && state.categoryId && !this.damageVoids(state)) {
      const fees = feeAnswer(this.desk, t, locale, state.categoryId, state.modelId, options?.utterance ?? '', true);
      if (fees) notes.push(fees);
    }
    const notice = this.damageNotice(state, t, locale);
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
    if (!state.serviceMode && state.wantedMode && state.categoryId && this.modesFor(state).includes(state.wantedMode))
      state.serviceMode = state.wantedMode;
    let slot = this.nextSlot(state);
    const asked = (state.asked ??= {});
    // The third time, a question with another way to it takes that way instead.
    if ((asked[slot] ?? 0) >= 2) {
      // Why the last answer was not taken belongs to the question being left behind.
      const why = state.note;
      state.note = undefined;
      if (this.takeAnotherWay(state, slot, t)) slot = this.nextSlot(state);
      else state.note = why;
    }
    const times = (asked[slot] ?? 0) + 1;
    asked[slot] = times;
    state.asking = slot;
    const note = [state.note, this.serialPlacesOnce(state, slot, t, locale)].filter(Boolean).join('\n');
    state.note = undefined;
    if (times > GIVE_UP_AFTER) {
      await step.context.sendActivity([note, t.stuck].filter(Boolean).join('\n'));
      return step.endDialog({ stuck: true } satisfies FaultReportResult);
    }
    if (note) await step.context.sendActivity(note);
    return step.prompt(ANSWER, { prompt: this.question(slot, state, t, locale, times) });
  }

  /** Takes the answer (or a correction), then asks the next question or creates the ticket. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as FaultReportState;
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    const answer = String(step.result ?? '').trim();
    const corrected = state.asking === 'editWhich' ? undefined : this.correctionIn(answer);
    if (corrected) {
      this.clear(state, corrected);
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
      await this.take(state, facts, t, true);
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
    const outcome = await this.capture(state, answer, facts, t, locale);
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
    const extra = await this.take(state, facts, t, true);
    if (state.note && asking && factsKnown(state) !== before) {
      // Not the answer to the question, but other facts (a date at the damage question, a model at the date one): taken, no miss.
      const asked = (state.asked ??= {});
      if (state.asking === asking) asked[asking] = Math.max(0, (asked[asking] ?? 1) - 1);
      state.note = undefined;
    }
    const notice = hadDamageNotice ? undefined : this.damageNotice(state, t, locale);
    state.note = [notice, state.note, ...extra].filter(Boolean).join('\n') || undefined;
    return step.replaceDialog(LOOP, state);
  }

  /** Creates the ticket and tells its number, the kind of service and the promised time. */
  private async createTicket(step: WaterfallStepContext, state: FaultReportState, t: ServiceTexts): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const verdict = this.verdict(state);
    const kinds = new Set(state.damageKinds ?? []);
    const category = this.category(state);
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
      feeEstimate: this.feeEstimate(state, verdict),
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

  private nextSlot(state: FaultReportState): Slot {
    if (state.editing) return 'editWhich';
    if (state.toConfirm?.modelId || state.toConfirm?.serial) return 'confirmProduct';
    if (!state.modelId && !state.modelUnknown) {
      if (state.categoryId) return 'model';
      return state.serialUnknown ? 'family' : 'product';
    }
    if (!state.purchaseDate && !state.dateUnknown) return state.dateLookup ? 'dateProof' : 'purchaseDate';
    if (state.purchaseDate && !state.dateProven && state.hasProof === undefined && !state.proofUnsure && !this.damageVoids(state))
      return 'proof';
    if (!state.symptom) return 'symptom';
    if (!state.damage) return 'damage';
    if (this.verdict(state).serviceKind === 'paid' && state.consent === undefined) return 'consent';
    if (!state.serviceMode) return 'serviceMode';
    if (state.serviceMode === 'onsite' && !state.area) return 'area';
    if ((state.serviceMode === 'onsite' || state.serviceMode === 'mailIn') && !state.address) return 'address';
    if (!state.name) return 'name';
    if (state.toConfirm?.phone) return 'confirmPhone';
    if (!state.phone) return 'phone';
    return 'confirm';
  }

  /** The question for a slot; from the second time on it also offers the other ways (不知道 / 跳过 / 换个方式 / 转人工). */
  private question(slot: Slot, state: FaultReportState, t: ServiceTexts, locale: Locale, times: number): string | Partial<Activity> {
    const again = times >= 2;
    const third = times >= 3;
    const person = again ? [t.toPerson] : [];
    const choose = (text: string, options: string[], otherWays: string[] = []) =>
      askWithChoices(third ? `${t.chooseOtherwise}\n${text}` : text, [...options, ...(again ? otherWays : []), ...person]);
    switch (slot) {
      case 'product':
        return askWithChoices(t.askProduct, again ? [t.dontKnowSerial, t.anotherWay, t.toPerson] : [t.dontKnowSerial]);
      case 'confirmProduct':
        return choose(t.confirmProduct(this.confirmName(state, locale)), [t.yesItIs, t.noItIsNot]);
      case 'family':
        return familyQuestion(this.desk, locale, third ? `${t.chooseOtherwise}\n${t.askFamily}` : t.askFamily, [t.noneOfThese, ...person]);
      case 'model': {
        const category = this.category(state);
        const name = category ? categoryName(category, locale) : '';
        const text = state.serialUnknown ? t.pickModelNoSerial(name) : t.pickModel(name);
        return modelQuestion(this.desk, state.categoryId ?? '', locale, third ? `${t.chooseOtherwise}\n${text}` : text, [
          t.dontKnowModel,
          ...person,
        ]);
      }
      case 'purchaseDate':
        return askWithChoices(t.askPurchaseDate, again ? [t.dontRemember, t.skip, t.toPerson] : [t.dontRemember]);
      case 'dateProof':
        return askWithChoices(t.askDateProof, [t.goOnWithout, t.toPerson]);
      case 'proof':
        return choose(t.askProof, [t.yes, t.no], [t.unsure]);
      case 'symptom':
        return again ? askWithChoices(t.askSymptom, [t.skip, t.toPerson]) : t.askSymptom;
      case 'damage':
        return choose(t.askDamage, [...t.damageOptions], [t.unsure]);
      case 'consent': {
        if (state.told?.damage) return choose(t.askConsentShort, [t.agree, t.disagree]);
        return choose(t.askConsent(feeLines(t, this.verdict(state).fees, locale)), [t.agree, t.disagree]);
      }
      case 'serviceMode':
        return choose(
          t.askServiceMode,
          this.modesFor(state).map((mode) => t.modeNames[mode]),
        );
      case 'area':
        return choose(t.askArea, [t.areaNames.city, t.areaNames.suburb]);
      case 'address':
        if (third) return askWithChoices(t.askAddressOtherwise, [t.anotherWay, t.toPerson]);
        return again
          ? askWithChoices(t.askAddress(state.serviceMode ?? 'onsite'), [t.anotherWay, t.toPerson])
          : t.askAddress(state.serviceMode ?? 'onsite');
      case 'name':
        if (third) return askWithChoices(t.askNameOtherwise, [t.skip, t.toPerson]);
        return again ? askWithChoices(t.askName, [t.skip, t.toPerson]) : t.askName;
      case 'confirmPhone':
        return choose(t.confirmPhone(maskPhone(state.toConfirm?.phone ?? '')), [t.yesItIs, t.newNumber]);
      case 'phone':
        if (third) return askWithChoices(t.askPhoneOtherwise, [t.toPerson]);
        return again ? askWithChoices(t.askPhone, [t.toPerson]) : t.askPhone;
      case 'editWhich':
        return choose(t.askWhichField, [...Object.values(t.fieldNames), t.keepAsIs]);
      case 'confirm':
        return choose(t.confirmSummary(this.summary(state, t, locale)), [t.confirm, t.change]);
    }
  }

  /** The other way of a question asked twice without an answer; false when it has none (it is rephrased instead). */
  private takeAnotherWay(state: FaultReportState, slot: Slot, t: ServiceTexts): boolean {
    switch (slot) {
      case 'product':
        state.serialUnknown = true;
        return true;
      case 'model':
        state.modelUnknown = true;
        state.note = t.modelLater;
        return true;
      case 'purchaseDate':
        state.dateLookup = true;
        return true;
      case 'dateProof':
        state.dateUnknown = true;
        state.note = t.dateUnverified;
        return true;
      case 'proof':
        state.proofUnsure = true;
        return true;
      case 'symptom':
        state.symptom = t.symptomNotGiven;
        return true;
      case 'damage':
        Object.assign(state, { damage: 'none', damageUnsure: true });
        return true;
      default:
        return false;
    }
  }

  /** Validates an answer for the question asked; a bad one leaves a note and the question stands. */
  private async capture(
    state: FaultReportState,
    answer: string,
    facts: MessageFacts,
    t: ServiceTexts,
    locale: Locale,
  ): Promise<'next' | 'declined' | 'confirmed' | 'notOurs'> {
    // 找不到，盒子早扔了: the first clause answers, the rest says why.
    const dontKnow = saysDontKnow(answer) || saysDontKnow(answer.split(/[，,。；;]/)[0] ?? '');
    switch (state.asking) {
      case 'product': {
        if (dontKnow || saysAnotherWay(answer) || isButton(answer, t.dontKnowSerial, t.anotherWay)) {
          state.serialUnknown = true;
          state.categoryId ??= facts.category;
          return 'next';
        }
        state.note = await this.takeProduct(state, facts, t);
        return 'next';
      }
      case 'confirmProduct': {
        const denies = /^(不是|不对|错了?|没有?这|no\b|not\b|wrong)/i.test(answer) || isButton(answer, t.noItIsNot);
        const yes = denies ? false : yesOrNo(answer, t, [t.yesItIs, t.noItIsNot]) === true ? true : undefined;
        const pending = state.toConfirm ?? {};
        state.toConfirm = { phone: pending.phone };
        if (yes === true) {
          if (pending.serial) state.note = await this.takeProduct(state, { ...facts, serial: pending.serial }, t);
          else if (pending.modelId) this.setModel(state, pending.modelId);
        } else if (yes === false) {
          // 不是 — and maybe the right one in the same breath ("不是，是 X30").
          if (facts.modelId || facts.serial || facts.category) state.note = await this.takeProduct(state, facts, t);
        } else if (facts.modelId || facts.serial) {
          state.note = await this.takeProduct(state, facts, t);
        } else if (pending.modelId && hasOtherFacts(facts)) {
          // 没有发票 / 今年618买的 to "是 W5 吗？": the model stands, the answer is taken as what it says.
          this.setModel(state, pending.modelId);
          if (pending.serial) state.note = await this.takeProduct(state, { ...facts, serial: pending.serial }, t);
        } else {
          state.toConfirm = pending;
          state.note = t.pleaseChoose;
        }
        return 'next';
      }
      case 'family': {
        if (isButton(answer, t.noneOfThese)) return 'notOurs';
        const category = familyIn(this.desk, answer, facts, locale);
        if (category) {
          state.categoryId = category.id;
          if (facts.modelId) this.setModel(state, facts.modelId);
        } else state.note = t.pleaseChoose;
        return 'next';
      }
      case 'model': {
        if (facts.serial) {
          state.note = await this.takeProduct(state, facts, t);
          return 'next';
        }
        const model = modelIn(this.desk, state.categoryId, answer, facts, locale);
        if (model) this.setModel(state, model.id);
        else if (dontKnow || isButton(answer, t.dontKnowModel)) {
          state.modelUnknown = true;
          state.note = t.modelLater;
        } else if (facts.category && facts.category !== state.categoryId) state.categoryId = facts.category;
        else state.note = t.pleaseChoose;
        return 'next';
      }
      case 'purchaseDate': {
        if (dontKnow || saysSkip(answer) || isButton(answer, t.dontRemember, t.skip)) {
          state.dateLookup = true;
          return 'next';
        }
        if (await this.takeOrder(state, answer, t)) return 'next';
        const parsed = parsePurchaseDate(answer, this.desk.today());
        if (parsed.ok) Object.assign(state, { purchaseDate: parsed.date, approximateDate: parsed.approximate });
        else state.note = parsed.reason === 'future' ? t.futureDate : t.badDate;
        return 'next';
      }
      case 'dateProof': {
        if (await this.takeOrder(state, answer, t)) return 'next';
        const parsed = parsePurchaseDate(answer, this.desk.today());
        if (parsed.ok) {
          Object.assign(state, { purchaseDate: parsed.date, approximateDate: parsed.approximate });
          if (facts.proof !== undefined) state.hasProof = facts.proof;
        } else if (parsed.reason === 'future') state.note = t.futureDate;
        else {
          // 没有, 先继续, anything but a date or an order: go on, pending proof.
          state.dateUnknown = true;
          state.note = t.dateUnverified;
        }
        return 'next';
      }
      case 'proof': {
        const yes = yesOrNo(answer, t) ?? facts.proof;
        // No proof at hand now is not no warranty: the ticket goes on pending proof (it may turn up, or the shop's order).
        if (yes === true) state.hasProof = true;
        else if (yes === false) {
          state.proofUnsure = true;
          state.note = t.proofLater;
        } else if (dontKnow || isButton(answer, t.unsure)) state.proofUnsure = true;
        else state.note = t.pleaseChoose;
        return 'next';
      }
      case 'symptom': {
        if (saysSkip(answer) || isButton(answer, t.skip)) {
          state.symptom = t.symptomNotGiven;
          return 'next';
        }
        const symptom = this.facts.describedSymptom(answer);
        if (symptom) state.symptom = symptom;
        else state.note = t.symptomTooShort;
        return 'next';
      }
      case 'damage': {
        // 没摔过 is no drop: the extractor knows negation, the buttons' words come after.
        const stated = DAMAGE_KINDS.filter((kind) => facts.damage[kind] === true);
        const denied = DAMAGE_KINDS.some((kind) => facts.damage[kind] === false);
        const damage: Damage | undefined = stated.length ? stated[0] : denied ? 'none' : damageOf(answer, t);
        if (stated.length) {
          state.damage = stated[0];
          state.damageKinds = stated;
        } else if (damage) {
          state.damage = damage;
          state.damageKinds = damage === 'none' ? [] : [damage];
        } else if (dontKnow || isButton(answer, t.unsure)) Object.assign(state, { damage: 'none', damageUnsure: true, damageKinds: [] });
        else state.note = t.pleaseChoose;
        return 'next';
      }
      case 'consent': {
        const yes = yesOrNo(answer, t, [t.agree, t.disagree]);
        if (yes === undefined) {
          state.note = t.pleaseChoose;
          return 'next';
        }
        state.consent = yes;
        return yes ? 'next' : 'declined';
      }
      case 'serviceMode': {
        const modes = this.modesFor(state);
        const picked = matchChoice(
          answer,
          modes.map((mode) => t.modeNames[mode]),
        );
        const mode = modes.find((m) => t.modeNames[m] === picked) ?? modes.find((m) => modeWords(m).test(answer));
        if (mode) state.serviceMode = mode;
        else state.note = t.pleaseChoose;
        return 'next';
      }
      case 'area': {
        const picked = matchChoice(answer, [t.areaNames.city, t.areaNames.suburb]);
        const area: Area | undefined = /郊|县|镇|乡|村|suburb/i.test(answer)
          ? 'suburb'
          : /市区|城区|市内|city|town/i.test(answer)
            ? 'city'
            : picked === t.areaNames.suburb
              ? 'suburb'
              : picked === t.areaNames.city
                ? 'city'
                : undefined;
        if (area) state.area = area;
        else state.note = t.pleaseChoose;
        return 'next';
      }
      case 'address':
        if (saysAnotherWay(answer) || isButton(answer, t.anotherWay)) {
          // Another way to be served: choose the service again (送修 needs no address).
          this.clear(state, 'serviceMode');
          return 'next';
        }
        if (answer.replace(/\s/g, '').length >= 6) state.address = answer;
        else state.note = t.addressTooShort;
        return 'next';
      case 'name': {
        if (saysSkip(answer) || isButton(answer, t.skip)) {
          state.name = t.nameNotGiven;
          return 'next';
        }
        const name = answer.replace(/^(我叫|我是|叫我|我姓|姓|my name is|i am|i'm)\s*/i, '').trim();
        if (name && name.length <= 30) state.name = name;
        else state.note = t.askName;
        return 'next';
      }
      case 'confirmPhone': {
        const phone = extractMobile(answer);
        const pending = state.toConfirm?.phone;
        state.toConfirm = { ...state.toConfirm, phone: undefined };
        if (phone) state.phone = phone;
        else {
          const yes = yesOrNo(answer, t, [t.yesItIs, t.newNumber]);
          if (yes === true) state.phone = pending;
          else if (yes === undefined) {
            state.toConfirm.phone = pending;
            state.note = t.pleaseChoose;
          }
        }
        return 'next';
      }
      case 'phone': {
        const phone = extractMobile(answer);
        if (phone) state.phone = phone;
        else state.note = t.badPhone;
        return 'next';
      }
      case 'editWhich': {
        if (isButton(answer, t.keepAsIs)) {
          state.editing = false;
          return 'next';
        }
        const fields = Object.entries(t.fieldNames) as Array<[Slot, string]>;
        const picked = matchChoice(
          answer,
          fields.map(([, name]) => name),
        );
        const slot = fields.find(([, name]) => name === picked)?.[0] ?? CORRECTIONS.find(([pattern]) => pattern.test(answer))?.[1];
        if (slot) {
          state.editing = false;
          this.clear(state, slot);
          state.note = t.redo(t.fieldNames[slot] ?? '');
        } else state.note = t.pleaseChoose;
        return 'next';
      }
      case 'confirm': {
        const choice = matchChoice(answer, [t.confirm, t.change]);
        if (choice === t.confirm || /^(确认|提交|对|是的?|没问题|好的?|可以|ok|yes|submit|confirm)/i.test(answer)) return 'confirmed';
        if (choice === t.change || /改|修改|change/i.test(answer)) state.editing = true;
        else state.note = t.pleaseChoose;
        return 'next';
      }
      default:
        return 'next';
    }
  }

  /**
   * Takes what a message said into the report without overwriting what is known; `quiet` when the
   * message answered a question already handled (its other facts are extras). Returns notes to say.
   */
  private async take(state: FaultReportState, facts: MessageFacts, t: ServiceTexts, quiet = false): Promise<string[]> {
    const notes: string[] = [];
    // A model named after 不知道型号 is the model: the customer remembered.
    if (!state.modelId && (facts.serial || facts.modelId)) {
      const why = await this.takeProduct(state, facts, t);
      if (why && !quiet) notes.push(why);
    }
    if (!state.categoryId && facts.category) state.categoryId = facts.category;
    if (!state.phone && facts.phone && !state.toConfirm?.phone) state.phone = facts.phone;
    if (!state.symptom && facts.symptom) state.symptom = facts.symptom;
    if (!state.purchaseDate && !state.dateProven && facts.purchaseDate) {
      Object.assign(state, { purchaseDate: facts.purchaseDate, approximateDate: facts.approximateDate ?? true });
    }
    if (!state.purchaseDate && facts.orderId) {
      const order = await readTaobaoOrder(this.desk, facts.orderId, t);
      if (order.kind === 'found') this.takeFoundOrder(state, order);
      else if (order.kind === 'problem' && !quiet) notes.push(order.note);
    }
    // 发票丢了 is not the end of the warranty: the report goes on pending proof.
    if (state.hasProof === undefined && !state.dateProven && facts.proof === true) state.hasProof = true;
    else if (state.hasProof === undefined && !state.dateProven && facts.proof === false) state.proofUnsure = true;
    if (!state.serviceMode && facts.serviceMode) state.wantedMode = facts.serviceMode;
    this.takeDamage(state, facts);
    return notes;
  }

  /** Facts from earlier messages: the product and the phone are confirmed first, the rest is taken. */
  private takeEarlier(state: FaultReportState, facts: MessageFacts): void {
    const model = facts.modelId ? this.desk.catalogue.model(facts.modelId) : undefined;
    // A model of another family than the one named since is not this product.
    const consistent =
      model && (!facts.category || model.category === facts.category) && (!state.categoryId || model.category === state.categoryId);
    if (!state.modelId && !state.serial && (facts.serial || consistent)) {
      state.toConfirm = { ...state.toConfirm, serial: facts.serial, modelId: consistent ? model.id : undefined };
    }
    if (!state.categoryId && facts.category && !state.toConfirm?.modelId && !state.toConfirm?.serial) state.categoryId = facts.category;
    if (!state.phone && facts.phone) state.toConfirm = { ...state.toConfirm, phone: facts.phone };
    if (!state.symptom && facts.symptom) state.symptom = facts.symptom;
    if (!state.purchaseDate && facts.purchaseDate && !facts.serial) {
      Object.assign(state, { purchaseDate: facts.purchaseDate, approximateDate: facts.approximateDate ?? true });
    }
    if (state.hasProof === undefined && facts.proof !== undefined) state.hasProof = facts.proof;
    this.takeDamage(state, facts);
  }

  private takeDamage(state: FaultReportState, facts: MessageFacts): void {
    if (state.damage && state.damage !== 'none') return;
    const stated = DAMAGE_KINDS.filter((kind) => facts.damage[kind] === true);
    if (stated.length) {
      state.damage = stated[0];
      state.damageKinds = stated;
      state.damageUnsure = false;
    } else if (!state.damage && DAMAGE_KINDS.every((kind) => facts.damage[kind] === false)) {
      state.damage = 'none';
      state.damageKinds = [];
    }
  }

  /** Reads a serial or a model from the answer; returns why not when it cannot. */
  private async takeProduct(state: FaultReportState, facts: MessageFacts, t: ServiceTexts): Promise<string | undefined> {
    if (facts.serial) {
      const unit = await this.desk.lookupUnit(facts.serial);
      if (!unit) {
        state.categoryId ??= facts.category;
        return t.unknownSerial(facts.serial);
      }
      Object.assign(state, {
        serial: unit.serial,
        purchaseDate: unit.saleDate,
        approximateDate: false,
        dateProven: true,
        hasProof: true,
        contract: unit.contract,
        serialUnknown: false,
      });
      this.setModel(state, unit.modelId);
      return undefined;
    }
    if (facts.modelId) {
      this.setModel(state, facts.modelId);
      return undefined;
    }
    if (facts.category) {
      state.categoryId = facts.category;
      return undefined;
    }
    return t.productNotFound;
  }

  private setModel(state: FaultReportState, modelId: string): void {
    const model = this.desk.catalogue.model(modelId);
    state.modelId = model?.id ?? modelId;
    state.categoryId = model?.category ?? state.categoryId;
    state.modelUnknown = false;
  }

  /** An order number in the answer: true when it settled the date question one way or another. */
  private async takeOrder(state: FaultReportState, answer: string, t: ServiceTexts): Promise<boolean> {
    const order = await readTaobaoOrder(this.desk, answer, t);
    if (order.kind === 'problem') state.note = order.note;
    if (order.kind === 'found') this.takeFoundOrder(state, order);
    return order.kind !== 'none';
  }

  private takeFoundOrder(state: FaultReportState, order: { orderId: string; purchaseDate: string; modelId?: string }): void {
    // The shop's own order proves the purchase: no need to ask for proof.
    Object.assign(state, {
      purchaseDate: order.purchaseDate,
      approximateDate: false,
      dateProven: true,
      hasProof: true,
      orderId: order.orderId,
    });
    if (!state.modelId && order.modelId) this.setModel(state, order.modelId);
  }

  /** Why the repair is probably paid, said once when stated damage voids the warranty. */
  private damageNotice(state: FaultReportState, t: ServiceTexts, locale: Locale): string | undefined {
    const category = this.category(state);
    const kind = (state.damageKinds ?? [])[0];
    if (!category || !kind || state.told?.damage) return undefined;
    (state.told ??= {}).damage = true;
    const exclusion = (locale === 'en' ? undefined : exclusionFor(category, kind)) ?? t.exclusionNames[kind];
    return t.damageNotice(t.damageSaid[kind], exclusion, feeLines(t, feesFor(this.desk, category.id, this.faultWords(state)), locale));
  }

  /** Paid service: the span of the fees that concern this fault (换屏 for a cracked screen), else of all the family's. */
  private feeEstimate(state: FaultReportState, verdict: WarrantyVerdict): { minYuan: number; maxYuan: number } | undefined {
    if (verdict.serviceKind !== 'paid' || !verdict.fees.length || !state.categoryId) return undefined;
    return feeSpan(feesFor(this.desk, state.categoryId, this.faultWords(state)));
  }

  /** The customer's words about the fault, for finding the fees that concern it. */
  private faultWords(state: FaultReportState): string {
    return [state.symptom ?? '', ...(state.damageKinds ?? []).map((kind) => (kind === 'liquid' ? '进水' : ''))].join(' ');
  }

  private damageVoids(state: FaultReportState): boolean {
    return (state.damageKinds ?? []).length > 0;
  }

  /** Where the serial is printed, said once, when the customer could not find it and the family is known. */
  private serialPlacesOnce(state: FaultReportState, slot: Slot, t: ServiceTexts, locale: Locale): string | undefined {
    if (slot !== 'model' || !state.serialUnknown || !state.categoryId || state.told?.serialPlaces) return undefined;
    (state.told ??= {}).serialPlaces = true;
    return serialPlaces(this.desk, t, locale, state.categoryId);
  }

  private confirmName(state: FaultReportState, locale: Locale): string {
    const { modelId, serial } = state.toConfirm ?? {};
    const model = modelId ? this.desk.catalogue.model(modelId) : undefined;
    if (model) return serial ? `${modelName(model, locale)}（${serial}）` : modelName(model, locale);
    return serial ?? '';
  }

  private correctionIn(answer: string): Slot | undefined {
    if (!CORRECTION_CUE.test(answer)) return undefined;
    return CORRECTIONS.find(([pattern]) => pattern.test(answer))?.[1];
  }

  /** Forgets a fact so it is asked again, with the facts that depended on it. */
  private clear(state: FaultReportState, slot: Slot): void {
    switch (slot) {
      case 'product':
        Object.assign(state, {
          modelId: undefined,
          categoryId: undefined,
          serial: undefined,
          purchaseDate: undefined,
          dateProven: undefined,
          dateLookup: undefined,
          dateUnknown: undefined,
          orderId: undefined,
          hasProof: undefined,
          proofUnsure: undefined,
          contract: undefined,
          consent: undefined,
          serviceMode: undefined,
          serialUnknown: undefined,
          modelUnknown: undefined,
          toConfirm: { phone: state.toConfirm?.phone },
        });
        break;
      case 'purchaseDate':
        Object.assign(state, {
          purchaseDate: undefined,
          dateProven: undefined,
          dateLookup: undefined,
          dateUnknown: undefined,
          orderId: undefined,
          hasProof: undefined,
          proofUnsure: undefined,
          consent: undefined,
        });
        break;
      case 'damage':
        Object.assign(state, { damage: undefined, damageKinds: undefined, damageUnsure: undefined, consent: undefined });
        break;
      case 'serviceMode':
        Object.assign(state, { serviceMode: undefined, wantedMode: undefined, area: undefined, address: undefined });
        break;
      default:
        (state as unknown as Record<string, unknown>)[slot] = undefined;
    }
    const asked = (state.asked ??= {});
    // A correction is progress: the summary and the field question start counting again.
    for (const related of [...relatedSlots(slot), 'editWhich', 'confirm'] as Slot[]) asked[related] = 0;
    state.editing = false;
  }

  private category(state: FaultReportState): Category | undefined {
    return state.categoryId ? this.desk.catalogue.category(state.categoryId) : undefined;
  }

  private modesFor(state: FaultReportState): ServiceMode[] {
    return this.category(state)?.serviceModes ?? ['carryIn', 'mailIn'];
  }

  private verdict(state: FaultReportState): WarrantyVerdict {
    const category = this.category(state);
    if (!category) throw new Error('warranty asked before the product is known');
    const kinds = new Set(state.damageKinds ?? []);
    return this.desk.warrantyOf({
      category,
      purchaseDate: state.purchaseDate,
      today: this.desk.today(),
      contract: state.contract,
      facts: {
        hasProof: state.dateProven === true || state.hasProof === true,
        // A date in the customer's words (or none at all) is judged as said and checked against the proof later.
        proofPending: !state.dateProven && state.hasProof !== false,
        liquid: kinds.has('liquid'),
        physicalDamage: kinds.has('physicalDamage'),
        disassembled: kinds.has('disassembled'),
      },
    });
  }

  private summary(state: FaultReportState, t: ServiceTexts, locale: Locale): string[] {
    const s = t.summary;
    const model = state.modelId ? this.desk.catalogue.model(state.modelId) : undefined;
    const category = this.category(state);
    const verdict = this.verdict(state);
    const fees = this.feeEstimate(state, verdict);
    const product = model
      ? modelName(model, locale)
      : (state.modelId ?? t.modelUnknownName(category ? categoryName(category, locale) : ''));
    const pending = verdict.pendingProof ? t.aside(t.pendingProofMark) : '';
    // Without any date there is no status yet, only what the proof will decide.
    const warranty =
      verdict.pendingProof && !state.purchaseDate
        ? t.pendingProofMark
        : `${t.statusNames[verdict.status]}${t.aside(t.kindNames[verdict.serviceKind])}${pending}`;
    const damage = state.damageUnsure ? t.unsure : t.damageOptions[DAMAGES.indexOf(state.damage ?? 'none')];
    const rows: Array<[string, string | undefined]> = [
      [s.product, product],
      [s.serial, state.serial],
      [
        s.purchaseDate,
        state.purchaseDate ? `${formatDate(state.purchaseDate, locale)}${state.approximateDate ? t.approximateDate : ''}` : undefined,
      ],
      [s.warranty, warranty],
      [s.symptom, state.symptom],
      [s.damage, damage],
      [s.serviceMode, `${t.modeNames[state.serviceMode ?? 'carryIn']}${state.area ? t.aside(t.areaNames[state.area]) : ''}`],
      [s.address, state.address],
      [s.name, state.name],
      [s.phone, maskPhone(state.phone ?? '')],
      [s.fee, fees ? t.feeSpan(fees.minYuan, fees.maxYuan) : undefined],
    ];
    return rows.flatMap(([label, value]) => (value ? [t.summaryLine(label, value)] : []));
  }
}

/** The questions whose count starts again when a field is cleared for a correction. */
function relatedSlots(slot: Slot): Slot[] {
  if (slot === 'product') return ['product', 'confirmProduct', 'family', 'model', 'purchaseDate', 'dateProof', 'proof'];
  if (slot === 'purchaseDate') return ['purchaseDate', 'dateProof', 'proof'];
  if (slot === 'serviceMode') return ['serviceMode', 'area', 'address'];
  return [slot];
}

/** The facts that count as progress; a changed value means the answer told something. */
function factsKnown(state: FaultReportState): string {
  // The family alone is not enough: an unknown serial names it, and why the serial was not taken must be said.
  const { modelId, serial, purchaseDate, hasProof, symptom, damage, serviceMode, wantedMode, area, address, name, phone, orderId } = state;
  return JSON.stringify([
    modelId,
    serial,
    purchaseDate,
    hasProof,
    symptom,
    damage,
    serviceMode,
    wantedMode,
    area,
    address,
    name,
    phone,
    orderId,
  ]);
}

function hasOtherFacts(facts: MessageFacts): boolean {
  return Boolean(
    facts.purchaseDate ||
    facts.proof !== undefined ||
    facts.phone ||
    facts.symptom ||
    facts.serviceMode ||
    facts.orderId ||
    DAMAGE_KINDS.some((kind) => facts.damage[kind] !== undefined),
  );
}

function feeSpan(fees: FeeRange[]): { minYuan: number; maxYuan: number } {
  return {
    minYuan: Math.min(...fees.map((fee) => fee.minYuan)),
    maxYuan: Math.max(...fees.map((fee) => fee.maxYuan)),
  };
}

function yesOrNo(answer: string, t: ServiceTexts, options: [string, string] = [t.yes, t.no]): boolean | undefined {
  const bare = answer.trim().toLowerCase();
  if (/^(没|无|不|否|丢|找不到|no\b|nope|don'?t)/.test(bare)) return false;
  if (/^(有|是|对|嗯|同意|可以|好|行|yes|yep|sure|ok|agree)/.test(bare)) return true;
  const picked = matchChoice(answer, options);
  return picked === undefined ? undefined : picked === options[0];
}

function damageOf(answer: string, t: ServiceTexts): Damage | undefined {
  const picked = matchChoice(answer, t.damageOptions);
  const index = picked ? t.damageOptions.indexOf(picked) : -1;
  if (index >= 0) return DAMAGES[index];
  if (/水|湿|泡|liquid|wet|water/i.test(answer)) return 'liquid';
  if (/拆|外面修|第三方|opened|disassembl/i.test(answer)) return 'disassembled';
  if (/摔|压|碎|裂|磕|撞|掉地|drop|crush|crack/i.test(answer)) return 'physicalDamage';
  if (/没|无|都没有|none|no\b|never/i.test(answer)) return 'none';
  return undefined;
}

function modeWords(mode: ServiceMode): RegExp {
  return { onsite: /上门|到家|on-?site|visit/i, carryIn: /送修|网点|自己送|carry/i, mailIn: /寄|快递|mail/i }[mode];
}
