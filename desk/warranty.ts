import type { CalendarDate, Category, Coverage, FaultFacts, ServiceContract, VoidCause, WarrantyVerdict } from './model';

/*
 * Calendar arithmetic on y/m/d through UTC, never through local Date: the desk's dates are
 * Asia/Shanghai calendar days, and a server in another zone must not shift them by one.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

interface YMD {
  year: number;
  month: number;
  day: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parse(date: CalendarDate): YMD {
  const match = DATE.exec(date);
  const ymd = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
  if (!ymd || ymd.month < 1 || ymd.month > 12 || ymd.day < 1 || ymd.day > daysInMonth(ymd.year, ymd.month)) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): "${date}"`);
  }
  return ymd;
}

function format({ year, month, day }: YMD): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isCalendarDate(value: string): boolean {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

function utcMs(date: CalendarDate): number {
  const { year, month, day } = parse(date);
  return Date.UTC(year, month - 1, day);
}

function fromUtcMs(ms: number): CalendarDate {
  const date = new Date(ms);
  return format({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtcMs(utcMs(date) + days * DAY_MS);
}

/** The same day of the month N months on, clamped to the month's end: 2024-01-31 + 1 → 2024-02-29. */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = parse(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return format({ year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) });
}

/** Whole days from `from` to `to`: negative when `to` is earlier. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((utcMs(to) - utcMs(from)) / DAY_MS);
}

/** The calendar date it is now in the given zone (the desk works in Asia/Shanghai). */
export function todayIn(timeZone = 'Asia/Shanghai', now: Date = new Date()): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return format({ year: part('year'), month: part('month'), day: part('day') });
}

/**
 * The last day of an N-month period starting on `start`: the day before the anniversary, where the
 * anniversary is clamped to the month's end. So 2025-03-10 + 12 months covers through 2026-03-09,
 * and a leap-day purchase 2024-02-29 + 12 months (anniversary 2025-02-28) through 2025-02-27.
 */
export function periodEnd(start: CalendarDate, months: number): CalendarDate {
  return addDays(addMonths(start, months), -1);
}

/** 2026年11月25日 */
export function formatDateZh(date: CalendarDate): string {
  const { year, month, day } = parse(date);
  return `${year}年${month}月${day}日`;
}

export interface WarrantyInput {
  category: Category;
  /** From the registry, a Taobao order or an invoice; absent means nothing proves when it was bought. */
  purchaseDate?: CalendarDate;
  today: CalendarDate;
  facts: FaultFacts;
  contract?: ServiceContract;
}

const VOID_REASONS: Record<VoidCause, { zh: string; en: string }> = {
  liquid: {
    zh: '进水或受潮造成的故障不在保修范围内，本次维修需要收费，维修前我们会先报价并征得您的同意。',
    en: 'Damage caused by liquid is not covered by the warranty; the repair is paid, and we quote before repairing.',
  },
  physicalDamage: {
    zh: '摔落、挤压等人为损坏不在保修范围内，本次维修需要收费，维修前我们会先报价并征得您的同意。',
    en: 'Man-made damage such as drops or crushing is not covered by the warranty; the repair is paid, and we quote before repairing.',
  },
  disassembled: {
    zh: '商品经过非授权的拆机或维修，不在保修范围内，本次维修需要收费，维修前我们会先报价并征得您的同意。',
    en: 'The product was opened or repaired by someone unauthorised, which voids the warranty; the repair is paid, and we quote before repairing.',
  },
  noProof: {
    zh: '暂时无法确认购买日期：请提供有效的购买凭证（发票、订单截图或可查询的序列号），否则只能按保外有偿维修处理。',
    en: 'We cannot confirm when the product was bought: please send a proof of purchase (invoice, order screenshot or a serial we can look up); without one the repair is paid.',
  },
};

const PENDING_PROOF = {
  noDate: {
    zh: '暂时无法确认购买日期，保修待凭购机凭证核实：检测时请出示发票、电子订单或保修卡，在保修期内的性能故障免费维修；无法提供的话按保外有偿维修处理，维修前会先报价并征得您的同意。',
    en: 'We cannot confirm the purchase date yet, so the warranty is pending proof of purchase: show the invoice, online order or warranty card at inspection, and a fault within the warranty period is repaired free; without one the repair is paid, quoted before repairing.',
  },
  withDate: {
    zh: '（以上按您告知的购买日期计算，保修待凭购机凭证核实：检测时请出示发票、电子订单或保修卡。）',
    en: ' (This is based on the purchase date you gave; the warranty is pending proof of purchase: please show the invoice, online order or warranty card at inspection.)',
  },
};

