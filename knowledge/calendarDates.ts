/*
 * Calendar arithmetic on YYYY-MM-DD dates and the numbers customers write them with, shared by the
 * readers of purchase dates and visit times. Dates are plain calendar days (no instant, no zone):
 * Date.UTC does the month lengths and leap years.
 */

/** A calendar date, YYYY-MM-DD. */
export type CalendarDate = string;

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export function parseYmd(date: CalendarDate): Ymd {
  const [y, m, d] = date.split('-').map(Number);
  return { y, m, d };
}

export function formatYmd({ y, m, d }: Ymd): CalendarDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function shiftDays(date: CalendarDate, days: number): CalendarDate {
  const { y, m, d } = parseYmd(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return formatYmd({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

/** The same day `months` later or earlier, cut to the month's last day (1月31日 + 1 month → 2月28日). */
export function shiftMonths(date: CalendarDate, months: number): CalendarDate {
  const { y, m, d } = parseYmd(date);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return formatYmd({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

export function validYmd(y: number, m: number, d: number): boolean {
  return Number.isInteger(m) && Number.isInteger(d) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
export function isoWeekday(date: CalendarDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

// China has kept +08:00 all year since 1991: a Shanghai wall clock is one fixed offset from UTC.
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The calendar day `now` falls on in Asia/Shanghai. */
export function shanghaiDate(now: Date): CalendarDate {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十一 → 11, 二十三 → 23, 三 → 3, 两 → 2, 半 → 0.5, 12 → 12; undefined for anything else. */
export function cnNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === '半') return 0.5;
  const match = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!match || !text) return undefined;
  const [, tens, ten, ones] = match;
  if (!ten) return tens ? CN_DIGITS[tens] : undefined;
  return (tens ? CN_DIGITS[tens] : 1) * 10 + (ones ? CN_DIGITS[ones] : 0);
}
