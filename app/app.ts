import type { AddressInfo } from 'node:net';
import type { Texts } from '../dialogs/texts';
import type { Server } from 'restify';
import { BOT_FRAMEWORK_CHANNEL, BotFrameworkChannel } from '../adapters/botframework/botFrameworkChannel';
import { ChoiceMemory } from '../adapters/choiceMemory';
import { KeptMessages } from '../adapters/keptMessages';
import { TopClient } from '../adapters/taobao/topClient';
import { WebPushHub } from '../adapters/web/pushHub';
import { ConversationAttachments } from '../desk/conversationAttachments';
import { WebAdapter } from '../adapters/web/webAdapter';
import { WebChannel } from '../adapters/web/webChannel';
import { pageHandoff } from '../adapters/web/handoffStatus';
import { WebConversations } from '../adapters/web/webConversations';
import { Catalogue } from '../desk/catalogue';
import { DistrictDirectory } from '../desk/districts';
import { VisitNetwork } from '../desk/visitNetwork';
import { DAY_SECONDS } from '../common/retention';
import { deskDataFile } from '../desk/dataFiles';
import { CallbackRequests } from '../desk/callbacks';
import { ConversationFactsStore } from '../desk/conversationFacts';
import { FlowDraftStore } from '../desk/flowDrafts';
import { HandoffQueue } from '../desk/handoff';
import { HandoffEvents } from '../desk/handoffEvents';
import { RatingStore } from '../desk/ratings';
import { CallbackDialog } from '../dialogs/callbackDialog';
import { RatingDialog } from '../dialogs/ratingDialog';
import { AccountError, FIRST_ADMIN_COMMAND } from '../console/accounts';
import { ConsoleAuth } from '../console/auth';
import { ConsoleChatRoutes } from '../console/chatRoutes';
import { ConsoleSecurityRoutes } from '../console/securityRoutes';
import { TrustedProxies } from '../common/clientAddress';
import { ConsoleUserRoutes } from '../console/userRoutes';
import { registerConsolePages } from '../console/pages';
import { agentMessage } from '../bot/speaker';
import { HandoffDesk } from '../desk/handoffDesk';
import { HandoffGate } from '../bot/handoffGate';
import { HandoffWatch } from '../bot/handoffWatch';
import { SerialRegistry } from '../desk/serialRegistry';
import { SecurityEvents } from '../desk/securityEvents';
import { TicketGuesses } from '../desk/ticketGuesses';
import { TicketChases } from '../desk/ticketChases';
import { openCallbackPromise } from '../desk/ticketPromises';
import { TicketOutbox } from '../desk/ticketOutbox';
import { TicketStore, extractTicketId } from '../desk/tickets';
import type { Ticket } from '../desk/model';
import { AtRiskTickets } from '../desk/atRiskTickets';
import { VisitReminders } from '../desk/visitReminders';
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
import { FactsExtractor } from '../knowledge/facts';
import { rememberable, type FactsReader } from '../dialogs/conversationMemory';
import { ServiceKnowledge } from '../knowledge/serviceKnowledge';
import { ProductScope } from '../knowledge/productScope';
import { createTokenizer } from '../knowledge/tokenizer';
import { TranscriptStore } from '../desk/transcripts';
import { RateLimits } from '../common/rateLimits';
import { MainDialog } from '../dialogs/mainDialog';
import { searchFaqFor } from '../dialogs/knowledgeServices';
import type { Config } from './config';
import { ConversationLock } from '../common/conversationLock';
import { ConversationOwners } from '../bot/conversationOwners';
import { ConversationReferences } from '../bot/conversationReferences';
import { ConversationRetention } from './conversationRetention';
import { ProactiveMessenger } from '../bot/proactive';
import { CustomerServiceBot } from '../bot/customerServiceBot';
import { InboundDedupe } from '../common/inboundDedupe';
import { createLogger, type Logger } from '../common/logger';
import { maskPersonalText } from '../desk/privacy';
import { connectRedis, type Redis } from '../common/redis';
import { RedisStorage } from '../bot/redisStorage';
import { baseUrlOf, createServer } from './server';
import { wireTaobao, wireWechat, type ChannelWiring } from './channels';
import { TranscriptMiddleware } from '../bot/transcriptMiddleware';
import { conversationStateOn, type TurnHandler } from '../bot/turnTypes';
import { TurnPipeline } from '../bot/turnPipeline';

export interface AppOptions {
  logger?: Logger;
  /** The clock, for tests that pin "today". */
  now?: () => Date;
  /** How long a WeChat turn may take before its answer goes through the customer-service API (default 4 s). */
  wechatPassiveBudgetMs?: number;
}

