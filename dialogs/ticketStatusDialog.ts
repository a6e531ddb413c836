import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Ticket } from '../desk/model';
import { extractMobile, type Locale } from '../knowledge';
import { maskPhone } from '../desk/privacy';
import { minutesLate, nextStepOf, promisedTimeOf, type TicketNextStep } from '../desk/ticketPromises';
import type { DeskServices } from './deskServices';
import { formatDateTime } from './dates';
import { localeOf } from './locale';
import { serviceTextsFor, type ServiceTexts } from './serviceTexts';

export const TICKET_STATUS_DIALOG = 'ticketStatusDialog';
const LOOP = 'ticketStatusLoop';
const ANSWER = 'ticketStatusAnswer';

interface TicketStatusState {
  ticketId?: string;
  note?: string;
  /** The customer has no number: the phone of the 报修 is asked for instead. */
  byPhone?: boolean;
  /** A phone in the message that asked for the status: its tickets are looked up at once. */
  phone?: string;
  /** Answers that were no ticket number: the second time, the phone is offered too (never a third same prompt). */
  misses?: number;
}

/** "忘了", "不记得", "没有单号", "找不到", "I forgot": the number is not at hand. */
const NO_NUMBER =
  /忘|不记得|记不(?:得|清|住)|不知道|没有|没留|找不到|丢了|删了|没记|don'?t (?:know|have|remember)|forgot|lost|no (?:ticket|number)|can'?t find/i;
/** At most this many tickets are shown for one phone, newest first. */
const SHOWN_FOR_PHONE = 3;

/** 工单进度: a ticket by its number, shown only to whoever knows the last four digits of its phone. */
export class TicketStatusDialog extends ComponentDialog {
  constructor(private readonly desk: DeskServices) {
    super(TICKET_STATUS_DIALOG);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.captureStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  override async beginDialog(
    outerDc: Parameters<ComponentDialog['beginDialog']>[0],
    options?: { utterance?: string },
  ): Promise<DialogTurnResult> {
    const utterance = options?.utterance ?? '';
    const ticketId = utterance ? this.desk.findTicketId(utterance) : undefined;
    // "查下进度，手机13511112222" or "单号忘了" in the first message: no need to ask for the number first.
    const phone = !ticketId && this.desk.tickets.byPhone ? extractMobile(utterance) : undefined;
    const state: TicketStatusState = {
      ticketId,
      phone,
      byPhone: !ticketId && Boolean(this.desk.tickets.byPhone) && NO_NUMBER.test(utterance),
    };
    return super.beginDialog(outerDc, state);
  }

  /** Asks for the ticket number, then for the phone's last four digits. */
  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as TicketStatusState;
    const t = serviceTextsFor(localeOf(step.context));
    if (state.note) await step.context.sendActivity(state.note);
    state.note = undefined;
    if (state.phone) return this.showByPhone(step, state.phone);
    const prompt = state.ticketId
      ? t.ticketAskPhone4
      : state.byPhone
        ? t.ticketAskPhoneLookup
        : (state.misses ?? 0) > 0
          ? t.ticketAskIdOrPhone
          : t.ticketAskId;
    return step.prompt(ANSWER, { prompt });
  }

