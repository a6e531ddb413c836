import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { mentionsSafetyHazard, recognizeCommand, type GlobalCommand } from '../knowledge';
import { textsOf } from './locale';

/**
 * The shared base of the conversation: 取消, 帮助, 菜单 and 转人工 work at every step of every flow,
 * because every flow runs inside a dialog built on this base, which sees each message first.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const activity = innerDc.context.activity;
    const text = activity.type === 'message' ? (activity.text ?? '') : '';
    // Danger to people comes before anything the customer was doing.
    if (text && mentionsSafetyHazard(text)) return this.safetyFirst(innerDc);
    const command = text ? recognizeCommand(text) : undefined;
    if (command) return this.interrupt(innerDc, command);
    return super.onContinueDialog(innerDc);
  }

  /** The flow the customer is in (the innermost dialog that has a name for customers), if any. */
  protected currentFlow(innerDc: DialogContext): string | undefined {
    const names = textsOf(innerDc.context).flowNames;
    return innerDc.stack.map((instance) => names[instance.id]).find((name) => name !== undefined);
  }

  private async interrupt(innerDc: DialogContext, command: GlobalCommand): Promise<DialogTurnResult> {
    const texts = textsOf(innerDc.context);
    const flow = this.currentFlow(innerDc);
    switch (command) {
      case 'help':
        await innerDc.context.sendActivity(flow ? texts.helpInFlow(flow) : texts.helpAtMenu);
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case 'cancel':
        return this.restart(innerDc, flow ? texts.cancelled : texts.nothingToCancel);
      case 'menu':
        return this.restart(innerDc, texts.backToMenu);
      case 'human':
        return this.escalate(innerDc);
    }
  }

  /** Ends whatever flow is running and goes back to the start, after saying `lead`. */
  protected abstract restart(innerDc: DialogContext, lead: string): Promise<DialogTurnResult>;

  /** The customer asked for a person. */
  protected abstract escalate(innerDc: DialogContext): Promise<DialogTurnResult>;

  /** The customer mentioned smoke, fire, a shock …: safety advice, and a person with priority. */
  protected abstract safetyFirst(innerDc: DialogContext): Promise<DialogTurnResult>;
}
