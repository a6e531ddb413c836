import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Area, Category, ServiceContract, ServiceMode, TicketDraft, WarrantyVerdict } from '../desk/model';
import { maskPhone } from '../desk/privacy';
import { extractMobile, parsePurchaseDate, type Locale } from '../knowledge';
import { askWithChoices, matchChoice } from './choices';
import type { DeskServices } from './deskServices';
import { readTaobaoOrder } from './orderLookup';
import { localeOf } from './locale';
import { formatDate, formatDateTime } from './dates';
import { serviceTextsFor, type ServiceTexts } from './serviceTexts';

export const FAULT_REPORT_DIALOG = 'faultReportDialog';
const LOOP = 'faultReportLoop';
const ANSWER = 'faultReportAnswer';

/** In the order of the damage question's options. */
const DAMAGES = ['none', 'physicalDamage', 'liquid', 'disassembled'] as const;
type Damage = (typeof DAMAGES)[number];
type Slot =
  | 'product'
  | 'purchaseDate'
  | 'proof'
  | 'symptom'
  | 'damage'
  | 'consent'
  | 'serviceMode'
  | 'area'
  | 'address'
  | 'name'
  | 'phone'
  | 'editWhich'
  | 'confirm';

/** Everything the customer has told us so far; travels with the dialog from turn to turn. */
export interface FaultReportState {
  startedAt: string;
  modelId?: string;
  categoryId?: string;
  serial?: string;
  purchaseDate?: string;
  approximateDate?: boolean;
  /** The customer's Taobao order the purchase date came from. */
  orderId?: string;
  contract?: ServiceContract;
  hasProof?: boolean;
  symptom?: string;
  damage?: Damage;
  consent?: boolean;
  serviceMode?: ServiceMode;
  area?: Area;
  address?: string;
  name?: string;
  phone?: string;
  editing?: boolean;
  stepsTried?: string[];
  asking?: Slot;
  /** Said before the next question: why an answer was not taken, or what happens now. */
  note?: string;
}