  /** Checks the answer; shows the ticket when number and phone digits belong together. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as TicketStatusState;
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    const answer = String(step.result ?? '').trim();
    if (!state.ticketId) {
      state.ticketId = this.desk.findTicketId(answer);
      if (state.ticketId) return step.replaceDialog(LOOP, state);
      const mobile = extractMobile(answer);
      if (mobile && this.desk.tickets.byPhone) return this.showByPhone(step, mobile);
      state.misses = (state.misses ?? 0) + 1;
      if (this.desk.tickets.byPhone && (NO_NUMBER.test(answer) || state.byPhone)) {
        // Asked for the phone already and still none: a person, rather than the same question a third time.
        if (state.byPhone && state.misses > 2) {
          await step.context.sendActivity(t.ticketNoneForPhone);
          return step.endDialog();
        }
        state.byPhone = true;
      } else if (state.misses > 1 && !this.desk.tickets.byPhone) {
        await step.context.sendActivity(t.ticketBadId);
        return step.endDialog();
      } else state.note = t.ticketBadId;
      return step.replaceDialog(LOOP, state);
    }
    // A ticket number where the digits were asked: the customer means that ticket now.
    const otherTicket = this.desk.findTicketId(answer);
    if (otherTicket) {
      state.ticketId = otherTicket;
      return step.replaceDialog(LOOP, state);
    }
    // The whole number is as good as its last four digits (and checked whole).
    const mobile = extractMobile(answer);
    const digits = mobile ?? answer.replace(/\D/g, '');
    if (!mobile && digits.length !== 4) {
      state.note = t.ticketBadPhone4;
      return step.replaceDialog(LOOP, state);
    }
    const { activity } = step.context;
    const asker = {
      channel: activity.channelId,
      userId: activity.from?.id || activity.conversation.id,
      conversationId: activity.conversation.id,
    };
    const attempt = await this.desk.allowTicketGuess(state.ticketId, asker);
    if (!attempt.allowed) {
      const minutes = minutesOf(attempt.retryAfterSeconds);
      await step.context.sendActivity(attempt.lockedBy === 'ticket' ? t.ticketLocked(minutes) : t.ticketSlowDown(minutes));
      return step.endDialog();
    }
    const ticket = await this.desk.tickets.get(state.ticketId);
    const matches = ticket !== undefined && (mobile ? ticket.customer.phone === mobile : ticket.customer.phone.endsWith(digits));
    const outcome = await this.desk.recordTicketGuess(attempt, matches, {
      maskedPhone: ticket ? maskPhone(ticket.customer.phone) : undefined,
    });
    if (!ticket || !matches) {
      // The same answers whether the ticket exists or not: nothing to learn by guessing.
      if (outcome.locked === 'ticket') await step.context.sendActivity(t.ticketMismatchNowLocked(minutesOf(outcome.lockedSeconds)));
      else if (outcome.locked === 'customer') await step.context.sendActivity(t.ticketSlowDown(minutesOf(outcome.lockedSeconds)));
      else await step.context.sendActivity(t.ticketMismatch);
      return step.endDialog();
    }
    const now = this.desk.now?.() ?? new Date();
    const next = nextStepOf(ticket, now);
    if ('late' in next && next.late) await this.chase(ticket, next, now, asker);
    const callback = await this.desk.openCallback?.([...new Set([asker.conversationId, ticket.conversationId])]);
    const callbackLine = callback
      ? callback.late
        ? t.ticketCallbackLate(callback.id)
        : t.ticketCallbackBy(callback.id, this.when(callback.by, locale))
      : '';
    await step.context.sendActivity(this.describe(ticket, next, callbackLine, t, locale));
    return step.endDialog();
  }

  /**
   * The tickets of the phone the customer gave, when the number is forgotten. The whole number must be
   * the ticket's own (no partial match), and each lookup counts against the same guess limits as the
   * digits of a ticket, so phones cannot be tried one after another.
   */
  private async showByPhone(step: WaterfallStepContext, mobile: string): Promise<DialogTurnResult> {
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    const { activity } = step.context;
    const asker = {
      channel: activity.channelId,
      userId: activity.from?.id || activity.conversation.id,
      conversationId: activity.conversation.id,
    };
    const attempt = await this.desk.allowTicketGuess(`phone:${mobile}`, asker);
    if (!attempt.allowed) {
      await step.context.sendActivity(t.ticketSlowDown(minutesOf(attempt.retryAfterSeconds)));
      return step.endDialog();
    }
    const found = ((await this.desk.tickets.byPhone?.(mobile)) ?? []).filter((ticket) => ticket.customer.phone === mobile);
    const outcome = await this.desk.recordTicketGuess(attempt, found.length > 0, { maskedPhone: maskPhone(mobile) });
    if (!found.length) {
      await step.context.sendActivity(outcome.locked ? t.ticketSlowDown(minutesOf(outcome.lockedSeconds)) : t.ticketNoneForPhone);
      return step.endDialog();
    }
    // Open tickets first, then the newest: what the customer most likely asks about.
    const open = (ticket: Ticket) => !['closed', 'cancelled', 'completed'].includes(ticket.status);
    const shown = [...found].sort((a, b) => Number(open(b)) - Number(open(a))).slice(0, SHOWN_FOR_PHONE);
    const now = this.desk.now?.() ?? new Date();
    const lines = [t.ticketsForPhone(found.length, shown.length)];
    for (const ticket of shown) {
      const next = nextStepOf(ticket, now);
      if ('late' in next && next.late) await this.chase(ticket, next, now, asker);
      lines.push(this.describe(ticket, next, '', t, locale));
    }
    await step.context.sendActivity(lines.join('\n\n'));
    return step.endDialog();
  }

