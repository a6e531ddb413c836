import restify, { type Request, type Response, type Server } from 'restify';
import { z } from 'zod';
import type { AgentIdentity, HandoffDesk } from '../desk/handoffDesk';
import { refuse } from '../common/httpErrors';
import type { Logger } from '../common/logger';
import type { DeliveryOutcome } from '../desk/delivery';
import type { Redis } from '../common/redis';
import type { Catalogue } from '../desk/catalogue';
import type { ConversationFactsStore } from '../desk/conversationFacts';
import type { HandoffQueue, HandoffRecord, HandoffSummary } from '../desk/handoff';
import type { HandoffEvent, HandoffEvents } from '../desk/handoffEvents';
import type { Ticket, TicketStatus } from '../desk/model';
import { TICKET_STATUSES, TicketError, type TicketStore } from '../desk/tickets';
import { textOfMessage, type RecordedMessage, type TranscriptEntry, type TranscriptStore } from '../desk/transcripts';
import { statusOf } from '../desk/warranty';
import { maskPersonalText, maskPhone } from '../desk/privacy';
import type { ConsoleAuth } from './auth';
import type { ConsoleSession } from './sessions';
import { describeZodError } from '../common/zodIssues';

const MAX_BODY_BYTES = 16 * 1024;
const KEEP_ALIVE_MS = 20_000;
const MESSAGE_REPLAY_SECONDS = 24 * 3600;

export interface ConsoleChatDeps {
  auth: ConsoleAuth;
  desk: HandoffDesk;
  queue: HandoffQueue;
  events: HandoffEvents;
  transcripts: TranscriptStore;
  facts: ConversationFactsStore;
  tickets: TicketStore;
  catalogue: Catalogue;
  redis: Redis;
  logger: Logger;
  /** Sends an agent's words into the customer's own channel (web push, WeChat API, Taobao relay …). */
  sendAsAgent: (conversationId: string, text: string, agent: AgentIdentity) => Promise<DeliveryOutcome>;
  today: () => string;
  now?: () => Date;
}

const STATUS_NAMES: Record<TicketStatus, string> = {
  new: '新建',
  accepted: '已受理',
  dispatched: '已派单',
  inRepair: '维修中',
  completed: '已完成',
  closed: '已关闭',
  cancelled: '已取消',
};

const SERVICE_MODE_NAMES: Record<string, string> = { onsite: '上门', carryIn: '送修', mailIn: '寄修' };

export const messageBody = z.object({
  text: z.string().trim().min(1, 'is empty').max(2000, 'is longer than 2000 characters'),
  id: z
    .string()
    .regex(/^[\w.:-]{1,128}$/, 'may hold only letters, digits, ".", ":", "_" and "-"')
    .optional(),
});

export const ticketBody = z.object({
  customerName: z.string().trim().min(1, 'is empty').max(40),
  phone: z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number'),
  modelId: z.string().min(1),
  symptom: z.string().trim().min(2, 'is too short').max(500),
  serviceMode: z.enum(['onsite', 'carryIn', 'mailIn']),
  area: z.enum(['city', 'suburb']).default('city'),
  address: z.string().trim().max(200).optional(),
});

export const moveBody = z.object({
  to: z.enum(TICKET_STATUSES as [TicketStatus, ...TicketStatus[]]),
  note: z.string().trim().max(500).optional(),
});

function agentOf(session: ConsoleSession): AgentIdentity {
  return { username: session.user.username, displayName: session.user.displayName || session.user.username };
}

/**
 * Who reads a chat's phones and addresses whole: only the agent talking with the customer right now,
 * who may have to call back or fill in a ticket. Managers, admins and the queue read them masked
 * (DESIGN §3); each time they are shown whole it is logged.
 */
function holdsChat(session: ConsoleSession, record: HandoffRecord | undefined): boolean {
  return record?.state === 'withAgent' && record.agentId === session.user.username;
}

/** What an agent may do with a chat: agents only with their own, managers and admins read any. */
function mayRead(session: ConsoleSession, record: HandoffRecord | undefined): boolean {
  if (session.user.role !== 'agent') return true;
  return record?.agentId === session.user.username;
}

/**
 * The console's chat API (`/api/console/…`): the queue, claiming, the chat itself, the ticket panel,
 * and a Server-Sent Events stream of what happens, fed by Redis pub/sub from every process.
 */
export class ConsoleChatRoutes {
  private readonly now: () => Date;

