import {
  cnNumber,
  daysInMonth,
  formatYmd,
  isoWeekday,
  parseYmd,
  shanghaiDate,
  shiftDays,
  shiftMonths,
  validYmd,
  type CalendarDate,
} from './calendarDates';

/*
 * When a customer wants the engineer to come, read from what they write ("电视突然黑屏了，明天下午能来修吗",
 * "下礼拜三上午", "Saturday morning", "越快越好"), in Asia/Shanghai, relative to the `now` the caller
 * passes. Only the wish is read here; which half-days are free is the desk's, and matchesWish lets a
 * dialog keep the free ones that fit.
 */

/** The desk's half-days (desk/halfDays.ts HalfDay), named here since knowledge/ never imports desk/. */
export type HalfDay = 'am' | 'pm';

/** One half-day of the calendar (desk/halfDays.ts HalfDaySlot has this shape). */
export interface HalfDaySlotLike {
  /** YYYY-MM-DD in Asia/Shanghai. */
  date: string;
  halfDay: HalfDay;
}

/**
 * Engineers' visit windows in minutes after midnight: the same as desk/halfDays.ts HALF_DAY_WINDOWS
 * (上午 9–12, 下午 13–18; a test keeps the two equal). An hour outside both is no half-day.
 */
export const VISIT_WINDOWS: Record<HalfDay, { start: number; end: number }> = {
  am: { start: 9 * 60, end: 12 * 60 },
  pm: { start: 13 * 60, end: 18 * 60 },
};

/** Times engineers do not visit: before 9 (早上七点), 中午 12–13, and evenings (晚上, 下班后, 6点以后). */
export type OutsideHours = 'early' | 'noon' | 'evening';

/**
 * What the customer asked for. Dates are YYYY-MM-DD in Asia/Shanghai; `hour`/`minute` (24 h) keep an
 * exact time for the ticket's note while `halfDay` is what the booking uses.
 */
export type VisitTimeWish =
  /** 越快越好, 尽快, 最早什么时候, asap: the earliest free half-day (of `halfDay` when also said: 尽快，下午最好). */
  | { kind: 'soonest'; halfDay?: HalfDay }
  /** 随时都行, 都可以, any time: every free half-day fits. */
  | { kind: 'any' }
  /** One day: 明天下午, 后天上午十点 (hour 10), 下周三, 12月5号下午, 今天能来吗, tomorrow afternoon. */
  | { kind: 'slot'; date: CalendarDate; halfDay?: HalfDay; hour?: number; minute?: number }
  /**
   * Several days, both ends included: 这周末, 下周, 下周一到周三都行, 明后天, 工作日 (today and the 13 days
   * after, Monday to Friday: isoWeekdays [1…5]).
   */
  | { kind: 'range'; from: CalendarDate; to: CalendarDate; halfDay?: HalfDay; isoWeekdays?: readonly number[] }
  /** A time of day without a day: 下午两点半 (hour 14, minute 30), 上午都行, in the morning. */
  | { kind: 'timeOfDay'; halfDay: HalfDay; hour?: number; minute?: number }
  /**
   * A time no half-day covers: 晚上, 下班后, 明天中午, 早上七点, tonight. No slot matches; the dialog says
   * when engineers come and offers the nearest half-days (of `date`, when a single day was named).
   */
  | { kind: 'outsideHours'; when: OutsideHours; date?: CalendarDate; hour?: number };

/**
 * Whether a free half-day fits the wish: 明天下午 fits tomorrow's pm only; 明天 both of tomorrow's;
 * a range each half-day of its days (and weekdays); soonest and any fit every slot (for soonest the
 * dialog offers the earliest); outsideHours none.
 *
 * @example matchesWish({ date: '2026-12-04', halfDay: 'pm' }, readVisitTime('明天下午', now)!) // true when now is 12月3日
 */
