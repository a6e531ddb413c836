import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MiddlewareSet,
  type ConversationReference,
  type Middleware,
  type TurnContext,
} from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import type { BotFrameworkSettings } from '../../bot/config';
import { refuse } from '../../bot/httpErrors';
import type { Logger } from '../../bot/logger';
import type { TurnPipeline } from '../../bot/turnPipeline';
import { TURN_INTENT } from '../../dialogs/mainDialog';

/** Channel ids the Bot Framework brings (emulator, msteams, directline, webchat …) all come here. */
export const BOT_FRAMEWORK_CHANNEL = 'botframework';

const MAX_BODY_BYTES = 256 * 1024;

export interface BotFrameworkChannelDeps {
  /** Unset: no app id, as the Emulator runs locally; then only callers on this machine are served. */
  settings?: BotFrameworkSettings;
  pipeline: TurnPipeline;
  middleware: Middleware[];
  logger: Logger;
  bot: (context: TurnContext) => Promise<void>;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * `POST /api/messages` for the Bot Framework Emulator and Azure Bot Service channels, through
 * botbuilder's CloudAdapter (which checks the channel's JWT when an app id is configured).
 */
export class BotFrameworkChannel {
  readonly adapter: CloudAdapter;
  /** Run inside the turn pipeline, not by the adapter: a redelivered activity must not reach the transcript twice. */
  private readonly middleware: MiddlewareSet;

  constructor(private readonly deps: BotFrameworkChannelDeps) {
    const settings = deps.settings;
    this.adapter = new CloudAdapter(
      new ConfigurationBotFrameworkAuthentication(
        settings
          ? {
              MicrosoftAppId: settings.appId,
              MicrosoftAppPassword: settings.appPassword,
              MicrosoftAppTenantId: settings.tenantId,
              MicrosoftAppType: settings.appType,
            }
          : {},
      ),
    );
    this.middleware = new MiddlewareSet(...deps.middleware);
    this.adapter.onTurnError = async (context, error) => {
      deps.logger.error({ err: error, channel: context.activity.channelId, conversation: context.activity.conversation?.id }, 'bot framework turn failed');
      await context.sendActivity('抱歉，系统刚才出了点问题，请稍后再发一次。');
    };
  }

  register(server: Server): void {
    const body = restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false });
    server.post('/api/messages', body, this.receive.bind(this));
  }

  /** Continues a conversation later (agents' replies, reminders) from its stored reference. */
  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.adapter.continueConversationAsync(this.deps.settings?.appId ?? '', reference, (context) =>
      this.middleware.run(context, () => logic(context)),
    );
  }

  private async receive(req: Request, res: Response): Promise<void> {
    if (!this.deps.settings && !isLoopback(req.socket.remoteAddress)) {
      // Without an app id nothing authenticates the caller, and replies go to the serviceUrl it
      // names: only the Emulator on this machine may use that.
      return refuse(res, 404, 'ChannelOff', 'the Bot Framework channel needs MicrosoftAppId and MicrosoftAppPassword for callers other than this machine');
    }
    const activity = req.body as { type?: unknown; conversation?: { id?: unknown }; serviceUrl?: unknown } | undefined;
    if (!activity || typeof activity.type !== 'string' || typeof activity.conversation?.id !== 'string' || typeof activity.serviceUrl !== 'string') {
      return refuse(res, 400, 'InvalidActivity', 'the body must be a Bot Framework activity with type, conversation.id and serviceUrl');
    }
    await this.adapter.process(req, res, (context) => this.turn(context));
  }

  private async turn(context: TurnContext): Promise<void> {
    const { activity } = context;
    await this.deps.pipeline.handle(
      { channel: activity.channelId || BOT_FRAMEWORK_CHANNEL, conversationId: activity.conversation.id, messageId: activity.type === 'message' ? activity.id : undefined },
      async () => {
        await this.middleware.run(context, () => this.deps.bot(context));
        // The replies went to the channel's connector already; a retried delivery must not resend them.
        return { replies: [], intent: context.turnState.get(TURN_INTENT) as string | undefined };
      },
    );
  }
}