export interface App {
  readonly server: Server;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly transcripts: TranscriptStore;
  /** The hand-off to agents: queue, claims, hand-backs (the console drives it). */
  readonly handoff: HandoffDesk;
  readonly handoffQueue: HandoffQueue;
  readonly consoleAuth: ConsoleAuth;
  readonly tickets: TicketStore;
  readonly catalogue: Catalogue;
  readonly registry: SerialRegistry;
  readonly knowledge: ServiceKnowledge;
  /** The web channel's adapter, for messages that start on our side (agents, reminders). */
  readonly webAdapter: WebAdapter;
  /** Continues any conversation later, in its own channel (agents' replies, reminders). */
  readonly proactive: ProactiveMessenger;
  /** Visit reminders, contract notices, dispatch-deadline alerts (undefined with REMINDERS=off); the appointment desk's VisitReminderHook. */
  readonly reminders?: VisitReminders;
  /** Tickets at risk of missing their dispatch deadline, for the console. */
  readonly atRisk: AtRiskTickets;
  /** Listens on config.host and `port` (default: config.port; 0 for any free port) and resolves to a base URL that reaches it. */
  start(port?: number): Promise<string>;
  stop(): Promise<void>;
}

/** The composition root: builds every part of the service from the configuration, nothing global. */
export function createApp(config: Config, options: AppOptions = {}): App {
  if (!config.redisUrl) throw new Error('createApp needs config.redisUrl (index.ts starts a redis-server when it is unset)');
  const logger = options.logger ?? createLogger(config.logLevel, maskPersonalText);
  const trustedProxies = new TrustedProxies(config.trustedProxies);
  const redis = connectRedis(config.redisUrl, config.redisKeyPrefix);
  // The subscriber waits for Redis however long it takes, so pushes resume after an outage.
  const subscriber = connectRedis(config.redisUrl, config.redisKeyPrefix, { maxRetriesPerRequest: null });
  for (const client of [redis, subscriber]) client.on('error', (error) => logger.warn({ err: error }, 'redis connection problem'));

  // Every key has an end: idle conversations go whole, transcripts after their own retention (common/keyOwners.ts).
  const idleSeconds = config.retention.conversationIdleDays * DAY_SECONDS;
  const transcriptSeconds = config.retention.transcriptDays * DAY_SECONDS;
  const transcripts = new TranscriptStore(redis, { keepSeconds: transcriptSeconds, maxEntries: config.retention.transcriptMaxEntries });
  const storage = new RedisStorage(redis, { ttlSeconds: idleSeconds });
  const conversationState = conversationStateOn(storage);
  const references = new ConversationReferences(redis, { idleSeconds, alsoRefresh: new ConversationRetention({ idleSeconds }) });
  const owners = new ConversationOwners(redis, { idleDays: config.retention.conversationIdleDays });
  const proactive = new ProactiveMessenger(references, logger, owners);
  const choices = new ChoiceMemory(redis);
  const kept = new KeptMessages(redis);
  const attachments = new ConversationAttachments(redis, { idleSeconds });
  const topClient = config.taobao?.session
    ? new TopClient({
        apiBase: config.taobao.apiBase,
        appKey: config.taobao.appKey,
        appSecret: config.taobao.appSecret,
        session: config.taobao.session,
        logger,
      })
    : undefined;
  const now = options.now ?? (() => new Date());
  // A bad data file stops the start here, naming the file, the line and the reason.
  const catalogue = Catalogue.default();
  // Not used by a dialog yet (issue 14): checked now so a wrong service point or engineer stops the start.
  VisitNetwork.default({ districts: DistrictDirectory.forProvince('上海'), families: catalogue.categories().map((c) => c.id) });
  const registry = new SerialRegistry(redis, catalogue);
  const outbox = new TicketOutbox(redis, {
    webhookUrl: config.ticketWebhookUrl,
    secret: config.ticketWebhookSecret,
    logger,
  });
  // Filled in below once the reminders exist: a new on-site ticket gets its dispatch-deadline alert.
  let ticketCreated: (ticket: Ticket) => Promise<void> = async () => undefined;
  const tickets = new TicketStore(redis, { workingHours: config.workingHours, outbox, now, onCreated: (ticket) => ticketCreated(ticket) });
  const securityEvents = new SecurityEvents(redis, { now });
  const guesses = new TicketGuesses(redis, { events: securityEvents, logger });
  const callbacks = new CallbackRequests(redis, {
    now,
    timeZone: config.timeZone,
    conversationIdleSeconds: idleSeconds,
    keepDoneSeconds: transcriptSeconds,
  });
  const chases = new TicketChases(redis, { logger, now });
  const atRisk = new AtRiskTickets(redis, tickets, now);
  const reminders = config.reminders
    ? new VisitReminders({
        redisUrl: config.redisUrl,
        keyPrefix: config.redisKeyPrefix,
        redis,
        send: (conversationId, text) => proactive.send(conversationId, [{ type: 'message', text }]),
        callbacks,
        tickets,
        registry,
        atRisk,
        productName: (modelId, locale) => {
          const model = catalogue.model(modelId);
          return (locale === 'en' ? model?.nameEn : model?.name) ?? modelId;
        },
        logger,
        now,
      })
    : undefined;
  // The customer gets their ticket even when the alert cannot be scheduled right now; a replay schedules it.
  ticketCreated = async (ticket) =>
    reminders
      ?.ticketCreated(ticket)
      .catch((error: unknown) => logger.warn({ err: error, ticket: ticket.id }, 'dispatch alert not scheduled'));
  const desk: DeskServices = {
    catalogue,
    findSerial: (text) => SerialRegistry.extractSerial(text, catalogue),
    lookupUnit: (serial) => registry.lookup(serial),
    warrantyOf: statusOf,
    tickets,
    findTicketId: extractTicketId,
    allowTicketGuess: (ticketId, asker) => guesses.begin(ticketId, asker),
    recordTicketGuess: (attempt, matched, details) => guesses.settle(attempt, matched, details),
    today: () => todayIn(config.timeZone, now()),
    timeZone: config.timeZone,
    lookupOrder: topClient ? (orderId) => topClient.orderForWarranty(orderId) : undefined,
    attachmentsOf: (conversationId) => attachments.list(conversationId),
    now,
    openCallback: (conversationIds) => openCallbackPromise(callbacks, conversationIds, config.serviceHours, now()),
    // The customer gets their answer even when the desk cannot be told right now.
    chaseTicket: (chase) =>
      chases.chase(chase).then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error, ticket: chase.ticketId }, 'could not record a late ticket'),
      ),
  };
  const knowledge = buildKnowledge(catalogue, desk.today, config.llm ? new LlmAssistant(config.llm, logger) : undefined);
  const handoffEvents = new HandoffEvents(redis, subscriber, `${config.redisKeyPrefix}cs:handoff:events`);
  const handoffQueue = new HandoffQueue(redis, { now, idleSeconds });
  const facts = new ConversationFactsStore(redis, { idleSeconds });
  const drafts = new FlowDraftStore(redis, now);
  const scope = productScopeOf(catalogue, knowledge.manual.notOurs ?? [], knowledge.manual.otherBrands ?? []);
  desk.noteFacts = (conversationId, learnt) => facts.note(conversationId, learnt);
  desk.factsOf = (conversationId) => facts.get(conversationId);
  const factsReader = readerOfFacts(catalogue, desk.today);
  // Filled in below, once the adapters that reach customers exist.
  let tellCustomer: (conversationId: string, say: (texts: Texts) => string, about?: { agent?: string }) => Promise<void> = async () =>
    undefined;
  let resumeBot: (conversationId: string) => Promise<void> = async () => undefined;
  const handoff = new HandoffDesk({
    queue: handoffQueue,
    facts,
    transcripts,
    events: handoffEvents,
    ratings: new RatingStore(redis, { now }),
    callbacks,
    serviceHours: config.serviceHours,
    logger,
    now,
    agentJoined: (conversationId, agentName) => tellCustomer(conversationId, (texts) => texts.agentJoined(agentName), { agent: agentName }),
    resumeBot: (conversationId) => resumeBot(conversationId),
    chatClosed: (conversationId) => tellCustomer(conversationId, (texts) => texts.chatClosed),
  });
  const mainDialog = new MainDialog({
    people: handoff,
    callback: new CallbackDialog(handoff),
    understand: (text) => knowledge.understand(text),
    noteMessage: (conversationId, text) => facts.note(conversationId, rememberable(factsReader.read(text))),
    drafts,
    foreignProductIn: (text) => scope.foreignIn(text),
    answerable: async (text, locale) => (await searchFaqFor(knowledge, text, {}, locale)).confident,
    flows: {
      troubleshoot: new TroubleshootDialog(knowledge, { facts, catalogue }),
      faq: new FaqDialog(knowledge),
      fault_report: new FaultReportDialog(desk, factsReader),
      warranty: new WarrantyDialog(desk, factsReader),
      ticket_status: new TicketStatusDialog(desk),
      rating: new RatingDialog(handoff),
    },
  });
  const bot = new CustomerServiceBot(conversationState, mainDialog);
  const lock = new ConversationLock(redis);
  const pipeline = new TurnPipeline(new InboundDedupe(redis), lock, logger, owners);
  const gate = new HandoffGate(handoffQueue, handoffEvents, logger);

  // Pub/sub channel names are not keys, so ioredis does not prefix them: do it here.
  const pushHub = new WebPushHub(redis, subscriber, `${config.redisKeyPrefix}cs:web:push`, logger);
  // Pushes (an agent joining, writing, handing back) carry where the chat stands, for the page's header.
  const webAdapter = new WebAdapter(async (conversationId, activities) =>
    pushHub.push(conversationId, activities, pageHandoff(await handoffQueue.stateOf(conversationId))),
  );
  const transcriptMiddleware = new TranscriptMiddleware(transcripts);
  webAdapter.use(transcriptMiddleware).use(references).use(gate);
  proactive.register(['web'], (reference, logic) => webAdapter.continueConversation(reference, logic));
  const runBot: TurnHandler = (context) => bot.run(context);

  /** What the service keeps about a conversation, deleted when a customer leaves (WeChat unsubscribe). */
  const forgetConversation = async (channel: string, conversationId: string): Promise<void> => {
    await storage.delete([`${channel}/conversations/${conversationId}/`]);
    await Promise.all([
      transcripts.remove(conversationId),
      references.forget(conversationId),
      choices.forget(conversationId),
      kept.forget(conversationId),
      attachments.forget(conversationId),
      facts.forget(conversationId),
      drafts.discard(conversationId),
      handoffQueue.forget(conversationId),
      owners.forget(conversationId),
    ]);
  };

  const server = createServer(redis, logger);
  const limits = new RateLimits(config.rateLimits, redis, logger);
  const web = new WebChannel({
    adapter: webAdapter,
    pipeline,
    conversations: new WebConversations(redis, { idleSeconds }),
    transcripts,
    pushHub,
    logger,
    bot: runBot,
    limits,
    proxies: trustedProxies,
    handoffStateOf: (conversationId) => handoffQueue.stateOf(conversationId),
  });
  web.register(server);

  const wiring: ChannelWiring = {
    server,
    redis,
    logger,
    pipeline,
    proactive,
    middleware: [transcriptMiddleware, references, gate],
    bot: runBot,
    choices,
    kept,
    attachments,
    transcripts,
    gate,
    forgetConversation,
    limits,
  };
  wireWechat(config.wechat, wiring, options.wechatPassiveBudgetMs);
  wireTaobao(config.taobao, wiring);

  const botFramework = new BotFrameworkChannel({
    settings: config.botFramework,
    pipeline,
    middleware: [transcriptMiddleware, references, gate],
    logger,
    bot: runBot,
  });
  botFramework.register(server);
  // Every other channel id (emulator, msteams, webchat …) came through the Bot Framework.
  proactive.register([BOT_FRAMEWORK_CHANNEL, '*'], (reference, logic) => botFramework.continueConversation(reference, logic));

  // Outside a customer's turn, but one at a time with their turns: the lock keeps state consistent.
  tellCustomer = async (conversationId, say, about) => {
    await proactive.continueWith(conversationId, (context) => bot.tell(context, say, about));
  };
  resumeBot = async (conversationId) => {
    await lock.withLock(conversationId, () => proactive.continueWith(conversationId, (context) => bot.resumeAfterHandoff(context)));
  };

  const consoleAuth = new ConsoleAuth({
    redis,
    logger,
    secureCookies: config.consoleSecureCookies,
    trustedProxies,
    securityEvents,
    limits,
  });
  consoleAuth.register(server);
  new ConsoleSecurityRoutes({ auth: consoleAuth, events: securityEvents }).register(server);
  registerConsolePages(server);
  new ConsoleUserRoutes(consoleAuth, logger).register(server);
  new ConsoleChatRoutes({
    auth: consoleAuth,
    desk: handoff,
    queue: handoffQueue,
    events: handoffEvents,
    transcripts,
    facts,
    tickets,
    catalogue,
    redis,
    logger,
    today: desk.today,
    now,
    sendAsAgent: (conversationId, text, agent) => proactive.send(conversationId, [agentMessage(text, agent)]),
  }).register(server);
  const watch = new HandoffWatch({
    queue: handoffQueue,
    events: handoffEvents,
    redis,
    logger,
    tell: (conversationId, say) => tellCustomer(conversationId, say),
  });

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

  let adminRetry: NodeJS.Timeout | undefined;
  /** Like the registry: a Redis that is down at start delays the first admin, it does not stop the service. */
  const ensureConsoleAdmin = async (): Promise<void> => {
    try {
      if (!config.consoleAdmin) {
        // A first run otherwise leaves a console nobody can sign in to, without saying why.
        if ((await consoleAuth.accounts.list()).length === 0) {
          logger.warn(
            { command: FIRST_ADMIN_COMMAND },
            `no console account exists, so nobody can sign in at /console/; make the first admin with: ${FIRST_ADMIN_COMMAND}`,
          );
        }
        return;
      }
      const { username, password } = config.consoleAdmin;
      const admin = await consoleAuth.accounts.ensureFirstAdmin(username, password);
      if (admin === 'created') logger.info({ username }, 'console admin created');
    } catch (error) {
      if (error instanceof AccountError) throw error;
      logger.error({ err: error }, 'console admin not checked yet; retrying in 5 s');
      adminRetry = setTimeout(() => void ensureConsoleAdmin(), 5000);
      adminRetry.unref();
    }
  };

  return {
    server,
    redis,
    logger,
    transcripts,
    handoff,
    handoffQueue,
    consoleAuth,
    webAdapter,
    proactive,
    reminders,
    atRisk,
    tickets,
    catalogue,
    registry,
    knowledge,
    async start(port = config.port) {
      await loadRegistry();
      outbox.start();
      await ensureConsoleAdmin();
      watch.start();
      await pushHub.start();
      await reminders?.start();
      await new Promise<void>((resolve) => server.listen(port, config.host, resolve));
      const url = baseUrlOf(server.address() as AddressInfo);
      logger.info({ url }, 'service listening');
      return url;
    },
    async stop() {
      clearTimeout(registryRetry);
      clearTimeout(adminRetry);
      watch.stop();
      await reminders?.stop();
      await outbox.stop();
      web.close();
      pushHub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections?.();
      });
      // quit() flushes pending commands but waits forever on a Redis that is down.
      await Promise.allSettled([redis, subscriber].map((client) => (client.status === 'ready' ? client.quit() : client.disconnect())));
    },
  };
}

