import type { Middleware, TurnContext } from 'botbuilder';
import { peopleTextsFor } from '../dialogs/peopleTexts';
import { textsFor } from '../dialogs/texts';
import type { HandoffEvents } from '../desk/handoffEvents';
import type { HandoffQueue } from '../desk/handoff';
import { textOfMessage } from '../desk/transcripts';
import { asksAboutQueue, asksForCallback, detectLanguage, recognizeCommand } from '../knowledge';
import type { Logger } from '../common/logger';

/** A waiting customer giving up on the wait in their own words. */
const LEAVE_QUEUE =
  /^(我)?(不等了|不排了|不用等了|不要人工了|不转人工了|算了不等了)[。!！]?$|^(never ?mind|i'?ll wait no more|stop waiting)\b/i;

/**
 * Step 4 of a turn (docs/architecture.md §4): while a conversation waits for a person or is with one, its
 * messages go to the agents' side and the dialogs never run. A waiting customer may still leave the
 * line, ask for a call-back instead (the dialogs take that), or ask how long it takes.
 */
export class HandoffGate implements Middleware {
  constructor(
    private readonly queue: HandoffQueue,
    private readonly events: HandoffEvents,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    const conversationId = activity.conversation?.id;
    if (activity.type !== 'message' || !conversationId) return next();
    const state = await this.queue.stateOf(conversationId);
    if (state === 'bot' || state === 'closed') return next();

    const text = (activity.text ?? '').trim();
    if (state === 'waiting') {
      const locale = detectLanguage(text) ?? (activity.locale?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN');
      const texts = textsFor(locale);
      if (asksForCallback(text)) {
        await this.leaveQueue(conversationId);
        return next();
      }
      if (recognizeCommand(text) === 'cancel' || LEAVE_QUEUE.test(text)) {
        await this.leaveQueue(conversationId);
        await context.sendActivity(texts.waitCancelled);
        return;
      }
      if (asksAboutQueue(text)) {
        // The same estimate the customer was given on joining the line, as it stands now.
        const position = (await this.queue.position(conversationId)) ?? 1;
        await context.sendActivity(peopleTextsFor(locale).stillWaiting(await this.queue.waitFor(position)));
      }
    }
    await this.passToAgents(conversationId, {
      id: activity.id ?? '',
      text: textOfMessage(activity),
      at: new Date(activity.timestamp ?? Date.now()),
    });
    this.logger.debug({ conversation: conversationId, state }, 'message passed to the agent side');
  }

  /**
   * For what a channel handles without a turn (a WeChat image): when the conversation is with
   * people, passes it to the agent side and says true; otherwise false and the channel answers.
   */
  async forwardIfHandedOff(conversationId: string, message: { id: string; text: string; at?: Date }): Promise<boolean> {
    const state = await this.queue.stateOf(conversationId);
    if (state === 'bot' || state === 'closed') return false;
    await this.passToAgents(conversationId, message);
    return true;
  }

  /** The customer's message on every console, whichever process serves it. */
  private async passToAgents(conversationId: string, message: { id: string; text: string; at?: Date }): Promise<void> {
    await this.events.publish({
      type: 'message',
      conversationId,
      entry: { id: message.id, at: (message.at ?? new Date()).toISOString(), speaker: 'user', text: message.text },
    });
  }

  private async leaveQueue(conversationId: string): Promise<void> {
    await this.queue.cancel(conversationId, 'customer');
    await this.events.publish({ type: 'queue', conversationId });
    await this.events.publish({ type: 'chat', conversationId, state: 'bot' });
  }
}