/** Which words of an exclusion name each cause, to quote the catalogue's own line to the customer. */
const EXCLUSION_WORDS: Record<Exclude<VoidCause, 'noProof'>, RegExp> = {
  physicalDamage: /摔|挤压|撞|人为/,
  liquid: /进水|受潮|液体/,
  disassembled: /拆|未经授权/,
};

/** The category's exclusion that a cause falls under ("人为损坏（摔落、挤压、外力撞击）"), if it lists one. */
export function exclusionFor(category: Category, cause: Exclude<VoidCause, 'noProof'>): string | undefined {
  return category.exclusions.find((line) => EXCLUSION_WORDS[cause].test(line));
}

/**
 * The warranty verdict for a fault, by the 三包 rules and the category's terms. The checks run in a
 * fixed order: proof of purchase, then the exclusions (which void even a day-old purchase), then the
 * refund and exchange windows (purchase day is day 0; "within 7 days" is days 1–7 inclusive), then
 * the repair period of the faulty part or the main unit, then a service contract.
 *
 * Day-counted periods (refund, exchange, a repaired part's 90 days) end N days after their start;
 * month-counted ones end the day before the anniversary (see periodEnd). Days the unit spent in
 * repair push the part's or main unit's end later.
 */
export function statusOf(input: WarrantyInput): WarrantyVerdict {
  const { category, purchaseDate, today, facts, contract } = input;
  const { terms } = category;
  const voided = (cause: VoidCause): WarrantyVerdict => ({
    status: 'voided',
    serviceKind: 'paid',
    coverage: 'none',
    voidedBy: cause,
    reason: VOID_REASONS[cause].zh,
    reasonEn: VOID_REASONS[cause].en,
    fees: category.fees,
  });

  if (facts.proofPending) {
    // Stated damage decides whatever the proof will show, so it is said first.
    if (facts.liquid) return voided('liquid');
    if (facts.physicalDamage) return voided('physicalDamage');
    if (facts.disassembled) return voided('disassembled');
    if (!purchaseDate) {
      return {
        status: 'repair',
        serviceKind: 'free',
        coverage: 'mainUnit',
        pendingProof: true,
        reason: PENDING_PROOF.noDate.zh,
        reasonEn: PENDING_PROOF.noDate.en,
        // What the repair would cost should no proof turn up.
        fees: category.fees,
      };
    }
    const judged = statusOf({ ...input, facts: { ...facts, hasProof: true, proofPending: false } });
    return {
      ...judged,
      pendingProof: true,
      reason: `${judged.reason}${PENDING_PROOF.withDate.zh}`,
      reasonEn: `${judged.reasonEn}${PENDING_PROOF.withDate.en}`,
    };
  }
  if (!facts.hasProof || !purchaseDate) return voided('noProof');
  if (facts.liquid) return voided('liquid');
  if (facts.physicalDamage) return voided('physicalDamage');
  if (facts.disassembled) return voided('disassembled');

  const age = daysBetween(purchaseDate, today);
  if (age < 0) throw new RangeError(`purchase date ${purchaseDate} is after today (${today})`);
  const bought = formatDateZh(purchaseDate);
  const free = (endsOn: CalendarDate, coverage: Coverage, reason: string, reasonEn: string): Omit<WarrantyVerdict, 'status'> => ({
    serviceKind: 'free',
    endsOn,
    daysLeft: daysBetween(today, endsOn),
    coverage,
    reason,
    reasonEn,
    fees: [],
  });

  if (age <= terms.refundDays) {
    const endsOn = addDays(purchaseDate, terms.refundDays);
    return {
      status: 'refund',
      ...free(
        endsOn,
        'mainUnit',
        `您的商品购买于${bought}，仍在${terms.refundDays}天无理由退换期内（至${formatDateZh(endsOn)}），性能故障可以申请退货或换货。`,
        `You bought it on ${purchaseDate}, so it is still within the ${terms.refundDays}-day return period (until ${endsOn}): a performance fault can be refunded or exchanged.`,
      ),
    };
  }
  if (age <= terms.exchangeDays) {
    const endsOn = addDays(purchaseDate, terms.exchangeDays);
    return {
      status: 'exchange',
      ...free(
        endsOn,
        'mainUnit',
        `您的商品购买于${bought}，已过${terms.refundDays}天退货期，但仍在${terms.exchangeDays}天换货期内（至${formatDateZh(endsOn)}），性能故障可以申请换货。`,
        `You bought it on ${purchaseDate}; the ${terms.refundDays}-day refund period has passed, but it is within the ${terms.exchangeDays}-day exchange period (until ${endsOn}): a performance fault can be exchanged.`,
      ),
    };
  }

  const part = terms.parts.find((candidate) => candidate.id === facts.partId);
  const extension = facts.daysInRepair ?? 0;
  const periodEndsOn = addDays(periodEnd(purchaseDate, part?.months ?? terms.mainUnitMonths), extension);
  const repairedEndsOn = facts.repairedOn ? addDays(facts.repairedOn, terms.repairedPartDays) : undefined;
  const byRepair = repairedEndsOn !== undefined && repairedEndsOn > periodEndsOn;
  const warrantyEndsOn = byRepair ? (repairedEndsOn as CalendarDate) : periodEndsOn;
  const extensionZh = extension > 0 ? `（已加上在修的${extension}天）` : '';
  const extensionEn = extension > 0 ? ` (including ${extension} days spent in repair)` : '';
  const what = part
    ? { zh: `${part.name}的保修期（${part.months}个月）`, en: `the ${part.nameEn.toLowerCase()}'s ${part.months}-month warranty` }
    : { zh: `整机保修期（${terms.mainUnitMonths}个月）`, en: `the ${terms.mainUnitMonths}-month warranty of the main unit` };
  const coveredBy = byRepair
    ? {
        zh: `该部件于${formatDateZh(facts.repairedOn as CalendarDate)}维修过，维修部件另享${terms.repairedPartDays}天保修，至${formatDateZh(warrantyEndsOn)}`,
        en: `the part was repaired on ${facts.repairedOn as CalendarDate} and carries its own ${terms.repairedPartDays}-day warranty, until ${warrantyEndsOn}`,
      }
    : {
        zh: `${what.zh}至${formatDateZh(warrantyEndsOn)}${extensionZh}`,
        en: `${what.en} runs until ${warrantyEndsOn}${extensionEn}`,
      };

  if (today <= warrantyEndsOn) {
    return {
      status: 'repair',
      ...free(
        warrantyEndsOn,
        byRepair ? 'repairedPart' : part ? 'part' : 'mainUnit',
        `您的商品购买于${bought}，${coveredBy.zh}，本次可以免费维修。`,
        `You bought it on ${purchaseDate}; ${coveredBy.en}, so the repair is free.`,
      ),
    };
  }

  if (contract && contract.endsOn >= today) {
    return {
      status: 'repair',
      serviceKind: 'contract',
      endsOn: contract.endsOn,
      daysLeft: daysBetween(today, contract.endsOn),
      coverage: 'contract',
      reason: `${coveredBy.zh}，已经到期；您的延保服务合同（${contract.id}）有效至${formatDateZh(contract.endsOn)}，本次按契约服务免费维修。`,
      reasonEn: `${capitalise(coveredBy.en)}, which has ended; your extended-warranty contract ${contract.id} runs until ${contract.endsOn}, so the repair is covered by the contract.`,
      fees: [],
    };
  }

  const contractLater = contract !== undefined && contract.endsOn > warrantyEndsOn;
  const endsOn = contractLater ? contract.endsOn : warrantyEndsOn;
  return {
    status: 'outOfWarranty',
    serviceKind: 'paid',
    endsOn,
    daysLeft: daysBetween(today, endsOn),
    coverage: 'none',
    reason: contractLater
      ? `您的延保服务合同（${contract.id}）已于${formatDateZh(contract.endsOn)}到期，本次维修需要收费，维修前我们会先报价并征得您的同意。`
      : `您的商品购买于${bought}，${coveredBy.zh}，已经到期，本次维修需要收费，维修前我们会先报价并征得您的同意。`,
    reasonEn: contractLater
      ? `Your extended-warranty contract ${contract.id} ended on ${contract.endsOn}; the repair is paid, and we quote before repairing.`
      : `You bought it on ${purchaseDate}; ${coveredBy.en}, which has ended. The repair is paid, and we quote before repairing.`,
    fees: category.fees,
  };
}

function capitalise(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
