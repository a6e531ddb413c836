/** What the report's facts mean: the warranty verdict, why a repair is paid, the fee estimate and the summary read back. */
import type { Category, FeeRange, ServiceMode, WarrantyVerdict } from '../desk/model';
import { exclusionFor } from '../desk/warranty';
import type { Locale } from '../knowledge';
import { maskPhone } from '../desk/privacy';
import type { DeskServices } from './deskServices';
import { formatDate } from './dates';
import { categoryName, feeLines, feesFor, modelName } from './productQuestions';
import type { ServiceTexts } from './serviceTexts';
import { DAMAGES, type FaultReportState } from './faultReportState';

/** Why the repair is probably paid, said once when stated damage voids the warranty. */
export function damageNotice(desk: DeskServices, state: FaultReportState, t: ServiceTexts, locale: Locale): string | undefined {
  const category = categoryOf(desk, state);
  const kind = (state.damageKinds ?? [])[0];
  if (!category || !kind || state.told?.damage) return undefined;
  (state.told ??= {}).damage = true;
  const exclusion = (locale === 'en' ? undefined : exclusionFor(category, kind)) ?? t.exclusionNames[kind];
  return t.damageNotice(t.damageSaid[kind], exclusion, feeLines(t, feesFor(desk, category.id, faultWords(state)), locale));
}

/** Paid service: the span of the fees that concern this fault (换屏 for a cracked screen), else of all the family's. */
export function feeEstimate(
  desk: DeskServices,
  state: FaultReportState,
  verdict: WarrantyVerdict,
): { minYuan: number; maxYuan: number } | undefined {
  if (verdict.serviceKind !== 'paid' || !verdict.fees.length || !state.categoryId) return undefined;
  return feeSpan(feesFor(desk, state.categoryId, faultWords(state)));
}

/** The customer's words about the fault, for finding the fees that concern it. */
export function faultWords(state: FaultReportState): string {
  return [state.symptom ?? '', ...(state.damageKinds ?? []).map((kind) => (kind === 'liquid' ? '进水' : ''))].join(' ');
}

export function damageVoids(state: FaultReportState): boolean {
  return (state.damageKinds ?? []).length > 0;
}

export function categoryOf(desk: DeskServices, state: FaultReportState): Category | undefined {
  return state.categoryId ? desk.catalogue.category(state.categoryId) : undefined;
}

export function modesFor(desk: DeskServices, state: FaultReportState): ServiceMode[] {
  return categoryOf(desk, state)?.serviceModes ?? ['carryIn', 'mailIn'];
}

export function verdictOf(desk: DeskServices, state: FaultReportState): WarrantyVerdict {
  const category = categoryOf(desk, state);
  if (!category) throw new Error('warranty asked before the product is known');
  const kinds = new Set(state.damageKinds ?? []);
  return desk.warrantyOf({
    category,
    purchaseDate: state.purchaseDate,
    today: desk.today(),
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

export function summaryLines(desk: DeskServices, state: FaultReportState, t: ServiceTexts, locale: Locale): string[] {
  const s = t.summary;
  const model = state.modelId ? desk.catalogue.model(state.modelId) : undefined;
  const category = categoryOf(desk, state);
  const verdict = verdictOf(desk, state);
  const fees = feeEstimate(desk, state, verdict);
  const product = model ? modelName(model, locale) : (state.modelId ?? t.modelUnknownName(category ? categoryName(category, locale) : ''));
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

function feeSpan(fees: FeeRange[]): { minYuan: number; maxYuan: number } {
  return {
    minYuan: Math.min(...fees.map((fee) => fee.minYuan)),
    maxYuan: Math.max(...fees.map((fee) => fee.maxYuan)),
  };
}
