import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  INVOKE_RESPONSE_KEY,
  MiddlewareSet,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
  type Middleware,
  type TurnContext,
} from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import { z } from 'zod';
import type { BotFrameworkSettings } from '../channelSettings';
import { ConversationOwnedElsewhereError } from '../../bot/conversationOwners';
import { refuse } from '../../common/httpErrors';
import { byDeadline } from '../../common/timing';
import type { Logger } from '../../common/logger';
import type { TurnPipeline } from '../../bot/turnPipeline';
import { describeZodError } from '../../common/zodIssues';
import { TURN_INTENT } from '../../common/turnIntent';

/** Channel ids the Bot Framework brings (emulator, msteams, directline, webchat …) all come here. */
export const BOT_FRAMEWORK_CHANNEL = 'botframework';

/** How long a caller waits for the turn before the activity is simply accepted (202). */
const ACCEPT_WITHIN_MS = 3000;

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

/** The activity types that make a turn; every other one (invoke, event, typing …) is acknowledged and ignored. */
const TURN_TYPES: ReadonlySet<string> = new Set([ActivityTypes.Message, ActivityTypes.ConversationUpdate]);

/** The parts of an activity this channel relies on; the rest is the Bot Framework's and passes through. */
/** Who sent or receives an activity: the connector builds its URLs and headers from these. */
const account = z.looseObject({ id: z.string().max(1024), name: z.string().max(1024).optional(), role: z.string().max(64).optional() });

const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  // Sent back in a header and a URL path by the connector client: visible ASCII only, as every
  // Bot Framework channel's ids are.
  conversation: z.looseObject({
    id: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII'),
  }),
  serviceUrl: z.string().max(2048),
  id: z.string().max(1024).optional(),
  channelId: z.string().max(256).optional(),
  from: account.optional(),
  recipient: account.optional(),
  text: z.string().max(8000).optional(),
  locale: z.string().max(64).optional(),
});

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a serviceUrl may not receive our replies, or undefined when it may. Replies (and, with an app
 * id, the bot's token) go to it, so: https, or in local mode (no app id: only this machine calls us)
 * http to this machine, where the Emulator listens. With an app id Azure always names an https URL;
 * an http one there can only be forged, and would carry the token in the clear, so it is refused too.
 */
function serviceUrlProblem(serviceUrl: string, localMode: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return 'serviceUrl: is not a URL';
  }
  if (url.username || url.password) return 'serviceUrl: must not carry credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && localMode && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return localMode ? 'serviceUrl: must be https, or http to 127.0.0.1, localhost or [::1]' : 'serviceUrl: must be https';
}

/**
 * CloudAdapter whose processActivity (authenticate, run the turn, return the invoke response) is
 * ours to call: its process() would answer every error with the error's own message.
 */