export function matchesWish(slot: HalfDaySlotLike, wish: VisitTimeWish): boolean {
  const halfDayFits = (halfDay?: HalfDay) => halfDay === undefined || halfDay === slot.halfDay;
  switch (wish.kind) {
    case 'soonest':
      return halfDayFits(wish.halfDay);
    case 'any':
      return true;
    case 'slot':
      return slot.date === wish.date && halfDayFits(wish.halfDay);
    case 'range':
      return (
        slot.date >= wish.from &&
        slot.date <= wish.to &&
        halfDayFits(wish.halfDay) &&
        (!wish.isoWeekdays || wish.isoWeekdays.includes(isoWeekday(slot.date)))
      );
    case 'timeOfDay':
      return halfDayFits(wish.halfDay);
    case 'outsideHours':
      return false;
  }
}

// --- what the text mentions ----------------------------------------------------------------------

/** A part of the day as customers name it; 'noon' and 'evening' lie outside the visit windows. */
type Part = HalfDay | 'noon' | 'evening';

interface Span {
  at: number;
  end: number;
}

interface DayMention extends Span {
  type: 'day';
  from: CalendarDate;
  to: CalendarDate;
  /** Already gone (昨天, 这周一 said on a Friday, 12月1号 said on the 3rd): what happened, not a wish. */
  past?: boolean;
  /** 明早, 今晚, tonight. */
  part?: Part;
  /** For a weekday: which day it is and whether its week was named (这周三, 下周三) or not (周三). */
  weekday?: { day: number; weekNamed: boolean };
}

type Mention =
  | DayMention
  | (Span & { type: 'part'; part: Part })
  | (Span & { type: 'hour'; hour: number; minute: number; part?: Part; before?: boolean })
  | (Span & { type: 'workdays' | 'soonest' | 'any' });

