/** Takes a customer's answers into a fault report: the answer to the question asked, facts said in passing, corrections. */
import type { Area, ServiceMode } from '../desk/model';
import {
  DAMAGE_KINDS,
  extractMobile,
  parsePurchaseDate,
  saysAnotherWay,
  saysDontKnow,
  saysSkip,
  type Locale,
  type MessageFacts,
} from '../knowledge';
import { matchChoice } from './choices';
import type { FactsReader } from './conversationMemory';
import type { DeskServices } from './deskServices';
import { readTaobaoOrder } from './orderLookup';
import { familyIn, isButton, modelIn } from './productQuestions';
import type { ServiceTexts } from './serviceTexts';
import { DAMAGES, type Damage, type FaultReportState, type Slot } from './faultReportState';
import { modesFor } from './faultReportSummary';

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

/** Validates an answer for the question asked; a bad one leaves a note and the question stands. */
export async function capture(
  desk: DeskServices,
  reader: FactsReader,
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
      state.note = await takeProduct(desk, state, facts, t);
      return 'next';
    }
    case 'confirmProduct': {
      const denies = /^(不是|不对|错了?|没有?这|no\b|not\b|wrong)/i.test(answer) || isButton(answer, t.noItIsNot);
      const yes = denies ? false : yesOrNo(answer, t, [t.yesItIs, t.noItIsNot]) === true ? true : undefined;
      const pending = state.toConfirm ?? {};
      state.toConfirm = { phone: pending.phone };
      if (yes === true) {
        if (pending.serial) state.note = await takeProduct(desk, state, { ...facts, serial: pending.serial }, t);
        else if (pending.modelId) setModel(desk, state, pending.modelId);
      } else if (yes === false) {
        // 不是 — and maybe the right one in the same breath ("不是，是 X30").
        if (facts.modelId || facts.serial || facts.category) state.note = await takeProduct(desk, state, facts, t);
      } else if (facts.modelId || facts.serial) {
        state.note = await takeProduct(desk, state, facts, t);
      } else if (pending.modelId && hasOtherFacts(facts)) {
        // 没有发票 / 今年618买的 to "是 W5 吗？": the model stands, the answer is taken as what it says.
        setModel(desk, state, pending.modelId);
        if (pending.serial) state.note = await takeProduct(desk, state, { ...facts, serial: pending.serial }, t);
      } else {
        state.toConfirm = pending;
        state.note = t.pleaseChoose;
      }
      return 'next';
    }
    case 'family': {
      if (isButton(answer, t.noneOfThese)) return 'notOurs';
      const category = familyIn(desk, answer, facts, locale);
      if (category) {
        state.categoryId = category.id;
        if (facts.modelId) setModel(desk, state, facts.modelId);
      } else state.note = t.pleaseChoose;
      return 'next';
    }
    case 'model': {
      if (facts.serial) {
        state.note = await takeProduct(desk, state, facts, t);
        return 'next';
      }
      const model = modelIn(desk, state.categoryId, answer, facts, locale);
      if (model) setModel(desk, state, model.id);
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
      if (await takeOrder(desk, state, answer, t)) return 'next';
      const parsed = parsePurchaseDate(answer, desk.today());
      if (parsed.ok) Object.assign(state, { purchaseDate: parsed.date, approximateDate: parsed.approximate });
      else state.note = parsed.reason === 'future' ? t.futureDate : t.badDate;
      return 'next';
    }
    case 'dateProof': {
      if (await takeOrder(desk, state, answer, t)) return 'next';
      const parsed = parsePurchaseDate(answer, desk.today());
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
      const symptom = reader.describedSymptom(answer);
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
      const modes = modesFor(desk, state);
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
        clear(state, 'serviceMode');
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
        clear(state, slot);
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
export async function take(
  desk: DeskServices,
  state: FaultReportState,
  facts: MessageFacts,
  t: ServiceTexts,
  quiet = false,
): Promise<string[]> {
  const notes: string[] = [];
  // A model named after 不知道型号 is the model: the customer remembered.
  if (!state.modelId && (facts.serial || facts.modelId)) {
    const why = await takeProduct(desk, state, facts, t);
    if (why && !quiet) notes.push(why);
  }
  if (!state.categoryId && facts.category) state.categoryId = facts.category;
  if (!state.phone && facts.phone && !state.toConfirm?.phone) state.phone = facts.phone;
  if (!state.symptom && facts.symptom) state.symptom = facts.symptom;
  if (!state.purchaseDate && !state.dateProven && facts.purchaseDate) {
    Object.assign(state, { purchaseDate: facts.purchaseDate, approximateDate: facts.approximateDate ?? true });
  }
  if (!state.purchaseDate && facts.orderId) {
    const order = await readTaobaoOrder(desk, facts.orderId, t);
    if (order.kind === 'found') takeFoundOrder(desk, state, order);
    else if (order.kind === 'problem' && !quiet) notes.push(order.note);
  }
  // 发票丢了 is not the end of the warranty: the report goes on pending proof.
  if (state.hasProof === undefined && !state.dateProven && facts.proof === true) state.hasProof = true;
  else if (state.hasProof === undefined && !state.dateProven && facts.proof === false) state.proofUnsure = true;
  if (!state.serviceMode && facts.serviceMode) state.wantedMode = facts.serviceMode;
  takeDamage(state, facts);
  return notes;
}

/** Facts from earlier messages: the product and the phone are confirmed first, the rest is taken. */
export function takeEarlier(desk: DeskServices, state: FaultReportState, facts: MessageFacts): void {
  const model = facts.modelId ? desk.catalogue.model(facts.modelId) : undefined;
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
  takeDamage(state, facts);
}

export function takeDamage(state: FaultReportState, facts: MessageFacts): void {
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
export async function takeProduct(
  desk: DeskServices,
  state: FaultReportState,
  facts: MessageFacts,
  t: ServiceTexts,
): Promise<string | undefined> {
  if (facts.serial) {
    const unit = await desk.lookupUnit(facts.serial);
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
    setModel(desk, state, unit.modelId);
    return undefined;
  }
  if (facts.modelId) {
    setModel(desk, state, facts.modelId);
    return undefined;
  }
  if (facts.category) {
    state.categoryId = facts.category;
    return undefined;
  }
  return t.productNotFound;
}

export function setModel(desk: DeskServices, state: FaultReportState, modelId: string): void {
  const model = desk.catalogue.model(modelId);
  state.modelId = model?.id ?? modelId;
  state.categoryId = model?.category ?? state.categoryId;
  state.modelUnknown = false;
}

/** An order number in the answer: true when it settled the date question one way or another. */
export async function takeOrder(desk: DeskServices, state: FaultReportState, answer: string, t: ServiceTexts): Promise<boolean> {
  const order = await readTaobaoOrder(desk, answer, t);
  if (order.kind === 'problem') state.note = order.note;
  if (order.kind === 'found') takeFoundOrder(desk, state, order);
  return order.kind !== 'none';
}

export function takeFoundOrder(
  desk: DeskServices,
  state: FaultReportState,
  order: { orderId: string; purchaseDate: string; modelId?: string },
): void {
  // The shop's own order proves the purchase: no need to ask for proof.
  Object.assign(state, {
    purchaseDate: order.purchaseDate,
    approximateDate: false,
    dateProven: true,
    hasProof: true,
    orderId: order.orderId,
  });
  if (!state.modelId && order.modelId) setModel(desk, state, order.modelId);
}

export function correctionIn(answer: string): Slot | undefined {
  if (!CORRECTION_CUE.test(answer)) return undefined;
  return CORRECTIONS.find(([pattern]) => pattern.test(answer))?.[1];
}

/** Forgets a fact so it is asked again, with the facts that depended on it. */
export function clear(state: FaultReportState, slot: Slot): void {
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

/** The questions whose count starts again when a field is cleared for a correction. */
function relatedSlots(slot: Slot): Slot[] {
  if (slot === 'product') return ['product', 'confirmProduct', 'family', 'model', 'purchaseDate', 'dateProof', 'proof'];
  if (slot === 'purchaseDate') return ['purchaseDate', 'dateProof', 'proof'];
  if (slot === 'serviceMode') return ['serviceMode', 'area', 'address'];
  return [slot];
}

/** The facts that count as progress; a changed value means the answer told something. */
export function factsKnown(state: FaultReportState): string {
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
