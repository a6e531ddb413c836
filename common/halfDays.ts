/** The two visit windows of a day (上午 / 下午): what a customer books and an engineer's capacity counts. */
export type HalfDay = 'am' | 'pm';
export const HALF_DAYS: readonly HalfDay[] = ['am', 'pm'];

/** Minutes after midnight, in Asia/Shanghai. */
export const HALF_DAY_WINDOWS: Record<HalfDay, { start: number; end: number; zh: string; en: string }> = {
  am: { start: 9 * 60, end: 12 * 60, zh: '上午', en: 'morning' },
  pm: { start: 13 * 60, end: 18 * 60, zh: '下午', en: 'afternoon' },
};

/** One half-day of the calendar, in Asia/Shanghai. */
export interface HalfDaySlot {
  /** YYYY-MM-DD. */
  date: string;
  halfDay: HalfDay;
}

// China has kept +08:00 all year since 1991, so a Shanghai wall-clock time is one fixed offset.
const SHANGHAI_OFFSET = '+08:00';

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The half-day's window as instants: what the ticket's appointment records. */
export function windowOf(slot: HalfDaySlot): { start: Date; end: Date } {
  const window = HALF_DAY_WINDOWS[slot.halfDay];
  return {
    start: new Date(`${slot.date}T${hhmm(window.start)}:00${SHANGHAI_OFFSET}`),
    end: new Date(`${slot.date}T${hhmm(window.end)}:00${SHANGHAI_OFFSET}`),
  };
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
export function isoWeekdayOf(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The half-days from `now`'s day on, `days` calendar days in Asia/Shanghai, those already begun left out. */
export function halfDaysAhead(now: Date, days: number): HalfDaySlot[] {
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const out: HalfDaySlot[] = [];
  for (let i = 0; i < days; i++) {
    const date = new Date(Date.parse(`${today}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    for (const halfDay of HALF_DAYS) {
      const slot = { date, halfDay };
      if (windowOf(slot).start.getTime() > now.getTime()) out.push(slot);
    }
  }
  return out;
}
