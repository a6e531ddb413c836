import type { TurnHandler, TurnMiddleware } from '../bot/turnTypes';
import type { Server } from 'restify';
import type { ChoiceMemory } from '../adapters/choiceMemory';
import type { KeptMessages } from '../adapters/keptMessages';
import { TaobaoRelayClient } from '../adapters/taobao/relayClient';
import { TAOBAO_CHANNEL, TaobaoAdapter } from '../adapters/taobao/taobaoAdapter';
import { TaobaoChannel } from '../adapters/taobao/taobaoChannel';
import { WechatSendBudget } from '../adapters/wechat/sendBudget';
import { WECHAT_CHANNEL, WechatAdapter } from '../adapters/wechat/wechatAdapter';
import { WechatApiClient } from '../adapters/wechat/wechatApi';
import { WechatChannel } from '../adapters/wechat/wechatChannel';
import type { RateLimits } from '../common/rateLimits';
import type { ConversationAttachments } from '../desk/conversationAttachments';
import type { TranscriptStore } from '../desk/transcripts';
import type { TaobaoSettings, WechatSettings } from '../adapters/channelSettings';
import type { HandoffGate } from '../bot/handoffGate';
import { refuse } from '../common/httpErrors';
import type { Logger } from '../common/logger';
import type { ProactiveMessenger } from '../bot/proactive';
import type { Redis } from '../common/redis';
import type { TurnPipeline } from '../bot/turnPipeline';

/** What every channel is built from (composed once in app/app.ts). */
export interface ChannelWiring {
  server: Server;
  redis: Redis;
  logger: Logger;
  pipeline: TurnPipeline;
  proactive: ProactiveMessenger;
  /** Transcript, conversation references, hand-off gate: in this order on every adapter. */
  middleware: TurnMiddleware[];
  bot: TurnHandler;
  choices: ChoiceMemory;
  kept: KeptMessages;
  attachments: ConversationAttachments;
  transcripts: TranscriptStore;
  gate: HandoffGate;
  forgetConversation: (channel: string, conversationId: string) => Promise<void>;
  limits: RateLimits;
}

/** The WeChat Official Account on /api/wechat, or a 404 there when its secrets are unset. */
export function wireWechat(settings: WechatSettings | undefined, w: ChannelWiring, passiveBudgetMs?: number): void {
  if (!settings) return channelOff(w.server, '/api/wechat', 'WECHAT_TOKEN, WECHAT_APPID and WECHAT_APPSECRET', ['get', 'post']);
  const api = new WechatApiClient(w.redis, {
    apiBase: settings.apiBase,
    appId: settings.appId,
    appSecret: settings.appSecret,
    logger: w.logger,
  });
  const budget = new WechatSendBudget(w.redis);
  const adapter = new WechatAdapter(api, budget, w.choices, w.kept, w.logger);
  for (const middleware of w.middleware) adapter.use(middleware);
  w.proactive.register([WECHAT_CHANNEL], (reference, logic) => adapter.continueConversation(reference, logic));
  new WechatChannel({
    settings,
    adapter,
    pipeline: w.pipeline,
    api,
    budget,
    kept: w.kept,
    choices: w.choices,
    attachments: w.attachments,
    redis: w.redis,
    logger: w.logger,
    bot: w.bot,
    limits: w.limits,
    forgetConversation: async (channel, openId) => {
      await w.forgetConversation(channel, openId);
      await budget.forget(openId);
    },
    passiveBudgetMs,
    forwardToAgent: (conversationId, message) => w.gate.forwardIfHandedOff(conversationId, message),
    recordInbound: async (conversationId, text, at) => {
      const timestamp = at.toISOString();
      await w.transcripts.append([
        {
          conversationId,
          channel: WECHAT_CHANNEL,
          direction: 'in',
          speaker: 'user',
          at: timestamp,
          activity: { type: 'message', text, from: { id: conversationId, role: 'user' }, timestamp },
        },
      ]);
    },
  }).register(w.server);
}

/** The Taobao chat relay on /api/taobao, or a 404 there when its secrets are unset. */
export function wireTaobao(settings: TaobaoSettings | undefined, w: ChannelWiring): void {
  if (!settings) return channelOff(w.server, '/api/taobao', 'TAOBAO_APP_KEY and TAOBAO_APP_SECRET', ['post']);
  const relay = settings.relayUrl
    ? new TaobaoRelayClient({ relayUrl: settings.relayUrl, appKey: settings.appKey, appSecret: settings.appSecret, logger: w.logger })
    : undefined;
  const adapter = new TaobaoAdapter(relay, w.choices, w.kept, w.logger);
  for (const middleware of w.middleware) adapter.use(middleware);
  w.proactive.register([TAOBAO_CHANNEL], (reference, logic) => adapter.continueConversation(reference, logic));
  new TaobaoChannel({
    settings,
    adapter,
    pipeline: w.pipeline,
    choices: w.choices,
    kept: w.kept,
    logger: w.logger,
    bot: w.bot,
    limits: w.limits,
  }).register(w.server);
}

/** A channel whose secrets are unset is off: its routes say so with a 404, never half-work. */
function channelOff(server: Server, route: string, variables: string, methods: ('get' | 'post')[]): void {
  for (const method of methods) {
    server[method](route, async (_req: unknown, res: Parameters<typeof refuse>[0]) =>
      refuse(res, 404, 'ChannelOff', `this channel is off: set ${variables} to turn it on`),
    );
  }
}
