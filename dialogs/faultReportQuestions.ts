/** Which question a fault report asks next, how it is worded, and the other way taken when it is not answered. */
import type { Activity } from 'botbuilder';
import type { Locale } from '../knowledge';
import { maskPhone } from '../desk/privacy';
import { askWithChoices } from './choices';
import type { DeskServices } from './deskServices';
import { categoryName, familyQuestion, feeLines, modelName, modelQuestion, serialPlaces } from './productQuestions';
import type { ServiceTexts } from './serviceTexts';
import type { FaultReportState, Slot } from './faultReportState';
import { categoryOf, damageVoids, modesFor, summaryLines, verdictOf } from './faultReportSummary';

export function nextSlot(desk: DeskServices, state: FaultReportState): Slot {
  if (state.editing) return 'editWhich';
  if (state.toConfirm?.modelId || state.toConfirm?.serial) return 'confirmProduct';
  if (!state.modelId && !state.modelUnknown) {
    if (state.categoryId) return 'model';
    return state.serialUnknown ? 'family' : 'product';
  }
  if (!state.purchaseDate && !state.dateUnknown) return state.dateLookup ? 'dateProof' : 'purchaseDate';
  if (state.purchaseDate && !state.dateProven && state.hasProof === undefined && !state.proofUnsure && !damageVoids(state)) return 'proof';
  if (!state.symptom) return 'symptom';
  if (!state.damage) return 'damage';
  if (verdictOf(desk, state).serviceKind === 'paid' && state.consent === undefined) return 'consent';
  if (!state.serviceMode) return 'serviceMode';
  if (state.serviceMode === 'onsite' && !state.area) return 'area';
  if ((state.serviceMode === 'onsite' || state.serviceMode === 'mailIn') && !state.address) return 'address';
  if (!state.name) return 'name';
  if (state.toConfirm?.phone) return 'confirmPhone';
  if (!state.phone) return 'phone';
  return 'confirm';
}

/** The question for a slot; from the second time on it also offers the other ways (不知道 / 跳过 / 换个方式 / 转人工). */
export function question(
  desk: DeskServices,
  slot: Slot,
  state: FaultReportState,
  t: ServiceTexts,
  locale: Locale,
  times: number,
): string | Partial<Activity> {
  const again = times >= 2;
  const third = times >= 3;
  const person = again ? [t.toPerson] : [];
  const choose = (text: string, options: string[], otherWays: string[] = []) =>
    askWithChoices(third ? `${t.chooseOtherwise}\n${text}` : text, [...options, ...(again ? otherWays : []), ...person]);
  switch (slot) {
    case 'product':
      return askWithChoices(t.askProduct, again ? [t.dontKnowSerial, t.anotherWay, t.toPerson] : [t.dontKnowSerial]);
    case 'confirmProduct':
      return choose(t.confirmProduct(confirmName(desk, state, locale)), [t.yesItIs, t.noItIsNot]);
    case 'family':
      return familyQuestion(desk, locale, third ? `${t.chooseOtherwise}\n${t.askFamily}` : t.askFamily, [t.noneOfThese, ...person]);
    case 'model': {
      const category = categoryOf(desk, state);
      const name = category ? categoryName(category, locale) : '';
      const text = state.serialUnknown ? t.pickModelNoSerial(name) : t.pickModel(name);
      return modelQuestion(desk, state.categoryId ?? '', locale, third ? `${t.chooseOtherwise}\n${text}` : text, [
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
      return choose(t.askConsent(feeLines(t, verdictOf(desk, state).fees, locale)), [t.agree, t.disagree]);
    }
    case 'serviceMode':
      return choose(
        t.askServiceMode,
        modesFor(desk, state).map((mode) => t.modeNames[mode]),
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
      return choose(t.confirmSummary(summaryLines(desk, state, t, locale)), [t.confirm, t.change]);
  }
}

/** The other way of a question asked twice without an answer; false when it has none (it is rephrased instead). */
export function takeAnotherWay(state: FaultReportState, slot: Slot, t: ServiceTexts): boolean {
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

/** Where the serial is printed, said once, when the customer could not find it and the family is known. */
export function serialPlacesOnce(
  desk: DeskServices,
  state: FaultReportState,
  slot: Slot,
  t: ServiceTexts,
  locale: Locale,
): string | undefined {
  if (slot !== 'model' || !state.serialUnknown || !state.categoryId || state.told?.serialPlaces) return undefined;
  (state.told ??= {}).serialPlaces = true;
  return serialPlaces(desk, t, locale, state.categoryId);
}

export function confirmName(desk: DeskServices, state: FaultReportState, locale: Locale): string {
  const { modelId, serial } = state.toConfirm ?? {};
  const model = modelId ? desk.catalogue.model(modelId) : undefined;
  if (model) return serial ? `${modelName(model, locale)}（${serial}）` : modelName(model, locale);
  return serial ?? '';
}
