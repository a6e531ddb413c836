import type { Locale } from '../knowledge';
import type { ServiceMode, TicketStatus } from '../desk/model';

/** The words of 工单进度: finding a ticket, its status and what happens next by when; one catalogue per language. */
export interface TicketTexts {
  ticketStatusNames: Record<TicketStatus, string>;
  ticketAskId: string;
  ticketBadId: string;
  ticketAskPhone4: string;
  ticketBadPhone4: string;
  ticketMismatch: string;
  /** The number is forgotten: the phone given at the 报修 finds the tickets instead. */
  ticketAskPhoneLookup: string;
  /** Asked the second time: the ticket number, or the phone instead. */
  ticketAskIdOrPhone: string;
  ticketNoneForPhone: string;
  ticketsForPhone: (count: number, shown: number) => string;
  ticketSlowDown: (minutes: number) => string;
  /** The miss that paused the ticket: said instead of ticketMismatch. */
  ticketMismatchNowLocked: (minutes: number) => string;
  /** The ticket's lookup is paused (too many wrong digits, from anyone): even the right ones wait. */
  ticketLocked: (minutes: number) => string;
  ticketStatus: (id: string, status: string, deadline: string) => string;
  ticketHistoryLine: (when: string, what: string) => string;
  ticketCreatedEvent: string;

  // ── 工单进度: what happens next and by when (issue 12, item 6). Times come formatted. ──
  /** On-site, before the visit: the dispatch deadline. */
  ticketVisitBy: (when: string) => string;
  ticketVisitLate: (when: string) => string;
  /** A booked visit (or carry-in slot, or pick-up) in `window`. */
  ticketAppointment: Record<ServiceMode, (window: string) => string>;
  ticketAppointmentLate: (window: string) => string;
  /** Carry-in and mail-in, before the repair: the desk gets in touch by the deadline. */
  ticketContactBy: Record<'carryIn' | 'mailIn', (when: string) => string>;
  ticketContactLate: (when: string) => string;
  ticketRepairing: Record<ServiceMode, string>;
  ticketCompleted: Record<ServiceMode, (when: string) => string>;
  ticketClosed: (when: string, repairedPartDays?: number) => string;
  ticketCancelled: (when: string) => string;
  ticketCallbackBy: (id: string, when: string) => string;
  ticketCallbackLate: (id: string) => string;
  /** A time window on one day: start (with its date) and end (time of day only). */
  ticketWindow: (start: string, endTime: string) => string;
}

