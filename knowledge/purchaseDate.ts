import {
  cnNumber,
  daysInMonth,
  formatYmd as format,
  parseYmd,
  shiftDays,
  shiftMonths,
  validYmd as valid,
  type CalendarDate,
} from './calendarDates';

export type PurchaseDateResult = { ok: true; date: CalendarDate; approximate: boolean } | { ok: false; reason: 'future' | 'unrecognized' };

/** Shopping festivals customers date their purchases by; bare digits only standing alone ("16180天前" is no 618). */
const FESTIVALS: Array<[RegExp, number, number]> = [
  [/双十一|双11(?!\d)|(?<!\d)1111(?!\d)/, 11, 11],
  [/双十二|双12(?!\d)|(?<!\d)1212(?!\d)/, 12, 12],
  [/六一八|(?<!\d)618(?!\d)/, 6, 18],
  [/五一/, 5, 1],
  [/国庆/, 10, 1],
  [/元旦/, 1, 1],
  [/情人节/, 2, 14],
];

const NUM = '(\\d+|[一二两三四五六七八九十半]+)';

/** Earlier than any product the desk services was sold; also keeps every date a four-digit year. */
const EARLIEST_PURCHASE: CalendarDate = '1970-01-01';

/** Which year a phrase points at, relative to today's year; undefined when it names none. */
function yearOffset(text: string): number | undefined {
  if (/大前年/.test(text)) return -3;
  if (/前年/.test(text)) return -2;
  if (/去年|last ?year/.test(text)) return -1;
  if (/今年|this ?year/.test(text)) return 0;
  return undefined;
}

/**
 * The purchase date in the words customers use: 2025年3月5日, 2025-03-05, 25年5月, 去年双十一,
 * 上个月, 三个月前, 半年前, 前天, 今年6月份 … A phrase naming a month or a stretch of time resolves
 * to its last possible day (capped at today), which favours the customer; the ticket then asks for
 * proof. A date after today is refused, and so is one before 1970 ("3000年前" is no purchase).
 */