interface Context {
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
      `(?<![\\d月./路街弄巷道村区栋幢楼室号周期拜作假生节十一二三四五六七八九两-])${NUM}号(?![楼线门院口店室栋座机位房仓])|(?<![\\d月./路街弄巷道村区栋幢楼室-])(\\d{1,2})日`,
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
function clockHour(hour: number, part: Part | undefined): number {
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

function partAtMinute(minutes: number): Part | 'early' {
  for (const halfDay of ['am', 'pm'] as const) {
    const window = VISIT_WINDOWS[halfDay];
    if (minutes >= window.start && minutes < window.end) return halfDay;
  }
  if (minutes < VISIT_WINDOWS.am.start) return 'early';
  if (minutes < VISIT_WINDOWS.pm.start) return 'noon';
  return 'evening';
}

/** Said of a time that does not suit: 明天不行, 下午不在家, 周三没空, tomorrow doesn't work. */
const UNSUITED =
  /不行|没空|没时间|不在家|不在|不方便|不可以|不太行|去不了|来不了|有事|不得空|没人|\bcan'?t\b|\bcannot\b|\bbusy\b|doesn'?t\s+work|won'?t\s+work|\bno\s+good\b|\bnot\s+(?:good|ok|okay|possible|available|free)\b|\bi'?m\s+out\b/g;
/** Said right before a time that is refused: 除了明天, 不要周三, not tomorrow, except Monday. */
const REFUSED_BEFORE = /(?:除了|不要|别|不是|\bnot|\bexcept|\bbut\s+not)\s*$/;
/** What happened on a day, not when to come: 12月1号买的, 5号就坏了, bought on Dec 1, since Monday. */
const EVENT_AFTER =
  /^\s*(?:上午|下午|早上|晚上|中午)?(?:多|左右)?(?:就|已经|刚刚?|才|那天|那会儿?)?(?:买|购|下单|收到|到货|到手|入手|坏|开始|出现|发现|修过|来过|寄出|寄的|又|突然|一直|总是|老是|打过|联系过)/;
/** A time of day spoken of as when the fault shows: 每天晚上都会重启, 晚上看电视的时候黑屏. */
const HABIT_BEFORE = /(?:每天?|每个|一到|经常|总是|老是|有时候?)\s*$/;
const HABIT_AFTER = /^(?:(?![来修到])[^，,。!！?？]){0,6}的时候/;
/** Greetings are no time: 下午好, 早上好, good morning. */
const GREETING = /(?:上午|下午|晚上|早上|中午)好|早安|晚安|\bgood\s+(?:morning|afternoon|evening|night)\b/g;
const EVENT_BEFORE = /(?:上次|上回|那次|\bbought|\bpurchased|\bordered|\bsince|\bbroke|\bgot\s+it)\s*(?:[a-z]+\s+){0,2}$/;
/** Where one thing said ends. A dot between digits is a date (12.5), not an end. */
const CLAUSE_END = /[，,。!！?？;；\n]|\.(?!\d)/g;
/** Between two days, what makes them a range: 下周一到周三, 明天或者后天, Monday to Wednesday. */
const RANGE_JOIN = /^\s*(?:到|至|~|～|-|—|或者|或是|或|还是|和|跟|and|or|to|through|till|until|thru)\s*$/;

function mentionsIn(text: string, context: Context): Mention[] {
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

/** The mentions that do not stand for a wish: refused (明天不行), or what happened (5号就坏了). */
function unsuited(text: string, mentions: Mention[]): { dropped: Set<Mention>; refusedParts: Map<Mention, Part> } {
  const dropped = new Set<Mention>();
  const refusedParts = new Map<Mention, Part>();
  for (const mention of mentions) {
    if (mention.type === 'part' && (HABIT_BEFORE.test(text.slice(0, mention.at)) || HABIT_AFTER.test(text.slice(mention.end)))) {
      dropped.add(mention);
    }
    if (mention.type !== 'day' && mention.type !== 'hour' && mention.type !== 'part') continue;
    if (EVENT_AFTER.test(text.slice(mention.end)) || EVENT_BEFORE.test(text.slice(Math.max(0, mention.at - 24), mention.at))) {
      dropped.add(mention);
    }
  }
  for (const mention of mentions) {
    if (REFUSED_BEFORE.test(text.slice(Math.max(0, mention.at - 8), mention.at))) dropped.add(mention);
  }
  // A refusal takes back the most precise thing said before it in its clause: 明天下午不在家 the
  // afternoon (the morning may still do), 明天不行 the day.
  const clauseStarts = [0, ...[...text.matchAll(CLAUSE_END)].map((m) => (m.index ?? 0) + 1)];
  let lastRefusal = -1;
  for (const refusal of text.matchAll(UNSUITED)) {
    const at = refusal.index ?? 0;
    const clauseStart = Math.max(lastRefusal, ...clauseStarts.filter((start) => start <= at));
    lastRefusal = at + refusal[0].length;
    const before = mentions.filter((m) => m.at >= clauseStart && m.end <= at && !dropped.has(m));
    const precise = before.filter((m) => m.type === 'part' || m.type === 'hour');
    if (precise.length) {
      for (const m of precise) {
        dropped.add(m);
        const part = m.type === 'part' ? m.part : m.type === 'hour' ? m.part : undefined;
        if (part) refusedParts.set(m, part);
      }
    } else {
      for (const m of before.filter((m) => m.type === 'day')) dropped.add(m);
    }
  }
  return { dropped, refusedParts };
}

/** 下周一到周三: the second weekday is in the first one's week (and after it). */
function joinRange(first: DayMention, second: DayMention): DayMention {
  let to = second.to;
  if (second.weekday && !second.weekday.weekNamed && first.weekday) {
    to = shiftDays(first.from, (second.weekday.day - first.weekday.day + 7) % 7);
  }
  return { ...first, to: to < first.from ? first.from : to, end: second.end, weekday: undefined };
}

/**
 * When the customer wants the visit, read from a message in Chinese or English; undefined when it
 * names no time (or only past ones: 昨天, 去年买的). Days resolve in Asia/Shanghai relative to `now`:
 * 周三 is the next Wednesday (today included), 下周三 next week's, 5号 this month's or, once gone,
 * next month's; a day refused (明天不行，后天可以) or spoken of as past (12月1号就坏了) is passed over.
 *
 * @example readVisitTime('电视突然黑屏了，明天下午能来修吗', now) // { kind: 'slot', date: <tomorrow>, halfDay: 'pm' }
 * @example readVisitTime('下周一到周三都行', now) // { kind: 'range', from: <next Monday>, to: <next Wednesday> }
 * @example readVisitTime('晚上下班后', now) // { kind: 'outsideHours', when: 'evening' }
 * @example readVisitTime('越快越好', now) // { kind: 'soonest' }
 */
export function readVisitTime(raw: string, now: Date): VisitTimeWish | undefined {
  // 能不能, 可不可以, 方不方便 ask; their 不 refuses nothing.
  const text = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/([能行可方来有在是好要])[不没]\1/g, (m) => '吗'.padEnd(m.length, ' '))
    .replace(GREETING, (m) => ' '.repeat(m.length));
  const today = shanghaiDate(now);
  const mentions = mentionsIn(text, { today });
  const { dropped, refusedParts } = unsuited(text, mentions);

  let days: DayMention | undefined;
  let previousDay: DayMention | undefined;
  let parts = new Set<Part>();
  let refused = new Set<Part>();
  let hour: { hour: number; minute: number; part?: Part; before?: boolean } | undefined;
  let workdays = false;
  let soonest = false;
  let any = false;
  for (const mention of mentions) {
    const part = refusedParts.get(mention);
    if (part) refused.add(part);
    if (dropped.has(mention)) continue;
    switch (mention.type) {
      case 'day':
        if (days && previousDay && RANGE_JOIN.test(text.slice(previousDay.end, mention.at))) {
          days = joinRange(days, mention);
        } else {
          // Another day said later replaces the first (明天下午不行，后天上午吧): what it had goes with it.
          if (days) {
            parts = new Set();
            refused = new Set();
            hour = undefined;
          }
          days = mention;
        }
        if (mention.part) parts.add(mention.part);
        previousDay = mention;
        break;
      case 'part':
        parts.add(mention.part);
        break;
      case 'hour':
        // 上午10点到12点之间: the first hour is when to come.
        hour ??= mention;
        break;
      case 'workdays':
        workdays = true;
        break;
      case 'soonest':
        soonest = true;
        break;
      case 'any':
        any = true;
        break;
    }
    if (mention.type !== 'day') previousDay = undefined;
  }
  if (days?.past) {
    days = undefined;
    if (!soonest && !any) return undefined;
    parts = new Set();
    hour = undefined;
  }

  // The time of day: an hour says it all; otherwise the half-day named, or the one not refused.
  let halfDay: HalfDay | undefined;
  let outside: OutsideHours | undefined;
  let clock: { hour: number; minute: number } | undefined;
  if (hour) {
    const h = clockHour(hour.hour, hour.part ?? [...parts][0]);
    clock = { hour: h, minute: hour.minute };
    const at = partAtMinute(h * 60 + hour.minute - (hour.before ? 1 : 0));
    if (at === 'am' || at === 'pm') halfDay = at;
    else outside = at;
  } else {
    const inHours = (['am', 'pm'] as const).filter((p) => parts.has(p));
    if (inHours.length === 1) halfDay = inHours[0];
    else if (inHours.length === 0 && parts.has('noon')) outside = 'noon';
    else if (inHours.length === 0 && parts.has('evening')) outside = 'evening';
    else if (inHours.length === 0) {
      const left = (['am', 'pm'] as const).filter((p) => !refused.has(p));
      if (left.length === 1 && refused.size) halfDay = left[0];
    }
  }

  const single = days && days.from === days.to && !workdays ? days.from : undefined;
  if (outside) return { kind: 'outsideHours', when: outside, ...(single ? { date: single } : {}), ...(clock ? { hour: clock.hour } : {}) };
  const time = { ...(halfDay ? { halfDay } : {}), ...(clock ? { hour: clock.hour, minute: clock.minute } : {}) };
  if (single) return { kind: 'slot', date: single, ...time };
  if (days || workdays) {
    const from = days?.from ?? today;
    const to = days?.to ?? shiftDays(today, 13);
    return {
      kind: 'range',
      from,
      to,
      ...(halfDay ? { halfDay } : {}),
      ...(workdays ? { isoWeekdays: [1, 2, 3, 4, 5] } : {}),
    };
  }
  if (soonest) return { kind: 'soonest', ...(halfDay ? { halfDay } : {}) };
  if (halfDay) return { kind: 'timeOfDay', halfDay, ...(clock ? { hour: clock.hour, minute: clock.minute } : {}) };
  if (any) return { kind: 'any' };
  return undefined;
}
