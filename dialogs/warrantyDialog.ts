import type { Activity } from 'botbuilder';
import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Category, ServiceContract, WarrantyVerdict } from '../desk/model';
import { parsePurchaseDate, saysAnotherWay, saysDontKnow, saysSkip, type Locale, type MessageFacts } from '../knowledge';
import { askWithChoices, matchChoice } from './choices';
import { asMessageFacts, type FactsReader } from './conversationMemory';
import type { DeskServices } from './deskServices';
import { localeOf } from './locale';
import { formatDate } from './dates';
import { orderDateLine, readTaobaoOrder } from './orderLookup';
import {
  categoryName,
  familyIn,
  isButton,
  familyQuestion,
  feeAnswer,
  feesAcross,
  modelIn,
  modelName,
  modelQuestion,
  serialPlaces,
} from './productQuestions';
import { serviceTextsFor, type ServiceTexts } from './serviceTexts';

export const WARRANTY_DIALOG = 'warrantyDialog';
const LOOP = 'warrantyLoop';
const ANSWER = 'warrantyAnswer';

type Slot = 'product' | 'confirmProduct' | 'family' | 'model' | 'purchaseDate' | 'dateProof';

/** A question is asked at most twice the same way and a third time differently; there is no fourth: the flow ends towards a person. */
const GIVE_UP_AFTER = 3;

interface WarrantyState {
  modelId?: string;
  categoryId?: string;
  /** The customer does not know the model: the family's terms are the same for every model. */
  modelUnknown?: boolean;
  serial?: string;
  purchaseDate?: string;
  contract?: ServiceContract;
  fromRegistry?: boolean;
  /** The Taobao order the purchase date came from. */
  orderId?: string;
  serialUnknown?: boolean;
  /** The customer does not remember the date: asked for the order number or the invoice instead. */
  dateLookup?: boolean;
  /** A product from earlier in the conversation, confirmed instead of asked. */
  toConfirm?: { modelId?: string; serial?: string };
  /** A fee question waiting for the product ("修一下要多少钱"): answered once the family is known. */
  fee?: string;
  asking?: Slot;
  asked?: Partial<Record<Slot, number>>;
  told?: { serialPlaces?: boolean };
  note?: string;
}

export interface WarrantyOptions {
  utterance?: string;
  /** The message asks what a repair costs: the catalogue's range for the customer's product, free in warranty. */
  fee?: boolean;
}