/** The catalogue's product words, as knowledge/ reads them (it never imports desk/). */
function productVocabulary(catalogue: Catalogue): ProductVocabulary {
  const categories = catalogue.categories();
  return {
    categories: categories.map((category) => ({ id: category.id, words: catalogue.categoryWords(category.id) })),
    models: catalogue
      .models()
      .map((model) => ({ id: model.id, category: model.category, names: [model.id, model.name, model.nameEn, ...model.aliases] })),
    serialPatterns: categories.map((category) => ({ category: category.id, pattern: category.serialPattern })),
  };
}

/** One facts extractor for every message of every flow, reading dates against the desk's today. */
function readerOfFacts(catalogue: Catalogue, today: () => string): FactsReader {
  const extractor = FactsExtractor.fromFiles(productVocabulary(catalogue));
  return { read: (text) => extractor.read(text, { today: today() }), describedSymptom: (answer) => extractor.describedSymptom(answer) };
}

/** What is ours (the catalogue's products, models and brands) and what is not (the manual's lists). */
export function productScopeOf(catalogue: Catalogue, notOurs: string[], otherBrands: string[]): ProductScope {
  const models = catalogue.models();
  // A model's brand is the first word of its name: 星耀 of 星耀 X20 Pro, Xingyao of Xingyao X20 Pro.
  const brands = models.flatMap((model) => [model.name, model.nameEn].map((name) => name.split(/\s+/)[0]));
  return new ProductScope({
    notOurs,
    otherBrands,
    categoryWords: catalogue.categories().flatMap((category) => [category.name, ...catalogue.categoryWords(category.id)]),
    ourNames: [...new Set([...brands, ...models.flatMap((model) => [model.id, model.name, model.nameEn, ...model.aliases])])],
  });
}

/**
 * The service manual, its indexes and the recognizer, checked against the catalogue: a manual that
 * names an unknown product stops the start, like a bad catalogue does.
 */
export function buildKnowledge(catalogue: Catalogue, today: () => string, llm?: LlmAssistant): ServiceKnowledge {
  const categories = catalogue.categories();
  const models = catalogue.models();
  const manual = loadManual(undefined, {
    known: { categories: categories.map((category) => category.id), models: models.map((model) => model.id) },
  });
  const vocabulary = productVocabulary(catalogue);
  const tokenizer = createTokenizer({
    dictionary: [...manual.dictionary, ...models.flatMap((model) => [model.id, model.name])],
    synonyms: manual.synonyms,
  });
  return new ServiceKnowledge(manual, tokenizer, IntentRecognizer.fromFile(undefined, vocabulary), today, llm);
}
