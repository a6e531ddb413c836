import type { Redis } from 'ioredis';
import { z } from 'zod';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, lifetimeSeconds } from '../common/retention';
import { describeZodError } from '../common/zodIssues';
import { DEFAULT_WAIT_POLICY, estimateWait, HandlingTimes, type WaitEstimate, type WaitPolicy } from './waitEstimate';

export type HandoffState = 'bot' | 'waiting' | 'withAgent' | 'closed';
export type EscalationReason = 'asked' | 'misunderstood' | 'troubleshootFailed' | 'complaint' | 'safety';

export const HANDOFF_STATES: readonly HandoffState[] = ['bot', 'waiting', 'withAgent', 'closed'];
export const ESCALATION_REASONS: readonly EscalationReason[] = ['asked', 'misunderstood', 'troubleshootFailed', 'complaint', 'safety'];

/** Higher goes first: safety words jump the queue, complaints next. */
export const ESCALATION_PRIORITY: Record<EscalationReason, number> = {
  safety: 3,
  complaint: 2,
  asked: 1,
  misunderstood: 1,
  troubleshootFailed: 1,
};

export interface HandoffSummary {
  intent?: string;
  product?: string;
  warranty?: string;
  ticketId?: string;
  stepsTried?: string[];
  lastMessages: string[];
  customerName?: string;
  phoneMasked?: string;
}

export interface HandoffMove {
  at: string;
  by: string;
  from: HandoffState;
  to: HandoffState;
}

export interface HandoffRecord {
  conversationId: string;
  channel: string;
  state: HandoffState;
  reason: EscalationReason;
  priority: number;
  summary: HandoffSummary;
  /** ISO time the current wait began; kept while with an agent so the console can show how long it took. */
  waitingSince?: string;
  agentId?: string;
  claimedAt?: string;
  alertedAt?: string;
  /** Every state move, oldest first: who, when, from, to. */
  moves: HandoffMove[];
}

export interface EscalateInput {
  conversationId: string;
  channel: string;
  reason: EscalationReason;
  summary: HandoffSummary;
  by?: string;
}

export interface EscalateResult {
  record: HandoffRecord;
  /** 1-based; 0 when already with an agent. */
  position: number;
  /** What to tell the customer about the wait; undefined when already with an agent. */
  wait?: WaitEstimate;
  already: boolean;
}

export type ClaimResult =
  { ok: true; record: HandoffRecord } | { ok: false; reason: 'notWaiting' | 'takenBy' | 'atCapacity'; agentId?: string };
export type MoveResult = { ok: true; record: HandoffRecord } | { ok: false; reason: 'notWaiting' | 'notYours' | 'notWithAgent' };

export interface HandoffQueueOptions {
  now?: () => Date;
  /** Minutes one chat takes until enough chats have ended to tell from their history. */
  averageHandleMinutes?: number;
  /** How the wait is estimated from who is online and how long recent chats took. */
  waitPolicy?: Partial<WaitPolicy>;
  maxChatsPerAgent?: number;
  presenceTtlSeconds?: number;
  /**
   * A record back with the bot (handed back, closed, cancelled) lives this long; default 30 days.
   * While waiting or with an agent it has no TTL: the queue and the agent own it until they end it.
   */
  idleSeconds?: number;
}

export type HandoffErrorCode = 'invalid' | 'corrupt';

