import type { AddressInfo } from 'node:net';
import { ConversationState } from 'botbuilder';
import type { Server } from 'restify';
import { WebPushHub } from '../adapters/web/pushHub';
import { WebAdapter } from '../adapters/web/webAdapter';
import { WebChannel } from '../adapters/web/webChannel';
import { WebConversations } from '../adapters/web/webConversations';
import { HumanRequests } from '../desk/humanRequests';
import { TranscriptStore } from '../desk/transcripts';
import { MainDialog } from '../dialogs/mainDialog';
import type { Config } from './config';
import { ConversationLock } from './conversationLock';
import { CustomerServiceBot } from './customerServiceBot';
import { InboundDedupe } from './inboundDedupe';
import { createLogger, type Logger } from './logger';
import { connectRedis, type Redis } from './redis';
import { RedisStorage } from './redisStorage';
import { createServer } from './server';
import { TranscriptMiddleware } from './transcriptMiddleware';
import { TurnPipeline } from './turnPipeline';

export interface AppOptions {
  logger?: Logger;
}

export interface App {
  readonly server: Server;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly transcripts: TranscriptStore;
  readonly humanRequests: HumanRequests;
  /** The web channel's adapter, for messages that start on our side (agents, reminders). */
  readonly webAdapter: WebAdapter;
  /** Listens on `port` (default: config.port; 0 for any free port) and resolves to the base URL. */
  start(port?: number): Promise<string>;
  stop(): Promise<void>;
}

/** The composition root: builds every part of the service from the configuration, nothing global. */
export function createApp(config: Config, options: AppOptions = {}): App {
  if (!config.redisUrl) throw new Error('createApp needs config.redisUrl (index.ts starts a redis-server when it is unset)');
  const logger = options.logger ?? createLogger(config.logLevel);
  const redis = connectRedis(config.redisUrl, config.redisKeyPrefix);
  // The subscriber waits for Redis however long it takes, so pushes resume after an outage.
  const subscriber = connectRedis(config.redisUrl, config.redisKeyPrefix, { maxRetriesPerRequest: null });
  for (const client of [redis, subscriber]) client.on('error', (error) => logger.warn({ err: error }, 'redis connection problem'));

  const transcripts = new TranscriptStore(redis);
  const humanRequests = new HumanRequests(redis);
  const conversationState = new ConversationState(new RedisStorage(redis));
  const mainDialog = new MainDialog({ humanRequests });
  const bot = new CustomerServiceBot(conversationState, mainDialog);
  const pipeline = new TurnPipeline(new InboundDedupe(redis), new ConversationLock(redis), logger);

  // Pub/sub channel names are not keys, so ioredis does not prefix them: do it here.
  const pushHub = new WebPushHub(redis, subscriber, `${config.redisKeyPrefix}cs:web:push`, logger);
  const webAdapter = new WebAdapter((conversationId, activities) => pushHub.push(conversationId, activities));
  webAdapter.use(new TranscriptMiddleware(transcripts));

  const server = createServer(redis, logger);
  const web = new WebChannel({
    adapter: webAdapter,
    pipeline,
    conversations: new WebConversations(redis),
    transcripts,
    pushHub,
    logger,
    bot: (context) => bot.run(context),
  });
  web.register(server);

  return {
    server,
    redis,
    logger,
    transcripts,
    humanRequests,
    webAdapter,
    async start(port = config.port) {
      await pushHub.start();
      await new Promise<void>((resolve) => server.listen(port, resolve));
      const address = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${address.port}`;
      logger.info({ url }, 'service listening');
      return url;
    },
    async stop() {
      web.close();
      pushHub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections?.();
      });
      // quit() flushes pending commands but waits forever on a Redis that is down.
      await Promise.allSettled(
        [redis, subscriber].map((client) => (client.status === 'ready' ? client.quit() : client.disconnect())),
      );
    },
  };
}
