import type { HalfDay } from '../common/halfDays';
import {
  cnNumber,
  daysInMonth,
  formatYmd,
  isoWeekday,
  parseYmd,
  shiftDays,
  shiftMonths,
  validYmd,
  type CalendarDate,
} from './calendarDates';

/*
 * The words of a visit time, each found where it stands in the message: days (明天, 下周三, 12月5号,
 * Dec 5), parts of the day (下午, evening), hours (十点, 2:30, 3pm) and how soon (越快越好, 随时).
 * visitTime.ts decides what they add up to.
 */

// --- what the text mentions ----------------------------------------------------------------------

/** A part of the day as customers name it; 'noon' and 'evening' lie outside the visit windows. */
export type Part = HalfDay | 'noon' | 'evening';

export interface Span {
  at: number;
  end: number;
}

export interface DayMention extends Span {
  type: 'day';
  from: CalendarDate;
  to: CalendarDate;
  /** Already gone (昨天, 这周一 said on a Friday, 12月1号 said on the 3rd): what happened, not a wish. */
  past?: boolean;
  /** 明早, 今晚, tonight. */
  part?: Part;
  /** For a weekday: which day it is and whether its week was named (这周三, 下周三) or not (周三). */
  weekday?: { day: number; weekNamed: boolean };
  /** The days named one by one when joined as a choice (周六或者周日, 周一、周三). */
  only?: CalendarDate[];
}

export type Mention =
  | DayMention
  | (Span & { type: 'part'; part: Part })
  | (Span & { type: 'hour'; hour: number; minute: number; part?: Part; before?: boolean })
  | (Span & { type: 'workdays' | 'soonest' | 'any' });

export interface Context {
  today: CalendarDate;
}

/** A mention before it is placed in the text. */
type Unplaced<T> = T extends Mention ? Omit<T, 'at' | 'end'> : never;

type Rule = { pattern: RegExp; read: (match: RegExpExecArray, context: Context) => Unplaced<Mention> | undefined };

const NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const WEEKDAY_NAMES: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 七: 7 };
const EN_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const EN_WEEKDAY = '(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)';

const day = (from: CalendarDate, to: CalendarDate = from, extra: Partial<DayMention> = {}): Omit<DayMention, 'at' | 'end'> => ({
  type: 'day',
  from,
  to,
  ...extra,
});

/** Monday of the week `today` is in, `weeks` weeks on. */
const mondayOf = (today: CalendarDate, weeks = 0): CalendarDate => shiftDays(today, 1 - isoWeekday(today) + 7 * weeks);

/**
 * A weekday: in a named week (这周三, 下周三: 0 or 1 week on), gone if that day has passed; unnamed
 * (周三, Wednesday) the next such day, today included.
 */
function weekdayMention(today: CalendarDate, weekday: number, weeks: number | undefined): Omit<DayMention, 'at' | 'end'> {
  if (weeks === undefined) {
    const ahead = (weekday - isoWeekday(today) + 7) % 7;
    return day(shiftDays(today, ahead), undefined, { weekday: { day: weekday, weekNamed: false } });
  }
  const date = shiftDays(mondayOf(today, weeks), weekday - 1);
  return day(date, undefined, { past: date < today, weekday: { day: weekday, weekNamed: true } });
}

/** 这周 0, 下周 1, 下下周 2, 上周 -1. */
function weeksOf(word: string | undefined): number | undefined {
  if (word === undefined || word === '') return undefined;
  if (/^(?:下下)/.test(word)) return 2;
  if (/^(?:下|next)/.test(word)) return 1;
  if (/^(?:上|last)/.test(word)) return -1;
  return 0;
}

/**
 * A month and day without a year: this year's, or next year's when it is more than three months
 * gone (1月5号 said in December). One gone less long ago (12月1号 said on the 3rd) is past: the
 * customer is telling what happened.
 */
function monthDay(today: CalendarDate, m: number, d: number, year?: number): Omit<DayMention, 'at' | 'end'> | undefined {
  const now = parseYmd(today);
  if (year !== undefined) {
    if (!validYmd(year, m, d)) return undefined;
    const date = formatYmd({ y: year, m, d });
    return day(date, undefined, { past: date < today });
  }
  if (!validYmd(now.y, m, d) && !validYmd(now.y + 1, m, d)) return undefined;
  const thisYear = validYmd(now.y, m, d) ? formatYmd({ y: now.y, m, d }) : undefined;
  if (thisYear && thisYear >= today) return day(thisYear);
  if (thisYear && thisYear >= shiftMonths(today, -3)) return day(thisYear, undefined, { past: true });
  return validYmd(now.y + 1, m, d) ? day(formatYmd({ y: now.y + 1, m, d })) : undefined;
}

