import type { AddressInfo } from 'node:net';
import { ConversationState } from 'botbuilder';
import type { Server } from 'restify';
import { WebPushHub } from '../adapters/web/pushHub';
import { WebAdapter } from '../adapters/web/webAdapter';
import { WebChannel } from '../adapters/web/webChannel';
import { WebConversations } from '../adapters/web/webConversations';
import { Catalogue } from '../desk/catalogue';
import { deskDataFile } from '../desk/dataFiles';
import { HumanRequests } from '../desk/humanRequests';
import { SerialRegistry } from '../desk/serialRegistry';
import { TicketGuesses } from '../desk/ticketGuesses';
import { TicketOutbox } from '../desk/ticketOutbox';
import { TicketStore, extractTicketId } from '../desk/tickets';
import { statusOf, todayIn } from '../desk/warranty';
import type { DeskServices } from '../dialogs/deskServices';
import { FaultReportDialog } from '../dialogs/faultReportDialog';
import { TicketStatusDialog } from '../dialogs/ticketStatusDialog';
import { WarrantyDialog } from '../dialogs/warrantyDialog';
import { FaqDialog } from '../dialogs/faqDialog';
import { TroubleshootDialog } from '../dialogs/troubleshootDialog';
import { LlmAssistant } from '../knowledge/llm';
import { loadManual } from '../knowledge/manual';
import { IntentRecognizer, type ProductVocabulary } from '../knowledge/recognizer';
import { ServiceKnowledge } from '../knowledge/serviceKnowledge';
import { createTokenizer } from '../knowledge/tokenizer';
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
  /** The clock, for tests that pin "today". */
  now?: () => Date;
}

export interface App {
  readonly server: Server;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly transcripts: TranscriptStore;
  readonly humanRequests: HumanRequests;
  readonly tickets: TicketStore;
  readonly catalogue: Catalogue;
  readonly registry: SerialRegistry;
  readonly knowledge: ServiceKnowledge;
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
  const now = options.now ?? (() => new Date());
  // A bad data file stops the start here, naming the file, the line and the reason.
  const catalogue = Catalogue.default();
  const registry = new SerialRegistry(redis, catalogue);
  const outbox = new TicketOutbox(redis, {
    webhookUrl: config.ticketWebhookUrl,
    secret: config.ticketWebhookSecret,
    logger,
  });
  const tickets = new TicketStore(redis, { workingHours: config.workingHours, outbox, now });
  const guesses = new TicketGuesses(redis);
  const desk: DeskServices = {
    catalogue,
    findSerial: (text) => SerialRegistry.extractSerial(text, catalogue),
    lookupUnit: (serial) => registry.lookup(serial),
    warrantyOf: statusOf,
    tickets,
    findTicketId: extractTicketId,
    allowTicketGuess: (conversationId) => guesses.gate(conversationId),
    recordTicketGuess: (conversationId, success) => guesses.record(conversationId, success),
    today: () => todayIn(config.timeZone, now()),
    timeZone: config.timeZone,
  };
  const knowledge = buildKnowledge(catalogue, desk.today, config.llm ? new LlmAssistant(config.llm, logger) : undefined);
  const mainDialog = new MainDialog({
    humanRequests,
    understand: (text) => knowledge.understand(text),
    flows: {
      troubleshoot: new TroubleshootDialog(knowledge),
      faq: new FaqDialog(knowledge),
      fault_report: new FaultReportDialog(desk),
      warranty: new WarrantyDialog(desk),
      ticket_status: new TicketStatusDialog(desk),
    },
  });
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

  let registryRetry: NodeJS.Timeout | undefined;
  /** A Redis that is down at start must not keep the service down: health says 503 meanwhile. */
  const loadRegistry = async (): Promise<void> => {
    try {
      const units = await registry.loadCsv(deskDataFile('serials.csv'));
      logger.info({ units }, 'serial-number registry loaded');
    } catch (error) {
      logger.error({ err: error }, 'serial-number registry not loaded yet; retrying in 5 s');
      registryRetry = setTimeout(() => void loadRegistry(), 5000);
      registryRetry.unref();
    }
  };

  return {
    server,
    redis,
    logger,
    transcripts,
    humanRequests,
    webAdapter,
    tickets,
    catalogue,
    registry,
    knowledge,
    async start(port = config.port) {
      await loadRegistry();
      outbox.start();
      await pushHub.start();
      await new Promise<void>((resolve) => server.listen(port, resolve));
      const address = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${address.port}`;
      logger.info({ url }, 'service listening');
      return url;
    },
    async stop() {
      clearTimeout(registryRetry);
      await outbox.stop();
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

/**
 * The service manual, its indexes and the recognizer, checked against the catalogue: a manual that
 * names an unknown product stops the start, like a bad catalogue does.
 */
function buildKnowledge(catalogue: Catalogue, today: () => string, llm?: LlmAssistant): ServiceKnowledge {
  const categories = catalogue.categories();
  const models = catalogue.models();
  const manual = loadManual(undefined, {
    known: { categories: categories.map((category) => category.id), models: models.map((model) => model.id) },
  });
  const vocabulary: ProductVocabulary = {
    categories: categories.map((category) => ({ id: category.id, words: catalogue.categoryWords(category.id) })),
    models: models.map((model) => ({ id: model.id, category: model.category, names: [model.id, model.name, model.nameEn, ...model.aliases] })),
    serialPatterns: categories.map((category) => ({ category: category.id, pattern: category.serialPattern })),
  };
  const tokenizer = createTokenizer({ dictionary: [...manual.dictionary, ...models.flatMap((model) => [model.id, model.name])], synonyms: manual.synonyms });
  return new ServiceKnowledge(manual, tokenizer, IntentRecognizer.fromFile(undefined, vocabulary), today, llm);
}