/** Bad input from a caller ('invalid') or stored data that no longer reads as a record ('corrupt'). */
export class HandoffError extends Error {
  override readonly name = 'HandoffError';
  constructor(
    readonly code: HandoffErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// One hash tag for every key, so each Lua script's keys share a cluster slot.
const ROOT = 'cs:handoff:{q}';
const QUEUE_KEY = `${ROOT}:queue`;
const PRESENCE_KEY = `${ROOT}:presence`;
const convKey = (id: string): string => `${ROOT}:conv:${id}`;
const movesKey = (id: string): string => `${ROOT}:moves:${id}`;
const agentKey = (agentId: string): string => `${ROOT}:agent:${agentId}`;

const MAX_PRIORITY = Math.max(...Object.values(ESCALATION_PRIORITY));
/**
 * Queue score = (MAX_PRIORITY - priority) * band + waiting-since ms, so ascending order is priority
 * first, then longest wait. 1e13 ms reaches the year 2286, and 4e13 stays well inside a double's exact
 * integers.
 */
const PRIORITY_BAND = 1e13;
/** Forget reads the holder, then deletes only if it is still the holder; a claim in between retries. */
const MAX_FORGET_ATTEMPTS = 10;

/** Lua numbers print as %.14g; format the score ourselves so no millisecond is rounded away. */
const LUA_SCORE = `
local function score(priority, waitingMs)
  return string.format('%.0f', (tonumber(ARGV[10]) - priority) * tonumber(ARGV[9]) + waitingMs)
end`;

/**
 * KEYS: conv, queue, moves. ARGV: id, channel, reason, priority, summary, nowIso, nowMs, by, band, maxPriority.
 * Returns the state before. Re-escalating a waiting chat keeps its waitingSince (its place in line),
 * raises the priority only upwards, refreshes the summary and re-adds the queue entry (heals a lost one).
 * A waiting record never expires: it leaves the queue only when claimed or cancelled.
 */
const ESCALATE = `${LUA_SCORE}
local state = redis.call('HGET', KEYS[1], 'state') or 'bot'
if state == 'withAgent' then return state end
if state == 'waiting' then
  local priority = tonumber(redis.call('HGET', KEYS[1], 'priority'))
  local wanted = tonumber(ARGV[4])
  if wanted > priority then
    priority = wanted
    redis.call('HSET', KEYS[1], 'reason', ARGV[3], 'priority', ARGV[4])
  end
  redis.call('HSET', KEYS[1], 'summary', ARGV[5])
  redis.call('ZADD', KEYS[2], score(priority, tonumber(redis.call('HGET', KEYS[1], 'waitingMs'))), ARGV[1])
  return state
end
redis.call('HDEL', KEYS[1], 'agentId', 'claimedAt', 'alertedAt')
redis.call('HSET', KEYS[1], 'conversationId', ARGV[1], 'channel', ARGV[2], 'state', 'waiting', 'reason', ARGV[3],
  'priority', ARGV[4], 'summary', ARGV[5], 'waitingSince', ARGV[6], 'waitingMs', ARGV[7])
redis.call('ZADD', KEYS[2], score(tonumber(ARGV[4]), tonumber(ARGV[7])), ARGV[1])
redis.call('RPUSH', KEYS[3], cjson.encode({at = ARGV[6], by = ARGV[8], from = state, to = 'waiting'}))
redis.call('PERSIST', KEYS[1])
redis.call('PERSIST', KEYS[3])
return state`;

/** KEYS: conv, queue, agent's chats, moves. ARGV: id, agentId, nowIso, maxChats. */
const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'withAgent' then
  local holder = redis.call('HGET', KEYS[1], 'agentId')
  if holder == ARGV[2] then return {'ok'} end
  return {'takenBy', holder}
end
if state ~= 'waiting' then return {'notWaiting'} end
if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[4]) then return {'atCapacity'} end
redis.call('HSET', KEYS[1], 'state', 'withAgent', 'agentId', ARGV[2], 'claimedAt', ARGV[3])
redis.call('HDEL', KEYS[1], 'alertedAt')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('RPUSH', KEYS[4], cjson.encode({at = ARGV[3], by = ARGV[2], from = 'waiting', to = 'withAgent'}))
return {'ok'}`;

/** KEYS: conv, agent's chats, moves. ARGV: id, agentId, to, nowIso, idleMs. Back with the bot, the record expires. */
const RELEASE = `
if redis.call('HGET', KEYS[1], 'state') ~= 'withAgent' then return 'notWithAgent' end
if redis.call('HGET', KEYS[1], 'agentId') ~= ARGV[2] then return 'notYours' end
redis.call('HSET', KEYS[1], 'state', ARGV[3])
redis.call('HDEL', KEYS[1], 'agentId', 'claimedAt', 'waitingSince', 'waitingMs', 'alertedAt')
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[3], cjson.encode({at = ARGV[4], by = ARGV[2], from = 'withAgent', to = ARGV[3]}))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return 'ok'`;

/** KEYS: conv, queue, moves. ARGV: id, by, nowIso, idleMs. Back with the bot, the record expires. */
const CANCEL = `
if redis.call('HGET', KEYS[1], 'state') ~= 'waiting' then return 'notWaiting' end
redis.call('HSET', KEYS[1], 'state', 'bot')
redis.call('HDEL', KEYS[1], 'waitingSince', 'waitingMs', 'alertedAt')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[3], cjson.encode({at = ARGV[3], by = ARGV[2], from = 'waiting', to = 'bot'}))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return 'ok'`;

/** KEYS: conv. ARGV: nowIso. Only a chat still waiting can be alerted about. */
const MARK_ALERTED = `
if redis.call('HGET', KEYS[1], 'state') ~= 'waiting' then return 0 end
redis.call('HSET', KEYS[1], 'alertedAt', ARGV[1])
return 1`;

/** KEYS: conv, queue, moves[, holder's chats]. ARGV: id, expected holder ('' for none). 0 = holder changed, retry. */
const FORGET = `
if (redis.call('HGET', KEYS[1], 'agentId') or '') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('ZREM', KEYS[2], ARGV[1])
if #KEYS >= 4 then redis.call('SREM', KEYS[4], ARGV[1]) end
return 1`;

/** A stored JSON string, parsed; bad JSON becomes a zod issue rather than an exception. */
const jsonString = z.string().transform((s, ctx): unknown => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

const stateSchema = z.enum(HANDOFF_STATES as [HandoffState, ...HandoffState[]]);
const reasonSchema = z.enum(ESCALATION_REASONS as [EscalationReason, ...EscalationReason[]]);
const nonEmpty = z.string().trim().min(1, 'must not be empty');

const summarySchema: z.ZodType<HandoffSummary> = z.object({
  intent: z.string().optional(),
  product: z.string().optional(),
  warranty: z.string().optional(),
  ticketId: z.string().optional(),
  stepsTried: z.array(z.string()).optional(),
  lastMessages: z.array(z.string()),
  customerName: z.string().optional(),
  phoneMasked: z.string().optional(),
});

const escalateInputSchema = z.object({
  conversationId: nonEmpty,
  channel: nonEmpty,
  reason: reasonSchema,
  summary: summarySchema,
  by: nonEmpty.optional(),
});

const moveSchema = z.object({ at: z.string(), by: z.string(), from: stateSchema, to: stateSchema });

const storedSchema = z.object({
  conversationId: z.string().min(1),
  channel: z.string(),
  state: stateSchema,
  reason: reasonSchema,
  priority: z.coerce.number().int(),
  summary: jsonString.pipe(summarySchema),
  waitingSince: z.string().optional(),
  agentId: z.string().optional(),
  claimedAt: z.string().optional(),
  alertedAt: z.string().optional(),
  moves: z.array(jsonString.pipe(moveSchema)),
});

function parseRecord(id: string, fields: Record<string, string>, moves: string[]): HandoffRecord | undefined {
  if (Object.keys(fields).length === 0) return undefined;
  const parsed = storedSchema.safeParse({ ...fields, moves });
  if (!parsed.success)
    throw new HandoffError('corrupt', `Hand-off record of ${id} is unreadable: ${describeZodError(parsed.error, { root: '(root)' })}`);
  return parsed.data;
}

/** A MULTI reply's values, failing loudly on the first command error. */
function replies(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error('Redis transaction was aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The hand-off queue (转人工): conversations waiting for an agent, the agent holding each chat, and
 * who is online. Every state move (DESIGN §6) is one Lua script, so the state, the queue and the
 * agent's set of chats never disagree, and every move is kept on the record.
 */
export class HandoffQueue {
  private readonly now: () => Date;
  private readonly waitPolicy: WaitPolicy;
  private readonly handlingTimes: HandlingTimes;
  private readonly maxChatsPerAgent: number;
  private readonly presenceTtlMs: number;
  private readonly idleMs: number;

  constructor(
    private readonly redis: Redis,
    options: HandoffQueueOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.waitPolicy = {
      ...DEFAULT_WAIT_POLICY,
      ...(options.averageHandleMinutes !== undefined ? { defaultHandleMinutes: options.averageHandleMinutes } : {}),
      ...options.waitPolicy,
    };
    this.handlingTimes = new HandlingTimes(redis);
    this.maxChatsPerAgent = options.maxChatsPerAgent ?? 5;
    this.presenceTtlMs = (options.presenceTtlSeconds ?? 90) * 1000;
    this.idleMs = lifetimeSeconds('idleSeconds', options.idleSeconds ?? DEFAULT_CONVERSATION_IDLE_SECONDS) * 1000;
  }

  /** bot|closed → waiting; waiting stays put (a higher priority raises it); withAgent is left alone. */
  async escalate(input: EscalateInput): Promise<EscalateResult> {
    const parsed = escalateInputSchema.safeParse(input);
    if (!parsed.success) throw new HandoffError('invalid', `Invalid escalation: ${describeZodError(parsed.error, { root: '(root)' })}`);
    const { conversationId: id, channel, reason, summary, by = 'bot' } = parsed.data;
    const at = this.now();
    const before = asString(
      await this.redis.eval(
        ESCALATE,
        3,
        convKey(id),
        QUEUE_KEY,
        movesKey(id),
        id,
        channel,
        reason,
        ESCALATION_PRIORITY[reason],
        JSON.stringify(summary),
        at.toISOString(),
        at.getTime(),
        by,
        PRIORITY_BAND,
        MAX_PRIORITY,
      ),
    );
    const { record, rank } = await this.snapshot(id);
    if (!record) throw new HandoffError('corrupt', `Hand-off record of ${id} vanished while escalating`);
    const position = positionOf(record, rank) ?? 0;
    return {
      record,
      position,
      wait: record.state === 'waiting' ? await this.waitFor(position) : undefined,
      already: before === 'waiting' || before === 'withAgent',
    };
  }

  /** undefined when the conversation was never escalated (= 'bot'). */
  async get(conversationId: string): Promise<HandoffRecord | undefined> {
    return (await this.snapshot(conversationId)).record;
  }

  /** The turn gate's fast path: one HGET, 'bot' when unknown. */
  async stateOf(conversationId: string): Promise<HandoffState> {
    const state = stateSchema.safeParse(await this.redis.hget(convKey(conversationId), 'state'));
    return state.success ? state.data : 'bot';
  }

  /** 1-based place in line while waiting, 0 while with an agent, undefined otherwise. */
  async position(conversationId: string): Promise<number | undefined> {
    const { record, rank } = await this.snapshot(conversationId);
    return record ? positionOf(record, rank) : undefined;
  }

  /**
   * The wait of whoever is at `position` (1-based): from the agents online, the room they have and
   * how long recent chats took.
   */
  async waitFor(position: number): Promise<WaitEstimate> {
    const agents = await this.onlineAgents();
    let chats: unknown[] = [];
    if (agents.length > 0) {
      const tx = this.redis.multi();
      for (const agent of agents) tx.scard(agentKey(agent));
      chats = replies(await tx.exec());
    }
    const agentsWithRoom = chats.filter((count) => Number(count) < this.maxChatsPerAgent).length;
    return estimateWait(
      { ahead: Math.max(0, position - 1), agentsOnline: agents.length, agentsWithRoom, handlingSeconds: await this.handlingTimes.recent() },
      this.waitPolicy,
    );
  }

  /** The queue: priority first, then who has waited longest. */
  async waiting(): Promise<HandoffRecord[]> {
    const ids = await this.redis.zrange(QUEUE_KEY, 0, -1);
    return (await this.load(ids)).filter((r) => r.state === 'waiting');
  }

  /** Atomic: of two agents claiming at once exactly one wins; an agent at capacity is refused. */
  async claim(conversationId: string, agentId: string): Promise<ClaimResult> {
    const reply = (await this.redis.eval(
      CLAIM,
      4,
      convKey(conversationId),
      QUEUE_KEY,
      agentKey(agentId),
      movesKey(conversationId),
      conversationId,
      agentId,
      this.now().toISOString(),
      this.maxChatsPerAgent,
    )) as string[];
    const [outcome, holder] = reply;
    if (outcome === 'ok') return { ok: true, record: await this.require(conversationId) };
    if (outcome === 'takenBy') return { ok: false, reason: 'takenBy', agentId: holder };
    return { ok: false, reason: outcome === 'atCapacity' ? 'atCapacity' : 'notWaiting' };
  }

  /** withAgent (this agent) → bot; the bot then asks for a rating. */
  async handBack(conversationId: string, agentId: string): Promise<MoveResult> {
    return this.release(conversationId, agentId, 'bot');
  }

  /** withAgent (this agent) → closed. */
  async close(conversationId: string, agentId: string): Promise<MoveResult> {
    return this.release(conversationId, agentId, 'closed');
  }

  /** waiting → bot: the customer cancelled or took a call-back instead. */
  async cancel(conversationId: string, by = 'customer'): Promise<MoveResult> {
    const outcome = await this.redis.eval(
      CANCEL,
      3,
      convKey(conversationId),
      QUEUE_KEY,
      movesKey(conversationId),
      conversationId,
      by,
      this.now().toISOString(),
      this.idleMs,
    );
    if (outcome !== 'ok') return { ok: false, reason: 'notWaiting' };
    return { ok: true, record: await this.require(conversationId) };
  }

  /** The chats an agent holds, longest-held first. */
  async chatsOf(agentId: string): Promise<HandoffRecord[]> {
    const ids = await this.redis.smembers(agentKey(agentId));
    const records = (await this.load(ids)).filter((r) => r.state === 'withAgent' && r.agentId === agentId);
    return records.sort((a, b) => (a.claimedAt ?? '').localeCompare(b.claimedAt ?? ''));
  }

  /** Presence is the time of the last heartbeat; an agent is online for presenceTtlSeconds after it. */
  async heartbeat(agentId: string): Promise<void> {
    await this.redis.zadd(PRESENCE_KEY, this.now().getTime(), agentId);
  }

  async goOffline(agentId: string): Promise<void> {
    await this.redis.zrem(PRESENCE_KEY, agentId);
  }

  async onlineAgents(): Promise<string[]> {
    const cutoff = this.now().getTime() - this.presenceTtlMs;
    const [, online] = replies(
      await this.redis.multi().zremrangebyscore(PRESENCE_KEY, '-inf', cutoff).zrangebyscore(PRESENCE_KEY, `(${cutoff}`, '+inf').exec(),
    );
    return online as string[];
  }

  /** Waiting longer than `olderThanMs` and not alerted within the last `olderThanMs`, in queue order. */
  async overdue(olderThanMs: number): Promise<HandoffRecord[]> {
    const now = this.now().getTime();
    const since = (iso: string | undefined): number => (iso === undefined ? Infinity : now - Date.parse(iso));
    // The queue is short (tens of chats), so filtering it beats an index per priority band.
    return (await this.waiting()).filter((r) => since(r.waitingSince) > olderThanMs && since(r.alertedAt) >= olderThanMs);
  }

  async markAlerted(conversationId: string): Promise<void> {
    await this.redis.eval(MARK_ALERTED, 1, convKey(conversationId), this.now().toISOString());
  }

  /** Deletes a conversation's hand-off data (the customer unsubscribed or asked for deletion under PIPL). */
  async forget(conversationId: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_FORGET_ATTEMPTS; attempt++) {
      const holder = (await this.redis.hget(convKey(conversationId), 'agentId')) ?? '';
      const keys = [convKey(conversationId), QUEUE_KEY, movesKey(conversationId)];
      if (holder) keys.push(agentKey(holder));
      const done = await this.redis.eval(FORGET, keys.length, ...keys, conversationId, holder);
      if (done === 1) return;
    }
    throw new Error(`Hand-off of ${conversationId} keeps changing hands; could not forget it`);
  }

  private async release(conversationId: string, agentId: string, to: 'bot' | 'closed'): Promise<MoveResult> {
    const outcome = await this.redis.eval(
      RELEASE,
      3,
      convKey(conversationId),
      agentKey(agentId),
      movesKey(conversationId),
      conversationId,
      agentId,
      to,
      this.now().toISOString(),
      this.idleMs,
    );
    if (outcome === 'notWithAgent' || outcome === 'notYours') return { ok: false, reason: outcome };
    const record = await this.require(conversationId);
    await this.recordHandlingTime(record);
    return { ok: true, record };
  }

  /** From the claim to now: the claim is the last move into withAgent (the record's claimedAt is gone). */
  private async recordHandlingTime(record: HandoffRecord): Promise<void> {
    const claim = [...record.moves].reverse().find((move) => move.to === 'withAgent');
    if (!claim) return;
    await this.handlingTimes.record((this.now().getTime() - Date.parse(claim.at)) / 1000);
  }

  /** Record and queue rank read in one MULTI, so the position matches the state it is shown with. */
  private async snapshot(id: string): Promise<{ record?: HandoffRecord; rank: number | null }> {
    const [fields, moves, rank] = replies(
      await this.redis.multi().hgetall(convKey(id)).lrange(movesKey(id), 0, -1).zrank(QUEUE_KEY, id).exec(),
    );
    return { record: parseRecord(id, fields as Record<string, string>, moves as string[]), rank: rank as number | null };
  }

  private async require(id: string): Promise<HandoffRecord> {
    const record = await this.get(id);
    if (!record) throw new HandoffError('corrupt', `Hand-off record of ${id} vanished`);
    return record;
  }

  /** Records in the order of `ids`, skipping any forgotten meanwhile. */
  private async load(ids: string[]): Promise<HandoffRecord[]> {
    if (ids.length === 0) return [];
    const tx = this.redis.multi();
    for (const id of ids) tx.hgetall(convKey(id)).lrange(movesKey(id), 0, -1);
    const values = replies(await tx.exec());
    return ids
      .map((id, i) => parseRecord(id, values[2 * i] as Record<string, string>, values[2 * i + 1] as string[]))
      .filter((r): r is HandoffRecord => r !== undefined);
  }
}

function positionOf(record: HandoffRecord, rank: number | null): number | undefined {
  if (record.state === 'withAgent') return 0;
  if (record.state === 'waiting' && rank !== null) return rank + 1;
  return undefined;
}
