/**
 * What customers read in the messages the desk sends on its own (visit reminders, 保养到期通知), and
 * the lines agents read on the call list when one could not be delivered. Simplified Chinese first,
 * English for customers who write English. Kept in desk/ because the sender is desk/visitReminders.ts,
 * which may not import dialogs/.
 */
import { HALF_DAY_WINDOWS, type HalfDay } from '../common/halfDays';

export type ReminderLocale = 'zh' | 'en';

/** What a visit reminder says: the booked half-day, who comes, whom to call. */
export interface VisitReminderFacts {
  ticketId: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  halfDay: HalfDay;
  engineerName: string;
  servicePointPhone: string;
}

export interface ContractNoticeFacts {
  /** The product's name as the catalogue has it (星耀 X20 Pro). */
  product: string;
  serial: string;
  /** The contract's last day, YYYY-MM-DD. */
  endsOn: string;
}

export interface ReminderTexts {
  /** The evening before (18:00): changes in chat are still possible. */
  visitDayBefore(v: VisitReminderFacts): string;
  /** Two hours before the window opens: from now on a change goes through a person. */
  visitSoon(v: VisitReminderFacts): string;
  contractEnding(c: ContractNoticeFacts): string;
}

const hhmm = (minutes: number): string => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
const windowZh = (halfDay: HalfDay): string =>
  `${HALF_DAY_WINDOWS[halfDay].zh} ${hhmm(HALF_DAY_WINDOWS[halfDay].start)}–${hhmm(HALF_DAY_WINDOWS[halfDay].end)}`;
const windowEn = (halfDay: HalfDay): string =>
  `${HALF_DAY_WINDOWS[halfDay].en} (${hhmm(HALF_DAY_WINDOWS[halfDay].start)}–${hhmm(HALF_DAY_WINDOWS[halfDay].end)})`;
const monthDayZh = (date: string): string => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthDayEn = (date: string): string => `${MONTHS_EN[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(8, 10))}`;
/** The serial's end is enough for the customer to recognise the unit; the whole one is on the ticket. */
const serialTail = (serial: string): string => serial.slice(-4);

const zh: ReminderTexts = {
  visitDayBefore: (v) =>
    `【上门提醒】明天（${monthDayZh(v.date)}）${windowZh(v.halfDay)}，工程师${v.engineerName}将上门维修（工单 ${v.ticketId}）。` +
    `需要改时间请回复“改约”，不需要了请回复“取消预约”；也可致电服务网点 ${v.servicePointPhone}。`,
  visitSoon: (v) =>
    `【上门提醒】工程师${v.engineerName}今天${windowZh(v.halfDay)} 上门（工单 ${v.ticketId}），请保持电话畅通。` +
    `如需改约或取消，请致电服务网点 ${v.servicePointPhone}。`,
  contractEnding: (c) =>
    `【保养到期通知】您的${c.product}（序列号尾号 ${serialTail(c.serial)}）的保养服务合同将于${monthDayZh(c.endsOn)}到期。` +
    `到期前想安排一次保养或检修，回复“预约”即可。`,
};

const en: ReminderTexts = {
  visitDayBefore: (v) =>
    `Reminder: tomorrow, ${monthDayEn(v.date)}, in the ${windowEn(v.halfDay)}, our engineer ${v.engineerName} will visit for your repair (ticket ${v.ticketId}). ` +
    `To change the time reply "reschedule"; to call it off reply "cancel appointment"; or phone the service point on ${v.servicePointPhone}.`,
  visitSoon: (v) =>
    `Reminder: our engineer ${v.engineerName} will visit today in the ${windowEn(v.halfDay)} (ticket ${v.ticketId}); please keep your phone at hand. ` +
    `To change or cancel, please phone the service point on ${v.servicePointPhone}.`,
  contractEnding: (c) =>
    `Maintenance contract notice: the contract for your ${c.product} (serial ending ${serialTail(c.serial)}) ends on ${monthDayEn(c.endsOn)}. ` +
    `To book a maintenance check or repair before then, just reply "book a visit".`,
};

export function reminderTexts(locale: ReminderLocale): ReminderTexts {
  return locale === 'en' ? en : zh;
}

/** The call-list note an agent reads: what the customer should have been told, and why they were not. */
export function undeliveredNote(what: 'visitDayBefore' | 'visitSoon' | 'contractEnding', reason: string, text: string): string {
  const label = { visitDayBefore: '上门前一天提醒', visitSoon: '上门前两小时提醒', contractEnding: '保养到期通知' }[what];
  return `${label}未能送达（${reason}），请电话告知：${text}`;
}