/** 保修查询: by serial number, or by model (or just the family) and purchase date; says what the status means. Also answers fee questions. */
export class WarrantyDialog extends ComponentDialog {
  constructor(
    private readonly desk: DeskServices,
    private readonly facts: FactsReader,
  ) {
    super(WARRANTY_DIALOG);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.captureStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  override async beginDialog(outerDc: DialogContext, options?: WarrantyOptions): Promise<DialogTurnResult> {
    const locale = localeOf(outerDc.context);
    const t = serviceTextsFor(locale);
    const state: WarrantyState = { asked: {}, told: {} };
    const utterance = options?.utterance ?? '';
    const said = utterance ? this.facts.read(utterance) : undefined;
    if (said?.foreignProduct && !said.category) {
      await outerDc.context.sendActivity(t.notOurs(said.foreignProduct));
      return outerDc.endDialog();
    }
    const earlier = await this.desk.factsOf?.(outerDc.context.activity.conversation.id);
    if (options?.fee) return this.beginFee(outerDc, state, utterance, said, earlier ? asMessageFacts(earlier) : undefined, t, locale);
    if (utterance) await this.take(state, utterance, said, locale, true);
    if (earlier && !state.modelId && !state.serial) this.takeEarlier(state, asMessageFacts(earlier));
    if (this.known(state)) {
      // Everything is known already: answer at once, in the customer's language.
      await this.answer(outerDc.context, state);
      return outerDc.endDialog();
    }
    return super.beginDialog(outerDc, state);
  }

  /** 换屏多少钱: the range for the product the customer has (said now or before), else for every family, else ask which. */
  private async beginFee(
    outerDc: DialogContext,
    state: WarrantyState,
    utterance: string,
    said: MessageFacts | undefined,
    earlier: MessageFacts | undefined,
    t: ServiceTexts,
    locale: Locale,
  ): Promise<DialogTurnResult> {
    const modelId = said?.modelId ?? (said?.category ? undefined : earlier?.modelId);
    const categoryId = said?.category ?? (modelId ? this.desk.catalogue.model(modelId)?.category : earlier?.category);
    const answer = categoryId
      ? feeAnswer(this.desk, t, locale, categoryId, modelId, utterance)
      : feesAcross(this.desk, t, locale, utterance);
    if (answer) {
      await outerDc.context.sendActivity(answer);
      return outerDc.endDialog();
    }
    state.fee = utterance;
    return super.beginDialog(outerDc, state);
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as WarrantyState;
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    let slot = this.nextSlot(state);
    const asked = (state.asked ??= {});
    if ((asked[slot] ?? 0) >= 2) {
      // The third time: another way to the same answer.
      if (slot === 'product') state.serialUnknown = true;
      if (slot === 'model') state.modelUnknown = true;
      if (slot === 'purchaseDate') state.dateLookup = true;
      if (slot === 'dateProof') return this.termsOnly(step, state);
      if (this.known(state)) {
        await this.answer(step.context, state);
        return step.endDialog();
      }
      slot = this.nextSlot(state);
    }
    const times = (asked[slot] ?? 0) + 1;
    asked[slot] = times;
    state.asking = slot;
    const note = [state.note, this.serialPlacesOnce(state, slot, t, locale)].filter(Boolean).join('\n');
    state.note = undefined;
    if (times > GIVE_UP_AFTER) {
      await step.context.sendActivity([note, t.stuck].filter(Boolean).join('\n'));
      return step.endDialog();
    }
    if (note) await step.context.sendActivity(note);
    return step.prompt(ANSWER, { prompt: this.question(slot, state, t, locale, times) });
  }

  /** Reads the answer; once model and date are known, gives the verdict and ends. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as WarrantyState;
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    const answer = String(step.result ?? '').trim();
    const facts = this.facts.read(answer);
    if (facts.foreignProduct && !facts.category) {
      await step.context.sendActivity(t.notOurs(facts.foreignProduct));
      return step.endDialog();
    }
    if (facts.asksFee && state.categoryId && state.fee === undefined && state.asking) {
      // 换屏多少钱 in the middle: the range, then the same question again (not counted as a miss).
      state.note = feeAnswer(this.desk, t, locale, state.categoryId, state.modelId, answer, true);
      const asked = (state.asked ??= {});
      asked[state.asking] = Math.max(0, (asked[state.asking] ?? 1) - 1);
      return step.replaceDialog(LOOP, state);
    }
    const dontKnow = saysDontKnow(answer);
    switch (state.asking) {
      case 'family': {
        if (isButton(answer, t.noneOfThese)) {
          await step.context.sendActivity(t.notOursUnnamed);
          return step.endDialog();
        }
        const category = familyIn(this.desk, answer, facts, locale);
        if (!category) {
          state.note = t.pleaseChoose;
          break;
        }
        if (state.fee !== undefined) {
          await step.context.sendActivity(feeAnswer(this.desk, t, locale, category.id, facts.modelId, `${state.fee} ${answer}`) ?? '');
          return step.endDialog();
        }
        state.categoryId = category.id;
        if (facts.modelId) state.modelId = facts.modelId;
        break;
      }
      case 'confirmProduct': {
        const pending = state.toConfirm ?? {};
        state.toConfirm = undefined;
        const yes =
          matchChoice(answer, [t.yesItIs, t.noItIsNot]) ??
          (/^(不|没|no\b)/i.test(answer) ? t.noItIsNot : /^(是|对|嗯|yes|yep|right)/i.test(answer) ? t.yesItIs : undefined);
        if (yes === t.yesItIs)
          await this.take(
            state,
            pending.serial ?? pending.modelId ?? '',
            this.facts.read(pending.serial ?? pending.modelId ?? ''),
            locale,
            false,
          );
        else if (yes === undefined && !facts.modelId && !facts.serial) {
          state.toConfirm = pending;
          state.note = t.pleaseChoose;
        } else await this.take(state, answer, facts, locale, true);
        break;
      }
      case 'model': {
        const model = facts.serial ? undefined : modelIn(this.desk, state.categoryId, answer, facts, locale);
        if (model) Object.assign(state, { modelId: model.id, categoryId: model.category });
        else if (dontKnow || isButton(answer, t.dontKnowModel)) state.modelUnknown = true;
        else await this.take(state, answer, facts, locale, false);
        break;
      }
      case 'product':
        if (dontKnow || saysAnotherWay(answer) || isButton(answer, t.dontKnowSerial, t.anotherWay)) {
          state.serialUnknown = true;
          state.categoryId ??= facts.category;
          break;
        }
        await this.take(state, answer, facts, locale, false);
        break;
      case 'purchaseDate':
        if (dontKnow || saysSkip(answer) || isButton(answer, t.dontRemember, t.skip)) {
          state.dateLookup = true;
          break;
        }
        await this.take(state, answer, facts, locale, false);
        break;
      case 'dateProof': {
        await this.take(state, answer, facts, locale, true);
        if (!state.purchaseDate && !state.note) return this.termsOnly(step, state);
        break;
      }
      default:
        await this.take(state, answer, facts, locale, false);
    }
    if (this.known(state)) {
      await this.answer(step.context, state);
      return step.endDialog();
    }
    return step.replaceDialog(LOOP, state);
  }

  private nextSlot(state: WarrantyState): Slot {
    if (state.fee !== undefined) return 'family';
    if (state.toConfirm?.modelId || state.toConfirm?.serial) return 'confirmProduct';
    if (!state.modelId && !state.modelUnknown) {
      if (state.categoryId) return 'model';
      return state.serialUnknown ? 'family' : 'product';
    }
    if (!state.categoryId) return 'family';
    return state.dateLookup ? 'dateProof' : 'purchaseDate';
  }

  private question(slot: Slot, state: WarrantyState, t: ServiceTexts, locale: Locale, times: number): string | Partial<Activity> {
    const again = times >= 2;
    const lead = times >= 3 ? `${t.chooseOtherwise}\n` : '';
    const person = again ? [t.toPerson] : [];
    switch (slot) {
      case 'product':
        return askWithChoices(t.warrantyAsk, again ? [t.dontKnowSerial, t.anotherWay, t.toPerson] : [t.dontKnowSerial]);
      case 'confirmProduct':
        return askWithChoices(`${lead}${t.confirmProduct(this.confirmName(state, locale))}`, [t.yesItIs, t.noItIsNot, ...person]);
      case 'family':
        return familyQuestion(this.desk, locale, `${lead}${state.fee !== undefined ? t.feeAskProduct : t.askFamily}`, [
          t.noneOfThese,
          ...person,
        ]);
      case 'model': {
        const category = this.category(state);
        return modelQuestion(
          this.desk,
          state.categoryId ?? '',
          locale,
          `${lead}${t.pickModel(category ? categoryName(category, locale) : '')}`,
          [t.dontKnowModel, ...person],
        );
      }
      case 'purchaseDate':
        return askWithChoices(
          t.warrantyAskDate(this.productName(state, locale)),
          again ? [t.dontRemember, t.skip, t.toPerson] : [t.dontRemember],
        );
      case 'dateProof':
        return askWithChoices(t.askDateProof, [t.goOnWithout, t.toPerson]);
    }
  }

  /**
   * Reads what a message says about the product and its purchase; `quiet` on a first message, where
   * what is not understood is simply asked next (an order number never is: it is always answered).
   */
  private async take(state: WarrantyState, text: string, facts: MessageFacts | undefined, locale: Locale, quiet: boolean): Promise<void> {
    const t = serviceTextsFor(locale);
    const order = await readTaobaoOrder(this.desk, text, t);
    if (order.kind === 'problem') {
      state.note = order.note;
      return;
    }
    if (order.kind === 'found') {
      Object.assign(state, { purchaseDate: order.purchaseDate, orderId: order.orderId, fromRegistry: false });
      if (!state.modelId) {
        const modelId = order.modelId ?? this.desk.catalogue.findModel(text)?.id;
        if (modelId) this.setModel(state, modelId);
      }
      if (!state.modelId && !state.categoryId) state.note = t.orderNeedsModel(formatDate(order.purchaseDate, locale));
      return;
    }
    const serial = facts?.serial ?? this.desk.findSerial(text);
    if (serial) {
      const unit = await this.desk.lookupUnit(serial);
      if (unit) {
        Object.assign(state, {
          serial: unit.serial,
          purchaseDate: unit.saleDate,
          contract: unit.contract,
          fromRegistry: true,
          serialUnknown: false,
        });
        this.setModel(state, unit.modelId);
      } else if (!quiet) state.note = t.unknownSerial(serial);
      return;
    }
    if (!state.modelId && !state.modelUnknown) {
      const model = facts?.modelId ? this.desk.catalogue.model(facts.modelId) : this.desk.catalogue.findModel(text);
      if (model) this.setModel(state, model.id);
      else {
        const category = facts?.category ? this.desk.catalogue.category(facts.category) : this.desk.catalogue.findCategory(text);
        if (category) state.categoryId = category.id;
        else if (!quiet) state.note = t.productNotFound;
        if (!category) return;
      }
    }
    if ((state.modelId || state.modelUnknown) && !state.purchaseDate) {
      const parsed = parsePurchaseDate(text, this.desk.today());
      if (parsed.ok) state.purchaseDate = parsed.date;
      else if (!quiet && !facts?.modelId && !facts?.category) state.note = parsed.reason === 'future' ? t.futureDate : t.badDate;
    }
  }

  /** A product named earlier in the conversation is confirmed; its purchase date (the customer's word) is taken. */
  private takeEarlier(state: WarrantyState, facts: MessageFacts): void {
    const model = facts.modelId ? this.desk.catalogue.model(facts.modelId) : undefined;
    const consistent =
      model && (!facts.category || model.category === facts.category) && (!state.categoryId || model.category === state.categoryId);
    if (facts.serial || consistent) state.toConfirm = { serial: facts.serial, modelId: consistent ? model.id : undefined };
    else if (!state.categoryId && facts.category) state.categoryId = facts.category;
    if (!state.purchaseDate && facts.purchaseDate && !facts.serial) state.purchaseDate = facts.purchaseDate;
  }

  private setModel(state: WarrantyState, modelId: string): void {
    const model = this.desk.catalogue.model(modelId);
    state.modelId = model?.id ?? modelId;
    state.categoryId = model?.category ?? state.categoryId;
    state.modelUnknown = false;
  }

  private known(state: WarrantyState): boolean {
    return (
      state.fee === undefined &&
      !state.toConfirm &&
      Boolean(state.categoryId && (state.modelId || state.modelUnknown) && state.purchaseDate)
    );
  }

  private category(state: WarrantyState): Category | undefined {
    return state.categoryId ? this.desk.catalogue.category(state.categoryId) : undefined;
  }

  private productName(state: WarrantyState, locale: Locale): string {
    const model = state.modelId ? this.desk.catalogue.model(state.modelId) : undefined;
    if (model) return modelName(model, locale);
    const category = this.category(state);
    return category ? categoryName(category, locale) : '';
  }

  private confirmName(state: WarrantyState, locale: Locale): string {
    const { modelId, serial } = state.toConfirm ?? {};
    const model = modelId ? this.desk.catalogue.model(modelId) : undefined;
    if (model) return serial ? `${modelName(model, locale)}（${serial}）` : modelName(model, locale);
    return serial ?? '';
  }

  private serialPlacesOnce(state: WarrantyState, slot: Slot, t: ServiceTexts, locale: Locale): string | undefined {
    if (slot !== 'model' || !state.serialUnknown || !state.categoryId || state.told?.serialPlaces) return undefined;
    (state.told ??= {}).serialPlaces = true;
    return serialPlaces(this.desk, t, locale, state.categoryId);
  }

  /** No purchase date to be had: the family's terms, so the customer still learns what applies. */
  private async termsOnly(step: WaterfallStepContext, state: WarrantyState): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    const category = this.category(state);
    if (category) {
      const { terms } = category;
      const parts = terms.parts
        .map((part) => t.partMonths(locale === 'en' ? part.nameEn : part.name, part.months))
        .join(locale === 'en' ? ', ' : '、');
      await step.context.sendActivity(
        t.termsOnly(this.productName(state, locale), t.termsLine(terms.refundDays, terms.exchangeDays, terms.mainUnitMonths, parts)),
      );
    } else await step.context.sendActivity(t.stuck);
    return step.endDialog();
  }