const zhCN: TicketTexts = {
  ticketStatusNames: {
    new: '已受理，等待确认',
    accepted: '已确认，正在安排工程师',
    dispatched: '已派工，工程师将与您联系',
    inRepair: '维修中',
    completed: '已修好',
    closed: '已完成',
    cancelled: '已取消',
  },
  ticketAskId: '请发一下工单号（例如 S261122-0042）。',
  ticketBadId: '没能识别工单号，工单号的格式类似 S261122-0042，请再发一次。',
  ticketAskPhone4: '为了保护您的信息，请提供工单上联系电话的后四位。',
  ticketBadPhone4: '请发4位数字，即工单上联系电话的最后四位。',
  ticketMismatch: '工单号和电话后四位对不上，请核对后重新查询。',
  ticketAskPhoneLookup: '没关系，请发一下报修时留的手机号（11位），我帮您查。',
  ticketAskIdOrPhone: '请发工单号（例如 S261122-0042）；不记得的话，发报修时留的手机号也可以。',
  ticketNoneForPhone: '这个手机号下没有查到工单。请核对是不是报修时留的号码，或发工单号查询；也可以回复“转人工”。',
  ticketsForPhone: (count, shown) =>
    count > shown ? `这个手机号下有 ${count} 张工单，最近的 ${shown} 张：` : `这个手机号下有 ${count} 张工单：`,
  ticketSlowDown: (minutes) => `查询次数太多了，为了保护客户信息，请 ${minutes} 分钟后再试，或回复“转人工”。`,
  ticketMismatchNowLocked: (minutes) =>
    `工单号和电话后四位对不上。为了保护客户信息，这张工单的自助查询暂停 ${minutes} 分钟。如需马上了解进度，请回复“转人工”，由客服为您查询。`,
  ticketLocked: (minutes) =>
    `为了保护客户信息，这张工单的自助查询已暂停，请 ${minutes} 分钟后再试。如需马上了解进度，请回复“转人工”，由客服为您查询。`,
  ticketStatus: (id, status, deadline) => `工单 ${id}：${status}。${deadline}`,
  ticketHistoryLine: (when, what) => `· ${when} ${what}`,
  ticketCreatedEvent: '报修已受理',

  // ── 工单进度: what happens next and by when (issue 12, item 6) ──
  ticketVisitBy: (when) => `工程师会在 ${when} 前上门，出发前会先电话联系您。`,
  ticketVisitLate: (when) =>
    `原定 ${when} 前上门，已超过承诺时间，非常抱歉！我们已为您催办，会优先安排工程师；如需马上联系客服，请回复“转人工”。`,
  ticketAppointment: {
    onsite: (window) => `工程师会在您预约的 ${window} 上门，出发前会先电话联系您。`,
    carryIn: (window) => `您预约的送修时间是 ${window}，请带上设备和购买凭证到服务网点。`,
    mailIn: (window) => `快递员会在您预约的 ${window} 上门取件。`,
  },
  ticketAppointmentLate: (window) =>
    `您预约的 ${window} 已经过了，让您久等了，非常抱歉！我们已为您催办，会优先处理；如需马上联系客服，请回复“转人工”。`,
  ticketContactBy: {
    carryIn: (when) => `工程师会在 ${when} 前联系您，约好送修的网点和时间。`,
    mailIn: (when) => `工程师会在 ${when} 前联系您，告诉您寄修地址和包装方法。`,
  },
  ticketContactLate: (when) =>
    `原定 ${when} 前联系您，已超过承诺时间，非常抱歉！我们已为您催办，会优先处理；如需马上联系客服，请回复“转人工”。`,
  ticketRepairing: {
    onsite: '工程师正在为您维修；如需更换配件，会先和您确认。',
    carryIn: '设备正在维修，修好后会电话通知您到网点取机。',
    mailIn: '设备正在维修，修好后会寄回给您，并告诉您快递单号。',
  },
  ticketCompleted: {
    onsite: (when) => `维修完成于 ${when}。接下来我们会请您对这次服务做个评价，有问题随时找我。`,
    carryIn: (when) => `维修完成于 ${when}，请凭工单号到服务网点取机。`,
    mailIn: (when) => `维修完成于 ${when}，我们会尽快寄回，发货后把快递单号告诉您。`,
  },
  ticketClosed: (when, days) => `服务已于 ${when} 结束。${days ? `维修过的部件另有 ${days} 天保修，` : ''}再有问题随时找我。`,
  ticketCancelled: (when) => `工单已于 ${when} 取消。如还需要维修，回复“报修”即可重新提交。`,
  ticketCallbackBy: (id, when) => `您登记的回电（编号 ${id}）：客服会在 ${when} 前给您打电话。`,
  ticketCallbackLate: (id) => `您登记的回电（编号 ${id}）还没打给您，非常抱歉！我们已催办，客服会尽快给您打电话。`,
  ticketWindow: (start, endTime) => `${start}–${endTime}`,
};