/** A day of the month alone (5号, the 5th): this month's, or the next month's with it once it has gone. */
function dayOfMonth(today: CalendarDate, d: number): Omit<DayMention, 'at' | 'end'> | undefined {
  if (!Number.isInteger(d) || d < 1 || d > 31) return undefined;
  const now = parseYmd(today);
  for (let months = 0; months < 12; months++) {
    const first = parseYmd(shiftMonths(formatYmd({ ...now, d: 1 }), months));
    if (d > daysInMonth(first.y, first.m)) continue;
    const date = formatYmd({ ...first, d });
    if (date >= today) return day(date);
  }
  return undefined;
}

const enMonth = (word: string): number => EN_MONTHS.indexOf(word.slice(0, 3)) + 1;
const enWeekday = (word: string): number => EN_WEEKDAYS.findIndex((name) => name.startsWith(word.slice(0, 3))) + 1;

const relative =
  (days: number, part?: Part) =>
  (_: RegExpExecArray, { today }: Context) =>
    day(shiftDays(today, days), undefined, { past: days < 0, part });

/** Highest first: a longer phrase is read before the words inside it (大后天 before 后天, 明早 before 早). */
const RULES: Rule[] = [
  // Full dates: 2026年12月5日, 2026-12-05, 2026/12/5.
  {
    pattern: /(?<!\d)(20\d{2})[年./-](\d{1,2})[月./-](\d{1,2})[日号]?/g,
    read: (m, { today }) => monthDay(today, Number(m[2]), Number(m[3]), Number(m[1])),
  },
  // 12月5号, 十二月五日, 明年1月3号, 12月5下午.
  {
    pattern: new RegExp(`(今年|明年|去年)?${NUM}月份?${NUM}(?:[日号]|(?![\\d十]))`, 'g'),
    read: (m, { today }) => {
      const month = cnNumber(m[2]);
      const date = cnNumber(m[3]);
      if (month === undefined || date === undefined) return undefined;
      const y = parseYmd(today).y;
      const year = m[1] === '明年' ? y + 1 : m[1] === '去年' ? y - 1 : m[1] === '今年' ? y : undefined;
      return monthDay(today, month, date, year);
    },
  },
  // 12.5, 12/5 — not a price, a size or a version (12.5元, 6.5寸, v1.2).
  {
    pattern:
      /(?<![\d.a-z/])(1[0-2]|0?[1-9])[./](3[01]|[12]\d|0?[1-9])(?![\d.]|\s*(?:元|块|寸|英寸|米|斤|公斤|kg|g\b|%|折|倍|版|万|k\b))[日号]?/g,
    read: (m, { today }) => {
      const [month, date] = [Number(m[1]), Number(m[2])];
      // 1/2, 3/4 are fractions (1/2的屏幕不亮).
      if (m[0].includes('/') && month < date && date <= 4) return undefined;
      return monthDay(today, month, date);
    },
  },
  // Dec 5, December 5th, 5 December, 5th of Dec.
  {
    pattern: new RegExp(`\\b${EN_MONTH}\\s*(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'g'),
    read: (m, { today }) => monthDay(today, enMonth(m[1]), Number(m[2])),
  },
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s*(?:of\\s+)?${EN_MONTH}\\b`, 'g'),
    read: (m, { today }) => monthDay(today, enMonth(m[2]), Number(m[1])),
  },
  { pattern: /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b/g, read: (m, { today }) => dayOfMonth(today, Number(m[1])) },
  // 5号, 五号, 5日 — not a house, a line or a building (500号, 3号线, 5号楼), not 周日 or 工作日.
  {
    pattern: new RegExp(
      `(?<![\\d月./路街弄巷道村区栋幢楼室号元门座期周拜作假生节十一二三四五六七八九两-])${NUM}号(?![楼线门院口店室栋座机位房仓])|(?<![\\d月./路街弄巷道村区栋幢楼室-])(\\d{1,2})日`,
      'g',
    ),
    read: (m, { today }) => {
      const d = cnNumber(m[1] ?? m[2]);
      return d === undefined ? undefined : dayOfMonth(today, d);
    },
  },
  // Relative days.
  { pattern: /大后天|大後天/g, read: relative(3) },
  { pattern: /明后天|明後天|明天或后天/g, read: (_, { today }) => day(shiftDays(today, 1), shiftDays(today, 2)) },
  { pattern: /后天|後天|(?:the\s+)?day\s+after\s+tomorrow/g, read: relative(2) },
  { pattern: /明早|明天一早|明儿一早/g, read: relative(1, 'am') },
  { pattern: /明晚/g, read: relative(1, 'evening') },
  { pattern: /明天|明儿个?|明日|明个|\btomorrow\b|\btmrw?\b/g, read: relative(1) },
  { pattern: /今早/g, read: relative(0, 'am') },
  { pattern: /今晚|\btonight\b/g, read: relative(0, 'evening') },
  { pattern: /今天|今儿个?|今日|\btoday\b/g, read: relative(0) },
  { pattern: /大前天/g, read: relative(-3) },
  { pattern: /前天/g, read: relative(-2) },
  { pattern: /昨晚|昨天|昨儿|昨日|\byesterday\b|\blast\s+night\b/g, read: relative(-1) },
  // Weekends and weeks.
  {
    pattern: /工作日|(?<![下这本上个])(?:周一到周五|星期一到星期五|礼拜一到礼拜五)|\bweekdays?\b|\bmonday\s+to\s+friday\b/g,
    read: () => ({ type: 'workdays' }),
  },
  {
    pattern: /(下下|下个?|这个?|本|上个?)?(?:周末|礼拜末)|\b(next|this|last)?\s*weekend\b/g,
    read: (m, { today }) => {
      const weeks = weeksOf(m[1] ?? m[2]) ?? 0;
      const saturday = shiftDays(mondayOf(today, weeks), 5);
      const sunday = shiftDays(saturday, 1);
      if (sunday < today) return day(saturday, sunday, { past: true });
      return day(saturday < today ? today : saturday, sunday);
    },
  },
  {
    pattern: /(下下|下个?|这个?|本|上个?)?(?:周|星期|礼拜|週)([一二三四五六日天七1-7])/g,
    read: (m, { today }) => weekdayMention(today, WEEKDAY_NAMES[m[2]] ?? Number(m[2]), weeksOf(m[1])),
  },
  {
    pattern: new RegExp(`\\b(?:(next|this|last)\\s+)?${EN_WEEKDAY}\\b`, 'g'),
    read: (m, { today }) => weekdayMention(today, enWeekday(m[2]), weeksOf(m[1])),
  },
  {
    pattern: /(下下|下个?|这个?|本|上个?)(?:周|星期|礼拜|週)|\b(next|this|last)\s+week\b/g,
    read: (m, { today }) => {
      const weeks = weeksOf(m[1] ?? m[2]) ?? 0;
      const monday = mondayOf(today, weeks);
      const sunday = shiftDays(monday, 6);
      if (weeks < 0) return day(monday, sunday, { past: true });
      return day(monday < today ? today : monday, sunday);
    },
  },
  {
    pattern: /下个?月|\bnext\s+month\b/g,
    read: (_, { today }) => {
      const first = shiftMonths(formatYmd({ ...parseYmd(today), d: 1 }), 1);
      return day(first, shiftDays(shiftMonths(first, 1), -1));
    },
  },
  // Times: 下午两点半, 10点, 10:30, 3pm, 十点一刻.
  {
    pattern: new RegExp(
      `(上午|早上|早晨|中午|下午|傍晚|晚上|夜里)?\\s*${NUM}\\s*(?:点|點|时)钟?(半|一刻|三刻|(\\d{1,2})分?|([一二三四五六七八九十]{1,3})分)?(之前|以前|前)?`,
      'g',
    ),
    read: (m) => {
      const hour = cnNumber(m[2]);
      if (hour === undefined || hour > 24) return undefined;
      const minute = m[3] === '半' ? 30 : m[3] === '一刻' ? 15 : m[3] === '三刻' ? 45 : Number(m[4] ?? cnNumber(m[5] ?? '') ?? 0);
      return { type: 'hour', hour, minute: minute < 60 ? minute : 0, part: partOf(m[1]), before: Boolean(m[6]) };
    },
  },
  {
    pattern:
      /(?<![\d.])(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|o'?clock)(?![a-z])|(?<![\d.])(\d{1,2}):(\d{2})(?!\d)|\bat\s+(\d{1,2})\b/g,
    read: (m) => {
      const hour = Number(m[1] ?? m[4] ?? m[6]);
      const minute = Number(m[2] ?? m[5] ?? 0);
      if (hour > 24 || minute >= 60) return undefined;
      const suffix = m[3]?.replace(/\./g, '');
      return { type: 'hour', hour, minute, part: suffix === 'am' ? 'am' : suffix === 'pm' ? 'pm' : undefined };
    },
  },
  // Parts of the day.
  { pattern: /上午|早上|早晨|清早|一早|上半天|\bmornings?\b/g, read: () => ({ type: 'part', part: 'am' }) },
  { pattern: /中午(?:以|之)?前|午饭前|\bbefore\s+(?:noon|lunch)\b/g, read: () => ({ type: 'part', part: 'am' }) },
  { pattern: /中午(?:以|之)?后|午饭后|午休后|\bafter\s+lunch\b/g, read: () => ({ type: 'part', part: 'pm' }) },
  { pattern: /中午|正午|午饭时间?|\bnoon\b|\bmidday\b|\blunch\s*time\b/g, read: () => ({ type: 'part', part: 'noon' }) },
  { pattern: /下午|午后|下半天|\bafternoons?\b/g, read: () => ({ type: 'part', part: 'pm' }) },
  {
    pattern: /晚上|傍晚|晚间|夜里|夜间|半夜|下班(?:以|之)?后|下班了|\bevenings?\b|\bnights?\b|\bafter\s+work\b/g,
    read: () => ({ type: 'part', part: 'evening' }),
  },
  // How soon, or whenever.
  {
    pattern:
      /越快越好|越早越好|尽快|尽早|最快|最早|马上|立刻|立即|赶紧|赶快|快点|快一点|早点|早一点|着急|很急|急用|\basap\b|as\s+soon\s+as\s+(?:possible|you\s+can)|\bearliest\b|\bsoonest\b|\bright\s+away\b|\burgent(?:ly)?\b/g,
    read: () => ({ type: 'soonest' }),
  },
  {
    pattern:
      /随时|都行|都可以|都ok|都没问题|都方便|什么时候都|啥时候都|哪天都|任何时[间候]|时间不限|无所谓|你们(?:定|安排)|听你们的|看你们|\bany\s*time\b|\bwhenever\b|\bany\s+day\b|\bflexible\b|doesn'?t\s+matter/g,
    read: () => ({ type: 'any' }),
  },
];

function partOf(word: string | undefined): Part | undefined {
  if (!word) return undefined;
  if (/上午|早/.test(word)) return 'am';
  if (word === '中午') return 'noon';
  if (word === '下午') return 'pm';
  return 'evening';
}

/** 24-hour clock from what was said: 下午3点 → 15, 晚上8点 → 20, 3点 alone → 15, 9点 alone → 9. */
export function clockHour(hour: number, part: Part | undefined): number {
  if (hour >= 13) return hour;
  switch (part) {
    case 'am':
      return hour;
    case 'noon':
      return hour <= 2 ? hour + 12 : hour;
    case 'pm':
    case 'evening':
      return hour < 12 ? hour + 12 : hour;
    default:
      // Nobody books an engineer for 3 at night: 1–7 alone are afternoon or evening.
      return hour >= 1 && hour <= 7 ? hour + 12 : hour;
  }
}

export function mentionsIn(text: string, context: Context): Mention[] {
  const taken = new Array<boolean>(text.length).fill(false);
  const found: Mention[] = [];
  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const at = match.index ?? 0;
      const end = at + match[0].length;
      if (match[0].trim() === '' || taken.slice(at, end).some(Boolean)) continue;
      const read = rule.read(match as RegExpExecArray, context);
      if (!read) continue;
      // 一点 alone is "a little" (快一点, 早一点): an hour only with a part of the day or 钟/半 to it.
      if (read.type === 'hour' && /^一点$/.test(match[0]) && !/^[钟半]/.test(text.slice(end))) continue;
      for (let i = at; i < end; i++) taken[i] = true;
      found.push({ ...read, at, end } as Mention);
    }
  }
  return found.sort((a, b) => a.at - b.at);
}
