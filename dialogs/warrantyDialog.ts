import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { ProductModel, ServiceContract, WarrantyVerdict } from '../desk/model';
import { parsePurchaseDate, type Locale } from '../knowledge';
import { askWithChoices } from './choices';
import type { DeskServices } from './deskServices';
import { localeOf } from './locale';
import { formatDate } from './dates';
import { orderDateLine, readTaobaoOrder } from './orderLookup';
import { serviceTextsFor, type ServiceTexts } from './serviceTexts';

export const WARRANTY_DIALOG = 'warrantyDialog';
const LOOP = 'warrantyLoop';
const ANSWER = 'warrantyAnswer';

interface WarrantyState {
  modelId?: string;
  purchaseDate?: string;
  contract?: ServiceContract;
  fromRegistry?: boolean;
  /** The Taobao order the purchase date came from. */
  orderId?: string;
  note?: string;
}

/** 保修查询: by serial number, or by model and purchase date; says what the status means. */
export class WarrantyDialog extends ComponentDialog {
  constructor(private readonly desk: DeskServices) {
    super(WARRANTY_DIALOG);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.captureStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  override async beginDialog(outerDc: Parameters<ComponentDialog['beginDialog']>[0], options?: { utterance?: string }): Promise<DialogTurnResult> {
    const state: WarrantyState = {};
    if (options?.utterance) await this.take(state, options.utterance, localeOf(outerDc.context), true);
    if (state.modelId && state.purchaseDate) {
      // Everything is known already: answer at once, in the customer's language.
      await this.answer(outerDc.context, state);
      return outerDc.endDialog();
    }
    return super.beginDialog(outerDc, state);
  }

  /** Asks for the serial (or model), then for the purchase date when no registry record has it. */
  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as WarrantyState;
    const t = serviceTextsFor(localeOf(step.context));
    if (state.note) await step.context.sendActivity(state.note);
    state.note = undefined;
    const model = state.modelId ? this.desk.catalogue.model(state.modelId) : undefined;
    const prompt = model ? t.warrantyAskDate(this.nameOf(model, localeOf(step.context))) : t.warrantyAsk;
    return step.prompt(ANSWER, { prompt });
  }

  /** Reads the answer; once model and date are known, gives the verdict and ends. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as WarrantyState;
    await this.take(state, String(step.result ?? ''), localeOf(step.context), false);
    if (state.modelId && state.purchaseDate) {
      await this.answer(step.context, state);
      return step.endDialog();
    }
    return step.replaceDialog(LOOP, state);
  }

  private async take(state: WarrantyState, text: string, locale: Locale, quiet: boolean): Promise<void> {
    const t = serviceTextsFor(locale);
    const order = await readTaobaoOrder(this.desk, text, t);
    if (order.kind === 'problem') {
      // An order number is never small talk: say what happened to it even on the first message.
      state.note = order.note;
      return;
    }
    if (order.kind === 'found') {
      Object.assign(state, { purchaseDate: order.purchaseDate, orderId: order.orderId, fromRegistry: false });
      state.modelId ??= order.modelId ?? this.desk.catalogue.findModel(text)?.id;
      if (!state.modelId) state.note = t.orderNeedsModel(formatDate(order.purchaseDate, locale));
      return;
    }
    const serial = this.desk.findSerial(text);
    if (serial) {
      const unit = await this.desk.lookupUnit(serial);
      if (unit) {
        Object.assign(state, { modelId: unit.modelId, purchaseDate: unit.saleDate, contract: unit.contract, fromRegistry: true });
      } else if (!quiet) state.note = t.unknownSerial(serial);
      return;
    }
    if (!state.modelId) {
      const model = this.desk.catalogue.findModel(text);
      if (model) state.modelId = model.id;
      else if (!quiet) {
        const category = this.desk.catalogue.findCategory(text);
        state.note = category ? t.pickModel(category.name) : t.productNotFound;
        return;
      }
    }
    if (state.modelId && !state.purchaseDate) {
      const parsed = parsePurchaseDate(text, this.desk.today());
      if (parsed.ok) state.purchaseDate = parsed.date;
      else if (!quiet && !this.desk.catalogue.findModel(text)) state.note = parsed.reason === 'future' ? t.futureDate : t.badDate;
    }
  }

  private async answer(context: WaterfallStepContext['context'], state: WarrantyState): Promise<void> {
    const locale = localeOf(context);
    const t = serviceTextsFor(locale);
    const model = this.desk.catalogue.model(state.modelId ?? '');
    const category = model ? this.desk.catalogue.category(model.category) : undefined;
    if (!model || !category) return;
    const verdict = this.desk.warrantyOf({
      category,
      purchaseDate: state.purchaseDate,
      today: this.desk.today(),
      contract: state.contract,
      facts: { hasProof: true },
    });
    await this.desk.noteFacts?.(context.activity.conversation.id, { product: model.name, warranty: verdict.reason });
    const lines = [t.warrantyResult(this.nameOf(model, locale), locale === 'en' ? verdict.reasonEn : verdict.reason, this.meaning(verdict, t, locale))];
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

  private nameOf(model: ProductModel, locale: Locale): string {
    return locale === 'en' ? model.nameEn : model.name;
  }
}