class BotFrameworkAdapter extends CloudAdapter {
  run(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

/** botframework-connector's AuthenticationError (not a dependency of ours): a bad or missing token. */
function isAuthenticationError(error: unknown): boolean {
  return error instanceof Error && (error as Error & { statusCode?: unknown }).statusCode === 401;
}

/**
 * `POST /api/messages` for the Bot Framework Emulator and Azure Bot Service channels, through
 * botbuilder's CloudAdapter (which checks the channel's JWT when an app id is configured).
 */
export class BotFrameworkChannel {
  readonly adapter: BotFrameworkAdapter;
  /** Run inside the turn pipeline, not by the adapter: a redelivered activity must not reach the transcript twice. */
  private readonly middleware: MiddlewareSet;

  constructor(private readonly deps: BotFrameworkChannelDeps) {
    const settings = deps.settings;
    this.adapter = new BotFrameworkAdapter(
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
      // Not a failure of ours: the caller gets its 403 and nothing is sent to its connector.
      if (error instanceof ConversationOwnedElsewhereError) throw error;
      deps.logger.error(
        { err: error, channel: context.activity.channelId, conversation: context.activity.conversation?.id },
        'bot framework turn failed',
      );
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
      return refuse(
        res,
        404,
        'ChannelOff',
        'the Bot Framework channel needs MicrosoftAppId and MicrosoftAppPassword for callers other than this machine',
      );
    }
    const parsed = activitySchema.safeParse(req.body);
    if (!parsed.success) {
      return refuse(
        res,
        400,
        'InvalidActivity',
        `the body must be a Bot Framework activity with type, conversation.id and serviceUrl (${describeZodError(parsed.error)})`,
      );
    }
    const problem = serviceUrlProblem(parsed.data.serviceUrl, !this.deps.settings);
    if (problem) return refuse(res, 400, 'InvalidServiceUrl', problem);

    const activity = withDates(parsed.data as unknown as Activity);
    const authorization = req.header('authorization') ?? '';
    const running = this.adapter.run(authorization, activity, (context) =>
      TURN_TYPES.has(context.activity.type) ? this.turn(context) : this.acknowledge(context),
    );
    try {
      // A connector that is slow or unreachable (replies are POSTed to it, with retries) must not
      // hold the caller: past the deadline the activity is accepted and its turn goes on without us.
      // An invoke waits, since its answer is the response body.
      const outcome = activity.type === ActivityTypes.Invoke ? { value: await running } : await byDeadline(running, ACCEPT_WITHIN_MS);
      if (outcome === 'late') {
        running.catch((error: unknown) =>
          this.deps.logger.error(
            { err: error, conversation: activity.conversation.id, type: activity.type },
            'bot framework activity failed after it was accepted',
          ),
        );
        return void res.send(202);
      }
      if (outcome.value) return void res.send(outcome.value.status, outcome.value.body);
      res.send(TURN_TYPES.has(activity.type) ? 200 : 202);
    } catch (error) {
      if (error instanceof ConversationOwnedElsewhereError) {
        return refuse(res, 403, 'ForeignConversation', 'this conversation belongs to another channel');
      }
      if (isAuthenticationError(error)) return refuse(res, 401, 'Unauthorized', 'missing or invalid Bot Framework token');
      this.deps.logger.error({ err: error, conversation: activity.conversation.id, type: activity.type }, 'bot framework activity failed');
      refuse(res, 500, 'InternalError', 'the activity could not be processed');
    }
  }

  /** Invokes, events, reactions, installation updates …: nothing for this bot to do, and no turn. */
  private async acknowledge(context: TurnContext): Promise<void> {
    if (context.activity.type !== ActivityTypes.Invoke) return;
    // Without an invoke response the adapter answers 501; the Bot Framework expects a 200.
    const response: InvokeResponse = { status: 200, body: { status: 200 } };
    context.turnState.set(INVOKE_RESPONSE_KEY, { type: ActivityTypes.InvokeResponse, value: response });
  }

  private async turn(context: TurnContext): Promise<void> {
    const { activity } = context;
    // The channel is this adapter's whatever channelId the activity names: an activity saying "web"
    // is still a Bot Framework caller, and must not pass for (or reach) a web conversation.
    await this.deps.pipeline.handle(
      {
        channel: BOT_FRAMEWORK_CHANNEL,
        conversationId: activity.conversation.id,
        messageId: activity.type === 'message' ? activity.id : undefined,
      },
      async () => {
        await this.middleware.run(context, () => this.deps.bot(context));
        // The replies went to the channel's connector already; a retried delivery must not resend them.
        return { replies: [], intent: context.turnState.get(TURN_INTENT) as string | undefined };
      },
    );
  }
}

/** What botbuilder's own process() does to the JSON: its timestamps become Dates. */
function withDates(activity: Activity): Activity {
  const raw = activity as Activity & Record<'timestamp' | 'localTimestamp' | 'expiration', unknown>;
  if (typeof raw.timestamp === 'string') Object.assign(activity, { rawTimestamp: raw.timestamp, timestamp: new Date(raw.timestamp) });
  if (typeof raw.localTimestamp === 'string')
    Object.assign(activity, { rawLocalTimestamp: raw.localTimestamp, localTimestamp: new Date(raw.localTimestamp) });
  if (typeof raw.expiration === 'string') Object.assign(activity, { rawExpiration: raw.expiration, expiration: new Date(raw.expiration) });
  return activity;
}