  constructor(private readonly deps: ConsoleChatDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  register(server: Server): void {
    const { auth } = this.deps;
    const body = restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true });
    const anyone = ['agent', 'manager', 'admin'] as const;
    server.get(
      '/api/console/queue',
      auth.guard([...anyone], (_req, res, session) => this.queueList(res, session)),
    );
    server.get(
      '/api/console/chats',
      auth.guard([...anyone], (_req, res, session) => this.myChats(res, session)),
    );
    server.post(
      '/api/console/chats/:id/claim',
      auth.guard([...anyone], (req, res, session) => this.claim(req, res, session)),
    );
    server.get(
      '/api/console/chats/:id/transcript',
      auth.guard([...anyone], (req, res, session) => this.transcript(req, res, session)),
    );
    server.post(
      '/api/console/chats/:id/messages',
      body,
      auth.guard([...anyone], (req, res, session) => this.send(req, res, session)),
    );
    server.post(
      '/api/console/chats/:id/handback',
      auth.guard([...anyone], (req, res, session) => this.handBack(req, res, session)),
    );
    server.post(
      '/api/console/chats/:id/close',
      auth.guard([...anyone], (req, res, session) => this.close(req, res, session)),
    );
    server.get(
      '/api/console/chats/:id/tickets',
      auth.guard([...anyone], (req, res, session) => this.chatTickets(req, res, session)),
    );
    server.post(
      '/api/console/chats/:id/tickets',
      body,
      auth.guard([...anyone], (req, res, session) => this.createTicket(req, res, session)),
    );
    server.post(
      '/api/console/tickets/:ticketId/moves',
      body,
      auth.guard([...anyone], (req, res, session) => this.moveTicket(req, res, session)),
    );
    server.get(
      '/api/console/events',
      auth.guard([...anyone], (req, res, session) => this.stream(req, res, session)),
    );
  }

  private async queueList(res: Response, session: ConsoleSession): Promise<void> {
    await this.deps.queue.heartbeat(session.user.username);
    const now = this.now().getTime();
    const waiting = await this.deps.queue.waiting();
    res.send(200, {
      waiting: waiting.map((record, index) => ({
        conversationId: record.conversationId,
        channel: record.channel,
        reason: record.reason,
        priority: record.priority,
        waitingSince: record.waitingSince,
        waitSeconds: record.waitingSince ? Math.max(0, Math.round((now - Date.parse(record.waitingSince)) / 1000)) : 0,
        position: index + 1,
        summary: summaryView(record.summary),
      })),
    });
  }

  private async myChats(res: Response, session: ConsoleSession): Promise<void> {
    const chats = await this.deps.queue.chatsOf(session.user.username);
    res.send(200, { chats: chats.map((record) => this.chatView(record)) });
  }

  private async claim(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const conversationId = req.params.id as string;
    const result = await this.deps.desk.claim(conversationId, agentOf(session));
    if (result.ok) return void res.send(200, { chat: this.chatView(result.record) });
    if (result.reason === 'takenBy') return refuse(res, 409, 'AlreadyTaken', '这个会话已被其他客服接入');
    if (result.reason === 'atCapacity') return refuse(res, 409, 'AtCapacity', '您同时接待的会话已达上限，请先结束一个会话');
    refuse(res, 409, 'NotWaiting', '这个会话已不在等待队列中');
  }

  private async transcript(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const conversationId = req.params.id as string;
    const record = await this.deps.queue.get(conversationId);
    if (!mayRead(session, record)) return refuse(res, 403, 'NotYourChat', '只能查看自己接待的会话');
    const entries = (await this.deps.transcripts.read(conversationId)).map(entryView);
    if (!holdsChat(session, record))
      return void res.send(200, { entries: entries.map((entry) => ({ ...entry, text: maskPersonalText(entry.text) })) });
    const unmasked = entries.filter((entry) => maskPersonalText(entry.text) !== entry.text).length;
    if (unmasked > 0) this.logUnmasking(session, conversationId, 'transcript', unmasked);
    res.send(200, { entries });
  }

  private async send(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const conversationId = req.params.id as string;
    const parsed = messageBody.safeParse(req.body);
    if (!parsed.success) return refuse(res, 400, 'InvalidBody', describeZodError(parsed.error));
    const record = await this.deps.queue.get(conversationId);
    if (record?.state !== 'withAgent' || record.agentId !== session.user.username) {
      return refuse(res, 403, 'NotYourChat', '只能在自己接待中的会话里发消息');
    }
    const { text, id } = parsed.data;
    // A retried send (same id) answers like the first and sends nothing twice.
    const replayKey = id ? `cs:console:sent:{${conversationId}}:${session.user.username}:${id}` : undefined;
    if (replayKey) {
      const claimed = await this.deps.redis.set(replayKey, '', 'EX', MESSAGE_REPLAY_SECONDS, 'NX');
      if (claimed !== 'OK') {
        const first = await this.deps.redis.get(replayKey);
        if (first) return void res.send(200, JSON.parse(first) as object);
        return refuse(res, 409, 'StillSending', 'the first send with this id is still in progress');
      }
    }
    const agent = agentOf(session);
    const at = this.now().toISOString();
    const delivery = await this.deps.sendAsAgent(conversationId, text, agent);
    const answer = { entry: { id: id ?? at, at, speaker: 'agent', text, by: agent.displayName }, delivery };
    if (replayKey) await this.deps.redis.set(replayKey, JSON.stringify(answer), 'EX', MESSAGE_REPLAY_SECONDS);
    if (delivery.status !== 'delivered')
      this.deps.logger.warn({ conversation: conversationId, agent: agent.username, delivery }, 'agent message not delivered now');
    res.send(200, answer);
  }

  private async handBack(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const result = await this.deps.desk.handBack(req.params.id as string, agentOf(session));
    if (!result.ok) return refuse(res, 409, 'NotYourChat', '只能交还自己接待中的会话');
    res.send(200, { chat: this.chatView(result.record) });
  }

  private async close(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const result = await this.deps.desk.close(req.params.id as string, agentOf(session));
    if (!result.ok) return refuse(res, 409, 'NotYourChat', '只能结束自己接待中的会话');
    res.send(200, { chat: this.chatView(result.record) });
  }

  private async chatTickets(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const conversationId = req.params.id as string;
    if (!mayRead(session, await this.deps.queue.get(conversationId))) return refuse(res, 403, 'NotYourChat', '只能查看自己接待的会话');
    const facts = await this.deps.facts.get(conversationId);
    const found = new Map<string, Ticket>();
    const byId = facts.ticketId ? await this.deps.tickets.get(facts.ticketId) : undefined;
    if (byId) found.set(byId.id, byId);
    if (facts.phone) for (const ticket of await this.deps.tickets.byPhone(facts.phone)) found.set(ticket.id, ticket);
    res.send(200, { tickets: [...found.values()].map((ticket) => this.ticketView(ticket)) });
  }

  private async createTicket(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const conversationId = req.params.id as string;
    const record = await this.deps.queue.get(conversationId);
    if (record?.state !== 'withAgent' || record.agentId !== session.user.username)
      return refuse(res, 403, 'NotYourChat', '只能为自己接待中的会话建工单');
    const parsed = ticketBody.safeParse(req.body);
    if (!parsed.success) return refuse(res, 400, 'InvalidBody', describeZodError(parsed.error));
    const input = parsed.data;
    const model = this.deps.catalogue.model(input.modelId) ?? this.deps.catalogue.findModel(input.modelId);
    const category = model ? this.deps.catalogue.category(model.category) : undefined;
    if (!model || !category) return refuse(res, 400, 'InvalidBody', `modelId: 没有型号 ${input.modelId}`);
    if (!category.serviceModes.includes(input.serviceMode)) {
      return refuse(res, 400, 'InvalidBody', `serviceMode: ${model.name} 不支持${SERVICE_MODE_NAMES[input.serviceMode]}`);
    }
    if (input.serviceMode !== 'carryIn' && !input.address) return refuse(res, 400, 'InvalidBody', 'address: 上门和寄修需要地址');
    // Without a purchase record the agent's ticket starts as paid service; the desk corrects it on proof.
    const verdict = statusOf({ category, today: this.deps.today(), facts: { hasProof: false } });
    const agent = agentOf(session);
    try {
      const ticket = await this.deps.tickets.create(
        {
          customer: { name: input.customerName, phone: input.phone },
          product: { modelId: model.id, category: category.id },
          warranty: { status: verdict.status, serviceKind: verdict.serviceKind, endsOn: verdict.endsOn },
          fault: { symptom: input.symptom, liquid: false, physicalDamage: false, disassembled: false },
          serviceMode: input.serviceMode,
          area: input.area,
          address: input.address,
          consent: { fee: true, at: this.now().toISOString() },
          channel: record.channel,
          conversationId,
          stepsTried: record.summary.stepsTried,
        },
        `agent:${agent.username}`,
      );
      await this.deps.facts.note(conversationId, { ticketId: ticket.id });
      res.send(201, { ticket: this.ticketView(ticket) });
    } catch (error) {
      if (error instanceof TicketError) return refuse(res, 400, 'InvalidBody', error.message);
      throw error;
    }
  }

  private async moveTicket(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const parsed = moveBody.safeParse(req.body);
    if (!parsed.success) return refuse(res, 400, 'InvalidBody', describeZodError(parsed.error));
    const ticket = await this.deps.tickets.get(req.params.ticketId as string);
    if (!ticket) return refuse(res, 404, 'UnknownTicket', `没有工单 ${req.params.ticketId as string}`);
    if (!mayRead(session, await this.deps.queue.get(ticket.conversationId)))
      return refuse(res, 403, 'NotYourChat', '只能处理自己接待的会话的工单');
    try {
      const moved = await this.deps.tickets.move(ticket.id, parsed.data.to, `agent:${session.user.username}`, parsed.data.note);
      res.send(200, { ticket: this.ticketView(moved) });
    } catch (error) {
      if (error instanceof TicketError) return refuse(res, 409, 'IllegalMove', error.message);
      throw error;
    }
  }

  /** Server-Sent Events: the queue for everyone, messages and state changes of one's own chats. */
  private async stream(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const username = session.user.username;
    // Before any await: a client gone while we subscribe must still end the stream, or its
    // keep-alive (and heartbeat) would run on forever.
    const closed = new Promise<void>((resolve) => req.on('close', resolve));
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    const write = (event: HandoffEvent) => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const stop = await this.deps.events.listen((event) => {
      if (event.type === 'queue') return write(event);
      void this.deps.queue.get(event.conversationId).then((record) => {
        const mine = record?.agentId === username || (event.type === 'chat' && event.agentId === username);
        if (!mine && session.user.role === 'agent') return;
        if (event.type !== 'message') return write(event);
        const masked = maskPersonalText(event.entry.text);
        if (masked === event.entry.text) return write(event);
        if (!holdsChat(session, record)) return write({ ...event, entry: { ...event.entry, text: masked } });
        this.logUnmasking(session, event.conversationId, 'live', 1);
        write(event);
      });
    });
    await this.deps.queue.heartbeat(username);
    const keepAlive = setInterval(() => {
      res.write(': keep-alive\n\n');
      void this.deps.queue.heartbeat(username).catch(() => undefined);
    }, KEEP_ALIVE_MS);
    await closed;
    clearInterval(keepAlive);
    stop();
  }

  private chatView(record: HandoffRecord): object {
    return {
      conversationId: record.conversationId,
      channel: record.channel,
      state: record.state,
      claimedAt: record.claimedAt,
      summary: summaryView(record.summary),
    };
  }

  /** DESIGN §3: every unmasking is logged — who saw a conversation's phones or addresses whole, where. */
  private logUnmasking(session: ConsoleSession, conversationId: string, view: 'transcript' | 'live', entries: number): void {
    this.deps.logger.info(
      { event: 'console.unmasked', agent: session.user.username, conversation: conversationId, view, entries },
      'customer data shown unmasked',
    );
  }

  private ticketView(ticket: Ticket): object {
    const model = this.deps.catalogue.model(ticket.product.modelId);
    return {
      id: ticket.id,
      status: ticket.status,
      statusName: STATUS_NAMES[ticket.status],
      product: model?.name ?? ticket.product.modelId,
      // A customer may write a phone or an address into the symptom or the name field.
      symptom: maskPersonalText(ticket.fault.symptom),
      serviceMode: SERVICE_MODE_NAMES[ticket.serviceMode] ?? ticket.serviceMode,
      customerName: maskPersonalText(ticket.customer.name),
      phoneMasked: maskPhone(ticket.customer.phone),
      createdAt: ticket.createdAt,
    };
  }
}

/**
 * The queue's summary as every agent sees it: the customer's last words masked (they are stored
 * masked; records from before that are masked here).
 */
function summaryView(summary: HandoffSummary): HandoffSummary {
  return { ...summary, lastMessages: summary.lastMessages.map(maskPersonalText) };
}

interface EntryView {
  id: string;
  at: string;
  speaker: string;
  text: string;
  by?: string;
}

function entryView(entry: TranscriptEntry): EntryView {
  const activity = entry.activity as RecordedMessage & { from?: { name?: string } };
  return {
    id: entry.id,
    at: entry.at,
    speaker: entry.speaker,
    text: textOfMessage(activity),
    by: entry.speaker === 'agent' ? activity.from?.name : undefined,
  };
}
