import { ActivityHandler, type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { MainDialog } from '../dialogs/mainDialog';
import type { Locale } from '../knowledge';
import { textsFor, type Texts } from '../dialogs/texts';
import { systemMessage } from './speaker';

/** Routes each turn to the main dialog and saves the conversation's state when the turn ends. */
export class CustomerServiceBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly locale: StatePropertyAccessor<Locale>;

  constructor(
    private readonly conversationState: BotState,
    private readonly mainDialog: MainDialog,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.locale = conversationState.createProperty<Locale>('locale');

    this.onMessage(async (context, next) => {
      await this.mainDialog.run(context, this.dialogState, this.locale);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const customerJoined = (context.activity.membersAdded ?? []).some((member) => member.id !== botId);
      if (customerJoined) await this.mainDialog.run(context, this.dialogState, this.locale);
      await next();
    });
  }

  /** Says something outside a customer's turn, in the language the conversation has. */
  async tell(context: TurnContext, say: (texts: Texts) => string, about?: { agent?: string }): Promise<void> {
    const locale = await this.locale.get(context, 'zh-CN');
    await context.sendActivity(systemMessage(say(textsFor(locale)), about));
  }

  /** Called in a proactive turn when an agent hands the conversation back. */
  async resumeAfterHandoff(context: TurnContext): Promise<void> {
    await this.mainDialog.resume(context, this.dialogState, this.locale);
    await this.conversationState.saveChanges(context, false);
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }
}
