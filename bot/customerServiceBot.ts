import { ActivityHandler, type BotState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { MainDialog } from '../dialogs/mainDialog';
import type { Locale } from '../knowledge';

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

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }
}