export function parsePurchaseDate(raw: string, today: CalendarDate): PurchaseDateResult {
  const text = raw.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  const now = parseYmd(today);
  const result = (date: CalendarDate, approximate: boolean): PurchaseDateResult => {
    // "30000天前" or "3000年前" reach years that are no purchase, or no year at all (NaN, negative);
    // years below 100 would also be read as 19xx by the Date.UTC arithmetic the desk does.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date < EARLIEST_PURCHASE) return { ok: false, reason: 'unrecognized' };
    if (date > today) {
      // A month or a festival of "this year" still to come means last year's.
      return { ok: false, reason: 'future' };
    }
    return { ok: true, date, approximate };
  };
  const capped = (date: CalendarDate) => (date > today ? today : date);

  // Full dates: 2025年3月5日, 2025-3-5, 2025/03/05, 2025.3.5, 20250305
  const full = /(\d{4}|\d{2})[年./-](\d{1,2})[月./-](\d{1,2})[日号]?/.exec(text) ?? /(20\d{2})(\d{2})(\d{2})/.exec(text);
  if (full) {
    const y = full[1].length === 2 ? 2000 + Number(full[1]) : Number(full[1]);
    const m = Number(full[2]);
    const d = Number(full[3]);
    if (!valid(y, m, d)) return { ok: false, reason: 'unrecognized' };
    return result(format({ y, m, d }), false);
  }

  // Year and month: 2025年3月, 25年5月, 去年3月, 今年6月份
  const yearMonth = new RegExp(`(\\d{4}|\\d{2}|去年|前年|大前年|今年)年?${NUM}月(份)?(${NUM}[日号])?`).exec(text);
  if (yearMonth) {
    const offset = yearOffset(yearMonth[1]);
    const y = offset !== undefined ? now.y + offset : yearMonth[1].length === 2 ? 2000 + Number(yearMonth[1]) : Number(yearMonth[1]);
    const m = cnNumber(yearMonth[2]);
    const d = yearMonth[5] ? cnNumber(yearMonth[5]) : undefined;
    if (!m || !Number.isInteger(m) || m > 12) return { ok: false, reason: 'unrecognized' };
    if (d !== undefined) return valid(y, m, d) ? result(format({ y, m, d }), false) : { ok: false, reason: 'unrecognized' };
    return result(capped(format({ y, m, d: daysInMonth(y, m) })), true);
  }

  // Festivals: 去年双十一, 双11, 今年618
  for (const [pattern, m, d] of FESTIVALS) {
    if (!pattern.test(text)) continue;
    const offset = yearOffset(text);
    let y = now.y + (offset ?? 0);
    if (offset === undefined && format({ y, m, d }) > today) y -= 1;
    return result(format({ y, m, d }), true);
  }

  // Month and day without a year: 3月5日, 十月一号 → the most recent such day.
  const monthDay = new RegExp(`${NUM}月${NUM}[日号]`).exec(text);
  if (monthDay) {
    const m = cnNumber(monthDay[1]);
    const d = cnNumber(monthDay[2]);
    if (!m || !d || !valid(now.y, m, d)) return { ok: false, reason: 'unrecognized' };
    const thisYear = format({ y: now.y, m, d });
    return result(thisYear > today ? format({ y: now.y - 1, m, d }) : thisYear, false);
  }

  // Relative days: 今天, 昨天, 前天, 大前天
  const days: Array<[RegExp, number]> = [
    [/大前天/, 3],
    [/前天/, 2],
    [/昨天|yesterday/, 1],
    [/今天|today/, 0],
  ];
  for (const [pattern, back] of days) if (pattern.test(text)) return result(shiftDays(today, -back), false);

  // Ago: 三个月前, 半年前, 两周前, 10天前, 一年多前
  const ago = new RegExp(`${NUM}(个)?(多)?(天|日|周|星期|礼拜|月|年)(多)?(以)?前`).exec(text);
  if (ago) {
    const n = cnNumber(ago[1]);
    if (n === undefined) return { ok: false, reason: 'unrecognized' };
    const unit = ago[4];
    if (unit === '天' || unit === '日') return result(shiftDays(today, -Math.round(n)), true);
    if (unit === '周' || unit === '星期' || unit === '礼拜') return result(shiftDays(today, -Math.round(n * 7)), true);
    const months = unit === '月' ? n : n * 12;
    return result(shiftMonths(today, -Math.round(months)), true);
  }
  if (/半年前/.test(text)) return result(shiftMonths(today, -6), true);

  // How long it has been had: 买了5天, 刚买三天, 用了一年多, 买了半年.
  const owned = new RegExp(`(?:买|购买|入手|用)(?:了|来)?(?:才|刚|快|差不多|大概|不到|都)?${NUM}(个)?(多)?(天|日|周|星期|礼拜|月|年)`).exec(
    text,
  );
  if (owned) {
    const n = cnNumber(owned[1]);
    if (n === undefined) return { ok: false, reason: 'unrecognized' };
    const unit = owned[4];
    if (unit === '天' || unit === '日') return result(shiftDays(today, -Math.round(n)), true);
    if (unit === '周' || unit === '星期' || unit === '礼拜') return result(shiftDays(today, -Math.round(n * 7)), true);
    return result(shiftMonths(today, -Math.round(unit === '月' ? n : n * 12)), true);
  }

  // Calendar stretches: 上个月, 上上个月, 上周, 去年, 去年年底, 年初
  if (/上上个?月/.test(text)) {
    const start = shiftMonths(format({ ...now, d: 1 }), -2);
    return result(shiftDays(shiftMonths(start, 1), -1), true);
  }
  if (/上个?月|last ?month/.test(text)) return result(shiftDays(format({ ...now, d: 1 }), -1), true);
  if (/上周|上个?星期|上个?礼拜|last ?week/.test(text)) return result(shiftDays(today, -7), true);
  const offset = yearOffset(text);
  if (offset !== undefined) {
    const y = now.y + offset;
    if (/年初|年头/.test(text)) return result(capped(format({ y, m: 2, d: 28 })), true);
    if (/年中/.test(text)) return result(capped(format({ y, m: 6, d: 30 })), true);
    return result(capped(format({ y, m: 12, d: 31 })), true);
  }
  // English and other phrasings are handled by the caller's general recognizer.
  return { ok: false, reason: 'unrecognized' };
}
