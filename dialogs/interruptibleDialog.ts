import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { isExplicitCancel, mentionsSafetyHazard, recognizeCommand, type GlobalCommand } from '../knowledge';
import { picksChoiceOnScreen } from './flowDrafts';
import { textsOf } from './locale';

/** How a customer leaves a flow with a command. */
export type Leaving = 'cancel' | 'menu' | 'goodbye';

/**
 * The shared base of the conversation: 取消 / 算了, 帮助, 菜单, 转人工 and 再见 work at every step of
 * every flow, and another request can interrupt a flow, because every flow runs inside a dialog built
 * on this base, which sees each message first. What the question on screen asks for wins, though: a
 * button's words (重新开始, 不用了) answer it, whatever else they could mean.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const activity = innerDc.context.activity;
    const text = activity.type === 'message' ? (activity.text ?? '').trim() : '';
    if (!text) return super.onContinueDialog(innerDc);
    // Danger to people comes before anything the customer was doing.
    if (mentionsSafetyHazard(text)) return this.safetyFirst(innerDc);
    const command = recognizeCommand(text);
    // A person is always a person, also where 转人工 is one of the buttons.
    if (command === 'human') return this.escalate(innerDc);
    if (picksChoiceOnScreen(innerDc.stack, text)) return super.onContinueDialog(innerDc);
    const flow = this.currentFlow(innerDc);
    // "谢谢" or "没有了" closes the conversation at the menu; inside a flow it is an answer like any other.
    if (command && !(command === 'done' && flow)) return this.interrupt(innerDc, command, flow, text);
    const redirected = flow ? await this.redirect(innerDc, text) : undefined;
    return redirected ?? super.onContinueDialog(innerDc);
  }

  /** The flow the customer is in (the innermost dialog that has a name for customers), if any. */
  protected currentFlow(innerDc: DialogContext): string | undefined {
    const names = textsOf(innerDc.context).flowNames;
    return [...innerDc.stack]
      .reverse()
      .map((instance) => names[instance.id])
      .find((name) => name !== undefined);
  }

  private async interrupt(
    innerDc: DialogContext,
    command: GlobalCommand,
    flow: string | undefined,
    text: string,
  ): Promise<DialogTurnResult> {
    const texts = textsOf(innerDc.context);
    switch (command) {
      case 'help':
        await innerDc.context.sendActivity(flow ? texts.helpInFlow(flow) : texts.helpAtMenu);
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case 'cancel':
        if (flow) return this.leave(innerDc, 'cancel');
        // 取消 with nothing going on says so; 算了 / 不用了 at the menu is the end of the conversation.
        return isExplicitCancel(text) ? this.restart(innerDc, texts.nothingToCancel) : this.farewell(innerDc);
      case 'menu':
        return flow ? this.leave(innerDc, 'menu') : this.restart(innerDc, texts.backToMenu);
      case 'goodbye':
        return flow ? this.leave(innerDc, 'goodbye') : this.farewell(innerDc);
      case 'done':
        return this.farewell(innerDc);
      case 'human':
        return this.escalate(innerDc);
    }
  }

  /** Another request in the middle of a flow (给个评价, a question): handled, or undefined to let the flow answer. */
  protected async redirect(_innerDc: DialogContext, _text: string): Promise<DialogTurnResult | undefined> {
    return undefined;
  }

  /** Leaves the flow the customer is in, saying what was kept of it. */
  protected abstract leave(innerDc: DialogContext, how: Leaving): Promise<DialogTurnResult>;

  /** Ends whatever flow is running and goes back to the start, after saying `lead`. */
  protected abstract restart(innerDc: DialogContext, lead: string): Promise<DialogTurnResult>;

  /** The customer is done: a goodbye, and the conversation waits quietly for whatever comes next. */
  protected abstract farewell(innerDc: DialogContext): Promise<DialogTurnResult>;

  /** The customer asked for a person. */
  protected abstract escalate(innerDc: DialogContext): Promise<DialogTurnResult>;

  /** The customer mentioned smoke, fire, a shock …: safety advice, and a person with priority. */
  protected abstract safetyFirst(innerDc: DialogContext): Promise<DialogTurnResult>;
}
