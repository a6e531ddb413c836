import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Activity, TurnContext } from 'botbuilder';
import restify, { type Request, type Response, type Server } from 'restify';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { LockTimeoutError } from '../../common/conversationLock';
import { refuse } from '../../common/httpErrors';
import { DuplicateStillRunningError } from '../../common/inboundDedupe';
import type { Logger } from '../../common/logger';
import { projectRoot } from '../../desk/dataFiles';
import type { TurnPipeline } from '../../bot/turnPipeline';
import type { TranscriptStore } from '../../desk/transcripts';
import type { WebPushHub } from './pushHub';
import { BOT_ACCOUNT, WEB_CHANNEL, type WebAdapter } from './webAdapter';
import type { WebConversations } from './webConversations';
import { describeZodError } from '../../common/zodIssues';
import { VALUE_LIMITS, boundedJson, withinJsonLimits } from '../../common/jsonLimits';
import { pageHeaders, strictCsp } from '../../common/securityHeaders';
import type { TrustedProxies } from '../../common/clientAddress';
import { refuseRateLimited, type RateLimits } from '../../common/rateLimits';
import { speakerMarkOf } from '../../bot/speaker';
import { pageHandoff, withPeople, type HandoffStateOf, type PageHandoff } from './handoffStatus';

export const MAX_BODY_BYTES = 64 * 1024;
/** Frames over this close the socket with 1009; pings (at most 125 bytes) fit well within it. */
export const STREAM_MAX_INBOUND_BYTES = 4096;

export const createBody = withinJsonLimits(z.object({ locale: z.string().max(20).optional() }).optional());

export const messageBody = withinJsonLimits(
  z
    .object({
      id: z
        .string()
        .min(1)
        .max(128)
        .regex(/^[\w.:-]+$/, 'may hold only letters, digits, ".", ":", "_" and "-"')
        .optional(),
      text: z.string().max(4000).optional(),
      // A button's payload: JSON data, but small and flat (the transcript and dialogs walk it).
      value: boundedJson(VALUE_LIMITS).optional(),
      locale: z.string().max(20).optional(),
    })
    .refine((body) => (body.text ?? '').trim() !== '' || body.value !== undefined, {
      message: 'needs a non-empty "text" or a "value"',
    }),
);

const STATIC_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/chat.js': 'chat.js',
  '/chat.css': 'chat.css',
};
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The chat page runs only chat.js and chat.css and talks only to its own API and push stream.
 * CSP level 3 lets `'self'` cover ws:/wss: to the page's own host, but browsers that follow
 * level 2 (older Safari) need the stream's origin spelled out: the Host the browser asked for,
 * and only when that looks like a host name or address.
 */
export function webChatCsp(host: string | undefined): string {
  const streamOrigins = host && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return strictCsp(`'self'${streamOrigins}`);
}

export interface WebChannelDeps {
  adapter: WebAdapter;
  pipeline: TurnPipeline;
  conversations: WebConversations;
  transcripts: TranscriptStore;
  pushHub: WebPushHub;
  logger: Logger;
  bot: (context: TurnContext) => Promise<void>;
  limits: RateLimits;
  /** Whose X-Forwarded-For names the client whose counters a request lands on. */
  proxies: TrustedProxies;
  /** Where the conversation stands with the agents; without it the page is not told. */
  handoffStateOf?: HandoffStateOf;
}

