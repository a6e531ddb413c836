import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Ticket } from '../desk/model';
import type { Locale } from '../knowledge';
import { maskPhone } from '../desk/privacy';
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
}

/** 工单进度: a ticket by its number, shown only to whoever knows the last four digits of its phone. */
export class TicketStatusDialog extends ComponentDialog {
  constructor(private readonly desk: DeskServices) {
    super(TICKET_STATUS_DIALOG);
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new WaterfallDialog(LOOP, [this.askStep.bind(this), this.captureStep.bind(this)]));
    this.initialDialogId = LOOP;
  }

  override async beginDialog(outerDc: Parameters<ComponentDialog['beginDialog']>[0], options?: { utterance?: string }): Promise<DialogTurnResult> {
    const state: TicketStatusState = { ticketId: options?.utterance ? this.desk.findTicketId(options.utterance) : undefined };
    return super.beginDialog(outerDc, state);
  }

  /** Asks for the ticket number, then for the phone's last four digits. */
  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as TicketStatusState;
    const t = serviceTextsFor(localeOf(step.context));
    if (state.note) await step.context.sendActivity(state.note);
    state.note = undefined;
    return step.prompt(ANSWER, { prompt: state.ticketId ? t.ticketAskPhone4 : t.ticketAskId });
  }

  /** Checks the answer; shows the ticket when number and phone digits belong together. */
  private async captureStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as TicketStatusState;
    const locale = localeOf(step.context);
    const t = serviceTextsFor(locale);
    const answer = String(step.result ?? '').trim();
    if (!state.ticketId) {
      state.ticketId = this.desk.findTicketId(answer);
      if (!state.ticketId) state.note = t.ticketBadId;
      return step.replaceDialog(LOOP, state);
    }
    // A ticket number where the digits were asked: the customer means that ticket now.
    const otherTicket = this.desk.findTicketId(answer);
    if (otherTicket) {
      state.ticketId = otherTicket;
      return step.replaceDialog(LOOP, state);
    }
    const digits = answer.replace(/\D/g, '');
    if (digits.length !== 4) {
      state.note = t.ticketBadPhone4;
      return step.replaceDialog(LOOP, state);
    }
    const { activity } = step.context;
    const asker = { channel: activity.channelId, userId: activity.from?.id || activity.conversation.id, conversationId: activity.conversation.id };
    const attempt = await this.desk.allowTicketGuess(state.ticketId, asker);
    if (!attempt.allowed) {
      const minutes = minutesOf(attempt.retryAfterSeconds);
      await step.context.sendActivity(attempt.lockedBy === 'ticket' ? t.ticketLocked(minutes) : t.ticketSlowDown(minutes));
      return step.endDialog();
    }
    const ticket = await this.desk.tickets.get(state.ticketId);
    const matches = ticket !== undefined && ticket.customer.phone.endsWith(digits);
    const outcome = await this.desk.recordTicketGuess(attempt, matches, { maskedPhone: ticket ? maskPhone(ticket.customer.phone) : undefined });
    if (!ticket || !matches) {
      // The same answers whether the ticket exists or not: nothing to learn by guessing.
      if (outcome.locked === 'ticket') await step.context.sendActivity(t.ticketMismatchNowLocked(minutesOf(outcome.lockedSeconds)));
      else if (outcome.locked === 'customer') await step.context.sendActivity(t.ticketSlowDown(minutesOf(outcome.lockedSeconds)));
      else await step.context.sendActivity(t.ticketMismatch);
      return step.endDialog();
    }
    await step.context.sendActivity(this.describe(ticket, t, locale));
    return step.endDialog();
  }

  private describe(ticket: Ticket, t: ServiceTexts, locale: Locale): string {
    const open = !['completed', 'closed', 'cancelled'].includes(ticket.status);
    const deadline = open && ticket.serviceMode === 'onsite' ? t.promiseVisit(formatDateTime(ticket.dispatchDeadline, this.desk.timeZone, locale)) : '';
    const history = ticket.history.map((event) => {
      const what = event.action === 'created' ? t.ticketCreatedEvent : event.to ? t.ticketStatusNames[event.to] : (event.note ?? '');
      return t.ticketHistoryLine(formatDateTime(event.at, this.desk.timeZone, locale), what);
    });
    return [t.ticketStatus(ticket.id, t.ticketStatusNames[ticket.status], deadline), ...history].join('\n');
  }
}

function minutesOf(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}
