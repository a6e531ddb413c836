/** The two visit windows of a day (上午 / 下午): what a customer books and an engineer's capacity counts. */
export type HalfDay = 'am' | 'pm';
export const HALF_DAYS: readonly HalfDay[] = ['am', 'pm'];

/** Minutes after midnight, in Asia/Shanghai. */
export const HALF_DAY_WINDOWS: Record<HalfDay, { start: number; end: number; zh: string; en: string }> = {
  am: { start: 9 * 60, end: 12 * 60, zh: '上午', en: 'morning' },
  pm: { start: 13 * 60, end: 18 * 60, zh: '下午', en: 'afternoon' },
};