export interface FaultReportOptions {
  utterance?: string;
  /** Facts already known (from troubleshooting): product, symptom, steps tried. */
  prefill?: Partial<FaultReportState>;
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

/** Words around a symptom in a first message that are not the symptom. */
const NOT_SYMPTOM = /我的|我要|我想|帮我|请|麻烦|报修|维修|修理|申请|序列号(是|为)?|sn(是|为)?|型号(是|为)?|一下|你好|您好|了$|啊$|呢$|怎么办|咋整|咋办/gi;
const NOT_SYMPTOM_EN = /\b(hello|hi|hey|please|i want to|i'd like to|i need to|can you|help me|report( a)?( fault)?|repair|fix|get|my|the serial( number)? is|serial( number)?|model)\b/gi;

/** 报修: collects DOMAIN.md's step-1 facts one question at a time and creates the ticket. */
export class FaultReportDialog extends ComponentDialog {
  constructor(private readonly desk: DeskServices) {
    super(FAULT_REPORT_DIALOG);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.captureStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** Starts with what the customer's first message already told us. */
  override async beginDialog(outerDc: Parameters<ComponentDialog['beginDialog']>[0], options?: FaultReportOptions): Promise<DialogTurnResult> {
    const state: FaultReportState = { startedAt: new Date().toISOString(), ...options?.prefill };
    if (options?.utterance) await this.takeFacts(state, options.utterance);
    return super.beginDialog(outerDc, state);
  }

  /** Asks for the next missing fact, or for confirmation once all are known. */
  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as FaultReportState;
    const t = serviceTextsFor(localeOf(step.context));
    const slot = this.nextSlot(state);
    state.asking = slot;
    const note = state.note;
    state.note = undefined;
    if (note) await step.context.sendActivity(note);
    return step.prompt(ANSWER, { prompt: this.question(slot, state, t, localeOf(step.context)) });
  }

  /** Takes the answer (or a correction), then asks the next question or creates the ticket. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as FaultReportState;
    const t = serviceTextsFor(localeOf(step.context));
    const answer = String(step.result ?? '').trim();
    const corrected = state.asking === 'editWhich' ? undefined : this.correctionIn(answer);
    if (corrected) {
      this.clear(state, corrected);
      state.note = t.redo(t.fieldNames[corrected] ?? '');
      return step.replaceDialog(LOOP, state);
    }
    const outcome = await this.capture(state, answer, t);
    if (outcome === 'declined') {
      await step.context.sendActivity(t.declined);
      return step.endDialog();
    }
    if (outcome === 'confirmed') return this.createTicket(step, state, t);
    return step.replaceDialog(LOOP, state);
  }

  /** Creates the ticket and tells its number, the kind of service and the promised time. */
  private async createTicket(step: WaterfallStepContext, state: FaultReportState, t: ServiceTexts): Promise<DialogTurnResult> {
    const verdict = this.verdict(state);
    const draft: TicketDraft = {
      customer: { name: state.name ?? '', phone: state.phone ?? '' },
      product: { modelId: state.modelId ?? '', category: state.categoryId ?? '', serial: state.serial },
      purchaseDate: state.purchaseDate,
      warranty: { status: verdict.status, serviceKind: verdict.serviceKind, endsOn: verdict.endsOn },
      fault: {
        symptom: state.symptom ?? '',
        liquid: state.damage === 'liquid',
        physicalDamage: state.damage === 'physicalDamage',
        disassembled: state.damage === 'disassembled',
      },
      serviceMode: state.serviceMode ?? 'carryIn',
      area: state.area ?? 'city',
      address: state.address,
      feeEstimate: verdict.serviceKind === 'paid' && verdict.fees.length ? feeSpan(verdict) : undefined,
      consent: { fee: verdict.serviceKind !== 'paid' || state.consent === true, at: state.consent ? new Date().toISOString() : undefined },
      channel: step.context.activity.channelId,
      conversationId: step.context.activity.conversation.id,
      stepsTried: state.stepsTried,
    };
    const attachments = (await this.desk.attachmentsOf?.(draft.conversationId)) ?? [];
    if (attachments.length) draft.attachments = attachments;
    if (state.orderId) draft.attachments = [...(draft.attachments ?? []), `淘宝订单 ${state.orderId}`];
    const ticket = await this.desk.tickets.create(draft, 'customer', `${draft.conversationId}:${state.startedAt}`);
    const model = this.desk.catalogue.model(draft.product.modelId);
    await this.desk.noteFacts?.(draft.conversationId, {
      ticketId: ticket.id,
      product: model?.name ?? draft.product.modelId,
      warranty: t.statusNames[verdict.status],
      customerName: draft.customer.name,
      phone: draft.customer.phone,
    });
    const promise =
      draft.serviceMode === 'onsite'
        ? t.promiseVisit(formatDateTime(ticket.dispatchDeadline, this.desk.timeZone, localeOf(step.context)))
        : draft.serviceMode === 'mailIn'
          ? t.promiseMailIn
          : t.promiseCarryIn;
    await step.context.sendActivity(t.created(ticket.id, t.kindNames[verdict.serviceKind], promise));
    return step.endDialog({ ticketId: ticket.id });
  }

  private nextSlot(state: FaultReportState): Slot {
    if (state.editing) return 'editWhich';
    if (!state.modelId) return 'product';
    if (!state.purchaseDate) return 'purchaseDate';
    if (state.hasProof === undefined) return 'proof';
    if (!state.symptom) return 'symptom';
    if (!state.damage) return 'damage';
    if (this.verdict(state).serviceKind === 'paid' && state.consent === undefined) return 'consent';
    if (!state.serviceMode) return 'serviceMode';
    if (state.serviceMode === 'onsite' && !state.area) return 'area';
    if ((state.serviceMode === 'onsite' || state.serviceMode === 'mailIn') && !state.address) return 'address';
    if (!state.name) return 'name';
    if (!state.phone) return 'phone';
    return 'confirm';
  }

  private question(slot: Slot, state: FaultReportState, t: ServiceTexts, locale: Locale) {
    switch (slot) {
      case 'product':
        return t.askProduct;
      case 'purchaseDate':
        return t.askPurchaseDate;
      case 'proof':
        return askWithChoices(t.askProof, [t.yes, t.no]);
      case 'symptom':
        return t.askSymptom;
      case 'damage':
        return askWithChoices(t.askDamage, t.damageOptions);
      case 'consent': {
        const lines = this.verdict(state).fees.map((fee) => t.fee(locale === 'en' ? fee.nameEn : fee.name, fee.minYuan, fee.maxYuan));
        return askWithChoices(t.askConsent(lines.join('\n')), [t.agree, t.disagree]);
      }
      case 'serviceMode':
        return askWithChoices(t.askServiceMode, this.modesFor(state).map((mode) => t.modeNames[mode]));
      case 'area':
        return askWithChoices(t.askArea, [t.areaNames.city, t.areaNames.suburb]);
      case 'address':
        return t.askAddress(state.serviceMode ?? 'onsite');
      case 'name':
        return t.askName;
      case 'phone':
        return t.askPhone;
      case 'editWhich':
        return askWithChoices(t.askWhichField, Object.values(t.fieldNames));
      case 'confirm':
        return askWithChoices(t.confirmSummary(this.summary(state, t, locale)), [t.confirm, t.change]);
    }
  }

  /** Validates an answer for the question asked; a bad one leaves a note and the question stands. */
  private async capture(state: FaultReportState, answer: string, t: ServiceTexts): Promise<'next' | 'declined' | 'confirmed'> {
    switch (state.asking) {
      case 'product':
        state.note = await this.takeProduct(state, answer, t);
        // "X20 Pro 充不进电，电话138…": the rest of the answer is not asked again either.
        if (state.modelId) this.takeExtras(state, answer);
        return 'next';
      case 'purchaseDate': {
        const order = await readTaobaoOrder(this.desk, answer, t);
        if (order.kind === 'problem') state.note = order.note;
        if (order.kind === 'found') {
          // The shop's own order proves the purchase: no need to ask for proof.
          Object.assign(state, { purchaseDate: order.purchaseDate, approximateDate: false, hasProof: true, orderId: order.orderId });
        }
        if (order.kind !== 'none') return 'next';
        const parsed = parsePurchaseDate(answer, this.desk.today());
        if (parsed.ok) {
          state.purchaseDate = parsed.date;
          state.approximateDate = parsed.approximate;
        } else state.note = parsed.reason === 'future' ? t.futureDate : t.badDate;
        return 'next';
      }
      case 'proof': {
        const yes = yesOrNo(answer, t);
        if (yes === undefined) state.note = t.pleaseChoose;
        else state.hasProof = yes;
        return 'next';
      }
      case 'symptom':
        if (cleanSymptom(answer).length >= 2) state.symptom = answer;
        else state.note = t.symptomTooShort;
        return 'next';
      case 'damage': {
        const damage = damageOf(answer, t);
        if (damage) state.damage = damage;
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
        const picked = matchChoice(answer, modes.map((mode) => t.modeNames[mode]));
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
        if (answer.replace(/\s/g, '').length >= 6) state.address = answer;
        else state.note = t.addressTooShort;
        return 'next';
      case 'name': {
        const name = answer.replace(/^(我叫|我是|叫我|我姓|姓|my name is|i am|i'm)\s*/i, '').trim();
        if (name && name.length <= 30) state.name = name;
        else state.note = t.askName;
        return 'next';
      }
      case 'phone': {
        const phone = extractMobile(answer);
        if (phone) state.phone = phone;
        else state.note = t.badPhone;
        return 'next';
      }
      case 'editWhich': {
        const fields = Object.entries(t.fieldNames) as Array<[Slot, string]>;
        const picked = matchChoice(answer, fields.map(([, name]) => name));
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

  /** Reads a serial or a model from the answer; returns why not when it cannot. */
  private async takeProduct(state: FaultReportState, answer: string, t: ServiceTexts): Promise<string | undefined> {
    const serial = this.desk.findSerial(answer);
    if (serial) {
      const unit = await this.desk.lookupUnit(serial);
      if (!unit) return t.unknownSerial(serial);
      const model = this.desk.catalogue.model(unit.modelId);
      state.serial = unit.serial;
      state.modelId = unit.modelId;
      state.categoryId = model?.category;
      state.purchaseDate = unit.saleDate;
      state.approximateDate = false;
      state.hasProof = true;
      state.contract = unit.contract;
      return undefined;
    }
    const model = this.desk.catalogue.findModel(answer);
    if (model) {
      state.modelId = model.id;
      state.categoryId = model.category;
      return undefined;
    }
    const category = this.desk.catalogue.findCategory(answer);
    if (category) return t.pickModel(category.name);
    return t.productNotFound;
  }

  /** Takes every fact a free-form message holds: serial, model, phone, symptom. */
  private async takeFacts(state: FaultReportState, text: string): Promise<void> {
    if (this.desk.findSerial(text) || this.desk.catalogue.findModel(text)) {
      await this.takeProduct(state, text, serviceTextsFor('zh-CN'));
    }
    this.takeExtras(state, text);
  }

  /** The phone and the symptom in a message, once the product words are taken out. */
  private takeExtras(state: FaultReportState, text: string): void {
    const phone = extractMobile(text);
    if (phone) state.phone = phone;
    const category = this.desk.catalogue.findCategory(text);
    const productWords = [
      state.serial,
      phone,
      ...(state.modelId ? this.aliasesOf(state.modelId) : []),
      ...(category ? this.desk.catalogue.categoryWords(category.id) : []),
    ].filter((word): word is string => Boolean(word));
    // Longest first, so "X20 Pro" goes before "X20" could leave "Pro" behind.
    let rest = text;
    for (const word of productWords.sort((a, b) => b.length - a.length)) rest = rest.split(word).join(' ');
    const symptom = cleanSymptom(rest);
    if (symptom.length >= 2 && !state.symptom) state.symptom = symptom;
  }

  private aliasesOf(modelId: string): string[] {
    const model = this.desk.catalogue.model(modelId);
    return model ? [model.name, model.id, ...model.aliases] : [];
  }

  private correctionIn(answer: string): Slot | undefined {
    if (!CORRECTION_CUE.test(answer)) return undefined;
    return CORRECTIONS.find(([pattern]) => pattern.test(answer))?.[1];
  }

  /** Forgets a fact so it is asked again, with the facts that depended on it. */
  private clear(state: FaultReportState, slot: Slot): void {
    switch (slot) {
      case 'product':
        Object.assign(state, { modelId: undefined, categoryId: undefined, serial: undefined, purchaseDate: undefined, orderId: undefined, hasProof: undefined, contract: undefined, consent: undefined, serviceMode: undefined });
        break;
      case 'purchaseDate':
        Object.assign(state, { purchaseDate: undefined, orderId: undefined, hasProof: undefined, consent: undefined });
        break;
      case 'damage':
        Object.assign(state, { damage: undefined, consent: undefined });
        break;
      case 'serviceMode':
        Object.assign(state, { serviceMode: undefined, area: undefined, address: undefined });
        break;
      default:
        (state as unknown as Record<string, unknown>)[slot] = undefined;
    }
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
    return this.desk.warrantyOf({
      category,
      purchaseDate: state.purchaseDate,
      today: this.desk.today(),
      contract: state.contract,
      facts: {
        hasProof: state.hasProof !== false,
        liquid: state.damage === 'liquid',
        physicalDamage: state.damage === 'physicalDamage',
        disassembled: state.damage === 'disassembled',
      },
    });
  }

  private summary(state: FaultReportState, t: ServiceTexts, locale: Locale): string[] {
    const s = t.summary;
    const model = state.modelId ? this.desk.catalogue.model(state.modelId) : undefined;
    const verdict = this.verdict(state);
    const fees = verdict.serviceKind === 'paid' && verdict.fees.length ? feeSpan(verdict) : undefined;
    const rows: Array<[string, string | undefined]> = [
      [s.product, model ? (locale === 'en' ? model.nameEn : model.name) : state.modelId],
      [s.serial, state.serial],
      [s.purchaseDate, `${formatDate(state.purchaseDate ?? '', locale)}${state.approximateDate ? t.approximateDate : ''}`],
      [s.warranty, `${t.statusNames[verdict.status]}${t.aside(t.kindNames[verdict.serviceKind])}`],
      [s.symptom, state.symptom],
      [s.damage, t.damageOptions[DAMAGES.indexOf(state.damage ?? 'none')]],
      [s.serviceMode, `${t.modeNames[state.serviceMode ?? 'carryIn']}${state.area ? t.aside(t.areaNames[state.area]) : ''}`],
      [s.address, state.address],
      [s.name, state.name],
      [s.phone, maskPhone(state.phone ?? '')],
      [s.fee, fees ? t.feeSpan(fees.minYuan, fees.maxYuan) : undefined],
    ];
    return rows.flatMap(([label, value]) => (value ? [t.summaryLine(label, value)] : []));
  }
}

function feeSpan(verdict: WarrantyVerdict): { minYuan: number; maxYuan: number } {
  return {
    minYuan: Math.min(...verdict.fees.map((fee) => fee.minYuan)),
    maxYuan: Math.max(...verdict.fees.map((fee) => fee.maxYuan)),
  };
}

function cleanSymptom(text: string): string {
  return text
    .replace(NOT_SYMPTOM, ' ')
    .replace(NOT_SYMPTOM_EN, ' ')
    .replace(/[\s\p{P}\p{S}]+/gu, ' ')
    .trim();
}

function yesOrNo(answer: string, t: ServiceTexts, options: [string, string] = [t.yes, t.no]): boolean | undefined {
  const bare = answer.trim().toLowerCase();
  if (/^(没|无|不|否|丢|找不到|no\b|nope|don'?t)/.test(bare)) return false;
  if (/^(有|是|对|嗯|同意|可以|好|行|yes|yep|sure|ok|agree)/.test(bare)) return true;
  const picked = matchChoice(answer, options);
  return picked === undefined ? undefined : picked === options[0];
}

function damageOf(answer: string, t: ServiceTexts): Damage | undefined {
  if (/水|湿|泡|liquid|wet|water/i.test(answer)) return 'liquid';
  if (/拆|opened|disassembl/i.test(answer)) return 'disassembled';
  if (/摔|压|碎|裂|磕|撞|掉地|drop|crush|crack/i.test(answer)) return 'physicalDamage';
  if (/没|无|都没有|none|no\b|never/i.test(answer)) return 'none';
  const picked = matchChoice(answer, t.damageOptions);
  const index = picked ? t.damageOptions.indexOf(picked) : -1;
  return index >= 0 ? DAMAGES[index] : undefined;
}

function modeWords(mode: ServiceMode): RegExp {
  return { onsite: /上门|到家|on-?site|visit/i, carryIn: /送修|网点|自己送|carry/i, mailIn: /寄|快递|mail/i }[mode];
}