  /** Status, then what happens next and by when (and a registered call-back), then the history. */
  private describe(ticket: Ticket, next: TicketNextStep, callbackLine: string, t: ServiceTexts, locale: Locale): string {
    const history = ticket.history.map((event) => {
      const what = event.action === 'created' ? t.ticketCreatedEvent : event.to ? t.ticketStatusNames[event.to] : (event.note ?? '');
      return t.ticketHistoryLine(this.when(event.at, locale), what);
    });
    const promise = this.nextStepText(ticket, next, t, locale) + callbackLine;
    return [t.ticketStatus(ticket.id, t.ticketStatusNames[ticket.status], promise), ...history].join('\n');
  }

  private nextStepText(ticket: Ticket, next: TicketNextStep, t: ServiceTexts, locale: Locale): string {
    switch (next.kind) {
      case 'visit':
        return next.late ? t.ticketVisitLate(this.when(next.by, locale)) : t.ticketVisitBy(this.when(next.by, locale));
      case 'contact':
        return next.late ? t.ticketContactLate(this.when(next.by, locale)) : t.ticketContactBy[next.mode](this.when(next.by, locale));
      case 'appointment': {
        const window = this.window(next.start, next.end, t, locale);
        return next.late ? t.ticketAppointmentLate(window) : t.ticketAppointment[next.mode](window);
      }
      case 'repairing':
        return t.ticketRepairing[next.mode];
      case 'completed':
        return t.ticketCompleted[next.mode](this.when(next.at, locale));
      case 'closed':
        return t.ticketClosed(this.when(next.at, locale), this.desk.catalogue.category(ticket.product.category)?.terms.repairedPartDays);
      case 'cancelled':
        return t.ticketCancelled(this.when(next.at, locale));
    }
  }

  /**
   * The promise was not kept: the desk hears of it (log line, the console's list) and the agent who
   * may take this conversation next sees the ticket.
   */
  private async chase(
    ticket: Ticket,
    next: Extract<TicketNextStep, { late: boolean }>,
    now: Date,
    asker: { channel: string; conversationId: string },
  ): Promise<void> {
    await this.desk.chaseTicket?.({
      ticketId: ticket.id,
      status: ticket.status,
      promised: promisedTimeOf(next),
      minutesLate: minutesLate(next, now),
      channel: asker.channel,
      conversationId: asker.conversationId,
    });
    await this.desk.noteFacts?.(asker.conversationId, { ticketId: ticket.id });
  }

  private when(iso: string, locale: Locale): string {
    return formatDateTime(iso, this.desk.timeZone, locale);
  }

  /** 12月4日 14:00–16:00; a window over midnight names both days. */
  private window(start: string, end: string, t: ServiceTexts, locale: Locale): string {
    const from = this.when(start, locale);
    const to = this.when(end, locale);
    const [fromDay] = from.split(' ');
    const [toDay, toTime] = to.split(' ');
    return t.ticketWindow(from, fromDay === toDay && toTime ? toTime : to);
  }
}

function minutesOf(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}
