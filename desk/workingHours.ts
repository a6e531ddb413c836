/**
 * Working hours of the service desk, and the clock that counts only them: the dispatch deadline
 * (市区六小时、郊区七小时派工制) and the complaint clocks run in working hours, not wall-clock hours.
 */

export interface WorkingHours {
  /** IANA zone the opening hours are written in; the desk's own (Asia/Shanghai) by default. */
  timeZone: string;
  /** Opening time, 'HH:mm'. */
  start: string;
  /** Closing time, 'HH:mm', later than start ('24:00' allowed); no window crosses midnight. */
  end: string;
  /** ISO weekdays the desk works: 1 = Monday … 7 = Sunday. */
  days: number[];
}

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  timeZone: 'Asia/Shanghai',
  start: '09:00',
  end: '18:00',
  days: [1, 2, 3, 4, 5, 6, 7],
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Reads an env value such as `"09:00-18:00 1-7"`, `"08:30-17:30 1-5"` or `"09:00-18:00 1-5,7"`,
 * optionally followed by an IANA zone (`"09:00-18:00 1-5 Asia/Shanghai"`).
 */
export function parseWorkingHours(spec: string, defaultTimeZone = DEFAULT_WORKING_HOURS.timeZone): WorkingHours {
  const bad = (why: string): Error =>
    new Error(`Invalid working hours "${spec}": ${why} (expected e.g. "09:00-18:00 1-7" or "08:30-17:30 1-5")`);
  const parts = spec.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 2 || parts.length > 3) throw bad('give a time range and the weekdays');
  const [range, dayList, zone] = parts;
  const times = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(range);
  if (!times) throw bad(`"${range}" is not a time range HH:mm-HH:mm`);
  const [, rawStart, rawEnd] = times;
  const start = minutesOf(rawStart);
  const end = minutesOf(rawEnd);
  if (start === undefined) throw bad(`"${rawStart}" is not a time of day`);
  if (end === undefined) throw bad(`"${rawEnd}" is not a time of day`);
  if (end <= start) throw bad('closing time must be later than opening time on the same day');

  const days = new Set<number>();
  for (const item of dayList.split(',')) {
    const m = /^([1-7])(?:-([1-7]))?$/.exec(item);
    if (!m) throw bad(`"${item}" is not an ISO weekday (1 = Monday … 7 = Sunday) or a range of them`);
    const [, from, to] = m;
    const first = Number(from);
    const last = to === undefined ? first : Number(to);
    if (last < first) throw bad(`weekday range "${item}" runs backwards`);
    for (let d = first; d <= last; d++) days.add(d);
  }

  const timeZone = zone ?? defaultTimeZone;
  if (!isTimeZone(timeZone)) throw bad(`"${timeZone}" is not a known time zone`);
  return { timeZone, start: hhmm(start), end: hhmm(end), days: [...days].sort((a, b) => a - b) };
}

/**
 * The moment `hours` working hours after `from`. Time outside the opening window or on a day off
 * does not count: a report at night starts counting at the next opening.
 */
export function addWorkingHours(from: Date, hours: number, wh: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`Working hours to add must be a non-negative number, got ${hours}`);
  const open = minutesOf(wh.start);
  const close = minutesOf(wh.end);
  if (open === undefined || close === undefined || close <= open) {
    throw new Error(`Invalid working hours ${wh.start}-${wh.end}`);
  }
  const workDays = new Set(wh.days);
  if (![...workDays].some((d) => d >= 1 && d <= 7)) throw new Error('Working hours name no working day');

  let remaining = hours * HOUR_MS;
  let cursor = from.getTime();
  let day = calendarDayIn(from, wh.timeZone);
  // Even a year of working days is far more than any clock here needs; the cap only stops a runaway.
  for (let guard = 0; guard < 3660; guard++) {
    if (workDays.has(isoWeekday(day))) {
      const dayOpen = instantOf(day, open, wh.timeZone);
      const dayClose = instantOf(day, close, wh.timeZone);
      if (cursor < dayOpen) cursor = dayOpen;
      if (cursor < dayClose) {
        const available = dayClose - cursor;
        if (remaining <= available) return new Date(cursor + remaining);
        remaining -= available;
        cursor = dayClose;
      }
    }
    day = nextDay(day);
  }
  throw new Error(`Cannot add ${hours} working hours: too far ahead`);
}

/** True when `at` falls inside an opening window. */
export function isWorkingTime(at: Date, wh: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const day = calendarDayIn(at, wh.timeZone);
  if (!wh.days.includes(isoWeekday(day))) return false;
  const open = minutesOf(wh.start);
  const close = minutesOf(wh.end);
  if (open === undefined || close === undefined) return false;
  const t = at.getTime();
  return t >= instantOf(day, open, wh.timeZone) && t < instantOf(day, close, wh.timeZone);
}

/**
 * The closing time of the window `at` falls in, or of the next window when `at` is outside one:
 * "the same working day" as a promise (a call-back asked for at night is due by the next close).
 */
export function closingTimeAfter(at: Date, wh: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  const close = minutesOf(wh.end);
  if (close === undefined || minutesOf(wh.start) === undefined) throw new Error(`Invalid working hours ${wh.start}-${wh.end}`);
  let day = calendarDayIn(at, wh.timeZone);
  for (let guard = 0; guard < 14; guard++) {
    if (wh.days.includes(isoWeekday(day))) {
      const dayClose = instantOf(day, close, wh.timeZone);
      if (dayClose > at.getTime()) return new Date(dayClose);
    }
    day = nextDay(day);
  }
  throw new Error('Working hours name no working day');
}

/** A calendar day; month is 1..12. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** The calendar day `at` falls on in `timeZone`. */
export function calendarDayIn(at: Date, timeZone: string): CalendarDay {
  const p = wallClock(at, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

function minutesOf(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock extends CalendarDay {
  hour: number;
  minute: number;
  second: number;
}

function wallClock(at: Date, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** How far the zone's wall clock is ahead of UTC at `utcMs`. */
function offsetAt(utcMs: number, timeZone: string): number {
  const w = wallClock(new Date(utcMs), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows `minutes` past midnight of `day`. */
function instantOf(day: CalendarDay, minutes: number, timeZone: string): number {
  const wall = Date.UTC(day.year, day.month - 1, day.day) + minutes * MINUTE_MS;
  // Two passes settle the offset even when the guess lands on the other side of a DST change.
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  return guess;
}

function isoWeekday(day: CalendarDay): number {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

function nextDay(day: CalendarDay): CalendarDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