const en: TicketTexts = {
  ticketStatusNames: {
    new: 'received, awaiting confirmation',
    accepted: 'confirmed, assigning an engineer',
    dispatched: 'dispatched, the engineer will contact you',
    inRepair: 'being repaired',
    completed: 'repaired',
    closed: 'closed',
    cancelled: 'cancelled',
  },
  ticketAskId: 'Please send the ticket number (e.g. S261122-0042).',
  ticketBadId: "I couldn't read a ticket number. It looks like S261122-0042; please send it again.",
  ticketAskPhone4: 'To protect your data, please give the last four digits of the phone number on the ticket.',
  ticketBadPhone4: 'Please send 4 digits: the last four of the phone number on the ticket.',
  ticketMismatch: "The ticket number and the phone digits don't match. Please check and try again.",
  ticketAskPhoneLookup: "No problem. Please send the mobile number you gave when reporting the fault, and I'll look it up.",
  ticketAskIdOrPhone:
    "Please send the ticket number (e.g. S261122-0042), or, if you don't have it, the mobile number you gave when reporting the fault.",
  ticketNoneForPhone:
    'I found no ticket for this mobile number. Please check it is the one you gave when reporting, or send the ticket number; you can also say "agent".',
  ticketsForPhone: (count, shown) =>
    count > shown
      ? `This number has ${count} tickets; the latest ${shown}:`
      : count === 1
        ? 'This number has 1 ticket:'
        : `This number has ${count} tickets:`,
  ticketSlowDown: (minutes) => `Too many attempts. To protect our customers, please try again in ${minutes} minutes, or say "agent".`,
  ticketMismatchNowLocked: (minutes) =>
    `The ticket number and the phone digits don't match. To protect our customers, online lookup of this ticket is paused for ${minutes} minutes. If you need the status now, say "agent" and a colleague will look it up for you.`,
  ticketLocked: (minutes) =>
    `To protect our customers, online lookup of this ticket is paused. Please try again in ${minutes} minutes, or say "agent" and a colleague will look it up for you.`,
  ticketStatus: (id, status, deadline) => `Ticket ${id}: ${status}. ${deadline}`,
  ticketHistoryLine: (when, what) => `· ${when} ${what}`,
  ticketCreatedEvent: 'repair request received',

  // ── 工单进度: what happens next and by when (issue 12, item 6) ──
  ticketVisitBy: (when) => `The engineer will visit by ${when} and will phone you before setting off.`,
  ticketVisitLate: (when) =>
    `The visit was due by ${when} and we are late. We're very sorry: we've chased it and it is being handled with priority. To talk to a person now, say "agent".`,
  ticketAppointment: {
    onsite: (window) => `The engineer will visit in your booked slot, ${window}, and will phone you before setting off.`,
    carryIn: (window) => `Your carry-in is booked for ${window}; please bring the device and proof of purchase to the service point.`,
    mailIn: (window) => `A courier will collect the device in your booked slot, ${window}.`,
  },
  ticketAppointmentLate: (window) =>
    `Your booked slot, ${window}, has passed. We're very sorry: we've chased it and it is being handled with priority. To talk to a person now, say "agent".`,
  ticketContactBy: {
    carryIn: (when) => `An engineer will contact you by ${when} to arrange the service point and time.`,
    mailIn: (when) => `An engineer will contact you by ${when} with the mailing address and packing instructions.`,
  },
  ticketContactLate: (when) =>
    `We promised to contact you by ${when} and we are late. We're very sorry: we've chased it and it is being handled with priority. To talk to a person now, say "agent".`,
  ticketRepairing: {
    onsite: 'The engineer is repairing it; if a part needs replacing, they will check with you first.',
    carryIn: "It is being repaired; we'll phone you when it is ready to collect.",
    mailIn: "It is being repaired; we'll send it back when it's done and give you the tracking number.",
  },
  ticketCompleted: {
    onsite: (when) => `Repaired on ${when}. We'll ask you to rate the service; tell me if anything is still wrong.`,
    carryIn: (when) => `Repaired on ${when}: please collect it at the service point with your ticket number.`,
    mailIn: (when) => `Repaired on ${when}: we'll send it back soon and give you the tracking number.`,
  },
  ticketClosed: (when, days) =>
    `Closed on ${when}.${days ? ` Repaired parts carry a ${days}-day warranty.` : ''} Write any time if something is wrong.`,
  ticketCancelled: (when) => `Cancelled on ${when}. If you still need a repair, say "report a fault" to start again.`,
  ticketCallbackBy: (id, when) => `Your call-back (number ${id}): an agent will phone you by ${when}.`,
  ticketCallbackLate: (id) =>
    `Your call-back (number ${id}) hasn't been made yet. We're sorry: we've chased it and an agent will phone you as soon as possible.`,
  ticketWindow: (start, endTime) => `${start}–${endTime}`,
};

export const ticketTexts: Record<Locale, TicketTexts> = { 'zh-CN': zhCN, en };
