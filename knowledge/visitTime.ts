import { isoWeekday, shanghaiDate, shiftDays, type CalendarDate } from './calendarDates';
import { HALF_DAY_WINDOWS, type HalfDay, type HalfDaySlot } from '../common/halfDays';
import { clockHour, mentionsIn, type DayMention, type Mention, type Part } from './visitTimeWords';

/*
 * When a customer wants the engineer to come, read from what they write ("电视突然黑屏了，明天下午能来修吗",
 * "下礼拜三上午", "Saturday morning", "越快越好"), in Asia/Shanghai, relative to the `now` the caller
 * passes. Only the wish is read here; which half-days are free is the desk's, and matchesWish lets a
 * dialog keep the free ones that fit.
 */

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
export function matchesWish(slot: HalfDaySlot, wish: VisitTimeWish): boolean {
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

function partAtMinute(minutes: number): Part | 'early' {
  for (const halfDay of ['am', 'pm'] as const) {
    const window = HALF_DAY_WINDOWS[halfDay];
    if (minutes >= window.start && minutes < window.end) return halfDay;
  }
  if (minutes < HALF_DAY_WINDOWS.am.start) return 'early';
  if (minutes < HALF_DAY_WINDOWS.pm.start) return 'noon';
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
/** Between two days, what makes them a range: 下周一到周三, Monday to Wednesday. */
const THROUGH = /^\s*(?:到|至|~|～|-|—|to|through|till|until|thru)\s*$/;
/** Between two days, what makes them a choice of either: 周六或者周日, 周一、周三, 周六周日都行, Monday or Tuesday. */
const EITHER = /^\s*(?:或者|或是|或|还是|和|跟|、|\/|and|or)?\s*$/;

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

/**
 * 下周一到周三 (every day between) or 周一或者周三 (`either`: those days only, kept as their weekdays
 * while the span is under a week). The second weekday is in the first one's week, and after it.
 */
function joinRange(first: DayMention, second: DayMention, either: boolean): DayMention {
  let to = second.to;
  if (second.weekday && !second.weekday.weekNamed && first.weekday) {
    to = shiftDays(first.from, (second.weekday.day - first.weekday.day + 7) % 7);
  }
  to = to < first.from ? first.from : to;
  const named = either
    ? [...(first.only ?? daysFrom(first.from, first.to)), ...daysFrom(to === second.to ? second.from : to, to)]
    : undefined;
  return { ...first, to, end: second.end, weekday: undefined, only: named };
}

function daysFrom(from: CalendarDate, to: CalendarDate): CalendarDate[] {
  const out: CalendarDate[] = [];
  for (let date = from; date <= to && out.length < 31; date = shiftDays(date, 1)) out.push(date);
  return out;
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
      case 'day': {
        const gap = previousDay ? text.slice(previousDay.end, mention.at) : undefined;
        if (days && gap !== undefined && (THROUGH.test(gap) || EITHER.test(gap))) {
          days = joinRange(days, mention, !THROUGH.test(gap));
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
      }
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
      ...(weekdaysOf(days, workdays) ? { isoWeekdays: weekdaysOf(days, workdays) } : {}),
    };
  }
  if (soonest) return { kind: 'soonest', ...(halfDay ? { halfDay } : {}) };
  if (halfDay) return { kind: 'timeOfDay', halfDay, ...(clock ? { hour: clock.hour, minute: clock.minute } : {}) };
  if (any) return { kind: 'any' };
  return undefined;
}

/** The weekdays a range is kept to: Monday to Friday for 工作日, those named for 周一或者周三 (within a week). */
function weekdaysOf(days: DayMention | undefined, workdays: boolean): number[] | undefined {
  const span = days ? daysFrom(days.from, days.to).length : 0;
  // Days named one by one that fill their span (明天或者后天) or span more than a week keep no filter.
  const named = days?.only && new Set(days.only).size < span && span <= 7 ? days.only.map(isoWeekday) : undefined;
  const chosen = workdays ? (named ?? [1, 2, 3, 4, 5]).filter((day) => day <= 5) : named;
  return chosen ? [...new Set(chosen)].sort((a, b) => a - b) : undefined;
}