function bearerToken(req: Request): string | undefined {
  const header = req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** The customer's web chat: the page at `/`, its JSON API and its push stream (docs/contracts.md §2). */
export class WebChannel {
  /** Nothing inbound is needed (see WebPushHub.attach); the limit only bounds what ws buffers. */
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: STREAM_MAX_INBOUND_BYTES });
  private readonly publicDir = path.join(projectRoot(), 'adapters', 'web', 'public');

  constructor(private readonly deps: WebChannelDeps) {
    // With noServer ws emits none today; a listener keeps a future one from stopping the process.
    this.sockets.on('error', (error) => this.deps.logger.error({ err: error }, 'web stream server error'));
  }

  register(server: Server): void {
    const body = restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true });
    server.post('/api/web/conversations', body, this.createConversation.bind(this));
    server.post('/api/web/conversations/:id/messages', body, this.postMessage.bind(this));
    server.get('/api/web/conversations/:id/history', this.history.bind(this));
    for (const route of Object.keys(STATIC_FILES)) server.get(route, this.serveStatic.bind(this));
    server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node takes its own error listener off an upgraded socket: a browser resetting the
      // connection while we check its token would otherwise stop the process.
      socket.on('error', (error) => this.deps.logger.info({ err: error }, 'web stream connection error'));
      this.openStream(req, socket, head).catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'web stream upgrade failed');
        socket.destroy();
      });
    });
  }

  close(): void {
    this.sockets.close();
  }

  private async createConversation(req: Request, res: Response): Promise<void> {
    const limit = await this.deps.limits.consume('webConversationsPerIp', this.clientOf(req));
    if (!limit.allowed) return refuseRateLimited(res, limit, 'new conversations from this address');
    const parsed = createBody.safeParse(req.body ?? undefined);
    if (!parsed.success) return refuse(res, 400, 'InvalidBody', describeZodError(parsed.error));
    const conversation = await this.deps.conversations.create();
    const activity: Partial<Activity> = {
      ...this.envelope(conversation.conversationId, conversation.userId, parsed.data?.locale),
      type: 'conversationUpdate',
      membersAdded: [{ id: conversation.userId, name: 'customer' }],
    };
    const result = await this.deps.pipeline.handle(
      { channel: WEB_CHANNEL, conversationId: conversation.conversationId, messageId: 'welcome' },
      () => this.deps.adapter.runTurn(activity, this.deps.bot),
    );
    res.send(201, { conversationId: conversation.conversationId, token: conversation.token, activities: result.replies });
  }

  private async postMessage(req: Request, res: Response): Promise<void> {
    // The address first: it also holds back guessing at conversations and tokens.
    const fromAddress = await this.deps.limits.consume('messagesPerIp', this.clientOf(req));
    if (!fromAddress.allowed) return refuseRateLimited(res, fromAddress, 'messages from this address');
    const conversationId = await this.authorize(req, res);
    if (!conversationId) return;
    const inConversation = await this.deps.limits.consume('messagesPerConversation', conversationId);
    if (!inConversation.allowed) return refuseRateLimited(res, inConversation, 'messages in this conversation');
    const parsed = messageBody.safeParse(req.body);
    if (!parsed.success) return refuse(res, 400, 'InvalidBody', describeZodError(parsed.error));

    const { id, text, value, locale } = parsed.data;
    const userId = (await this.deps.conversations.userOf(conversationId)) ?? 'web-user';
    const activity: Partial<Activity> = {
      ...this.envelope(conversationId, userId, locale),
      type: 'message',
      id: id ?? randomUUID(),
      text: text ?? (typeof value === 'string' ? value : undefined),
      value,
    };
    try {
      const before = await this.deps.handoffStateOf?.(conversationId);
      const result = await this.deps.pipeline.handle({ channel: WEB_CHANNEL, conversationId, messageId: id }, () =>
        this.deps.adapter.runTurn(activity, this.deps.bot),
      );
      const after = await this.deps.handoffStateOf?.(conversationId);
      // Waiting or with an agent, the gate passes the message on without a reply: the page says so.
      const toAgents = before !== undefined && after !== undefined && withPeople(before) && withPeople(after);
      res.send(200, { activities: result.replies, ...(after ? { handoff: pageHandoff(after), toAgents } : {}) });
    } catch (error) {
      if (!(error instanceof LockTimeoutError || error instanceof DuplicateStillRunningError)) throw error;
      res.header('Retry-After', '2');
      refuse(res, 503, 'Busy', 'the previous message of this conversation is still being answered; retry with the same id');
    }
  }

  private async history(req: Request, res: Response): Promise<void> {
    const conversationId = await this.authorize(req, res);
    if (!conversationId) return;
    const entries = await this.deps.transcripts.read(conversationId);
    // The desk's own notes of hand-off moves ("转人工（…），排队第 1 位") are for agents and managers:
    // the customer was told in words of their own, which carry a speaker mark.
    const activities = entries
      .filter((entry) => entry.speaker !== 'system' || speakerMarkOf(entry.activity))
      .map((entry) => ({
        ...entry.activity,
        from: { ...((entry.activity.from as object | undefined) ?? {}), role: entry.speaker },
      }));
    const handoff: PageHandoff | undefined = this.deps.handoffStateOf
      ? pageHandoff(await this.deps.handoffStateOf(conversationId))
      : undefined;
    res.send(200, { activities, ...(handoff ? { handoff } : {}) });
  }

  private async serveStatic(req: Request, res: Response): Promise<void> {
    const file = STATIC_FILES[req.path()];
    const content = await readFile(path.join(this.publicDir, file));
    res.writeHead(200, {
      ...pageHeaders(CONTENT_TYPES[path.extname(file)], webChatCsp(req.header('host'))),
      'Content-Length': content.length,
    });
    res.end(content);
  }

  private async openStream(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/api\/web\/conversations\/([^/]+)\/stream$/.exec(url.pathname);
    if (!match) return reject(socket, 404, 'Not Found');
    const conversationId = decodeURIComponent(match[1]);
    const access = await this.deps.conversations.check(conversationId, url.searchParams.get('token') ?? undefined);
    if (access === 'unknownConversation') return reject(socket, 404, 'Not Found');
    if (access === 'badToken') return reject(socket, 401, 'Unauthorized');
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.deps.pushHub.attach(conversationId, ws));
  }

  /** The conversation a request may speak in, or undefined after refusing it (404 or 401). */
  private async authorize(req: Request, res: Response): Promise<string | undefined> {
    const conversationId = req.params.id as string;
    const access = await this.deps.conversations.check(conversationId, bearerToken(req));
    if (access === 'unknownConversation') refuse(res, 404, 'UnknownConversation', `no conversation ${conversationId}`);
    else if (access === 'badToken') refuse(res, 401, 'Unauthorized', 'missing or wrong bearer token for this conversation');
    return access === 'granted' ? conversationId : undefined;
  }

  private clientOf(req: Request): string {
    return this.deps.proxies.clientOf({ socketAddress: req.socket.remoteAddress, forwardedFor: req.headers['x-forwarded-for'] });
  }

  /** The parts of an inbound activity every web message shares. */
  private envelope(conversationId: string, userId: string, locale?: string): Partial<Activity> {
    return {
      channelId: WEB_CHANNEL,
      serviceUrl: 'web',
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: userId, name: 'customer', role: 'user' },
      recipient: BOT_ACCOUNT,
      locale,
      timestamp: new Date(),
    };
  }
}

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