  private async answer(context: WaterfallStepContext['context'], state: WarrantyState): Promise<void> {
    const locale = localeOf(context);
    const t = serviceTextsFor(locale);
    const category = this.category(state);
    if (!category) return;
    const verdict = this.desk.warrantyOf({
      category,
      purchaseDate: state.purchaseDate,
      today: this.desk.today(),
      contract: state.contract,
      facts: { hasProof: true },
    });
    const model = state.modelId ? this.desk.catalogue.model(state.modelId) : undefined;
    await this.desk.noteFacts?.(context.activity.conversation.id, {
      product: model?.name ?? category.name,
      warranty: verdict.reason,
      category: category.id,
      modelId: model?.id,
      serial: state.serial,
      purchaseDate: state.fromRegistry ? undefined : state.purchaseDate,
    });
    const lines = [
      t.warrantyResult(
        this.productName(state, locale),
        locale === 'en' ? verdict.reasonEn : verdict.reason,
        this.meaning(verdict, t, locale),
      ),
    ];
    if (state.orderId && state.purchaseDate) lines.push(orderDateLine(t, state.orderId, state.purchaseDate, locale));
    else if (!state.fromRegistry) lines.push(t.basedOnGivenDate);
    await context.sendActivity(askWithChoices([...lines, t.offerReport].join('\n'), [t.reportButton]));
  }

  private meaning(verdict: WarrantyVerdict, t: ServiceTexts, locale: Locale): string {
    if (verdict.status === 'refund' || verdict.status === 'exchange') return t.warrantyMeaning[verdict.status];
    if (verdict.serviceKind !== 'paid') return t.warrantyMeaning[verdict.serviceKind];
    const fees = verdict.fees.map((fee) => t.fee(locale === 'en' ? fee.nameEn : fee.name, fee.minYuan, fee.maxYuan));
    return [t.warrantyMeaning.paid, ...fees].join('\n');
  }
}
