import type { Redis } from 'ioredis';
import { z } from 'zod';
import { DEFAULT_CONVERSATION_IDLE_SECONDS, DEFAULT_TRANSCRIPT_KEEP_SECONDS, lifetimeSeconds } from '../common/retention';
import { calendarDayIn } from './workingHours';

export type CallbackStatus = 'open' | 'done';

/** A customer's request to be phoned by the service desk (登记回电). */
export interface Callback {
  /** C261122-0007: the day it was asked for on the desk's calendar, and that day's counter. */
  id: string;
  conversationId: string;
  channel: string;
  /** The bare 11 digits; the console masks it for whoever does not need it whole. */
  phone: string;
  note?: string;
  status: CallbackStatus;
  createdAt: string;
  doneAt?: string;
  doneBy?: string;
}

export interface CallbackInput {
  conversationId: string;
  channel: string;
  phone: string;
  note?: string;
}

export interface CallbackRequestsOptions {
  now?: () => Date;
  /** The zone whose calendar dates the ids; the desk's own by default. */
  timeZone?: string;
  /** The conversation's pointer to its open call-back lives as long as the conversation; default 30 days. */
  conversationIdleSeconds?: number;
  /** An open call-back is kept until an agent has phoned; a done one this long after (default 365 days, like transcripts). */
  keepDoneSeconds?: number;
}

export type CallbackErrorCode = 'invalid' | 'notFound' | 'conflict';

/** A request the desk refuses; `code` lets the dialogs and the console choose their own words. */
export class CallbackError extends Error {
  override readonly name = 'CallbackError';
  constructor(
    readonly code: CallbackErrorCode,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** A day's counter is only read on that day; three days covers any clock skew between instances. */
const SEQUENCE_TTL_S = 3 * 24 * 3600;
const MAX_ATTEMPTS = 10;

/** Customers give phones with spaces, dashes or +86; the desk stores the bare 11 digits. */
const mobilePhone = z
  .string()
  .transform((s) =>
    s
      .normalize('NFKC')
      .replace(/[\s\-()（）]/g, '')
      .replace(/^(?:\+?86)(?=1\d{10}$)/, ''),
  )
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number: 11 digits starting 13–19'));

const nonEmpty = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');

const inputSchema = z
  .object({
    conversationId: nonEmpty,
    channel: nonEmpty,
    phone: mobilePhone,
    note: z
      .string()
      .trim()
      .max(500, 'at most 500 characters')
      .optional()
      .transform((note) => note || undefined),
  })
  .strict();

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new CallbackError('invalid', `Invalid ${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues);
}

/** The canonical form `C261122-0007` of a call-back number as typed ("c2611220007", full-width …), or undefined. */
export function normalizeCallbackId(text: string): string | undefined {
  const folded = text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  const m = /^C(\d{6})[-–—]?(\d{4,})$/.exec(folded);
  return m ? `C${m[1]}-${m[2]}` : undefined;
}

const callbackKey = (id: string): string => `cs:callback:{${id}}`;
/** The conversation's open call-back, if any: asking again returns it instead of a second one. */
export const callbackPointerKey = (conversationId: string): string => `cs:conv:{${conversationId}}:callback`;
const OPEN_KEY = 'cs:callbacks:open';
const sequenceKey = (yymmdd: string): string => `cs:callbacks:seq:${yymmdd}`;

/** Writes only if nobody changed the call-back since we read it, to live ARGV[3] s. 1 written, 0 changed meanwhile. */
const SET_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

/** As SET_IF_UNCHANGED, keeping the key's lifetime as it is (an open call-back has none). */
const SET_IF_UNCHANGED_NO_TTL = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1`;

/** Forgets the conversation's pointer only if it still names this call-back (a newer one may have replaced it). */
const DEL_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Call-back requests (回电): outside service hours, or instead of waiting, the customer leaves a
 * mobile number and an agent phones them. At most one is open per conversation.
 */
export class CallbackRequests {
  private readonly now: () => Date;
  private readonly timeZone: string;
  private readonly conversationIdleSeconds: number;
  private readonly keepDoneSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: CallbackRequestsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
    this.conversationIdleSeconds = lifetimeSeconds(
      'conversationIdleSeconds',
      options.conversationIdleSeconds ?? DEFAULT_CONVERSATION_IDLE_SECONDS,
    );
    this.keepDoneSeconds = lifetimeSeconds('keepDoneSeconds', options.keepDoneSeconds ?? DEFAULT_TRANSCRIPT_KEEP_SECONDS);
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: this.timeZone });
    } catch {
      throw new RangeError(`Unknown time zone "${this.timeZone}"`);
    }
  }

  /**
   * Registers a call-back; resolves only once Redis has it. While the conversation already has an
   * open one, that one is returned unchanged (a retried message, or the customer asking twice).
   */
  async create(input: CallbackInput): Promise<Callback> {
    const valid = parseOrThrow(inputSchema, input, 'call-back request');
    const pointer = callbackPointerKey(valid.conversationId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existingId = await this.redis.get(pointer);
      if (existingId) {
        const existing = await this.get(existingId);
        // Reserved by an attempt that died before writing it: finish the job (same conversation).
        if (!existing) return this.write(existingId, valid);
        if (existing.status === 'open') return existing;
        await this.redis.eval(DEL_IF_EQUALS, 1, pointer, existingId);
        continue;
      }
      const id = await this.nextId(this.now());
      const reserved = await this.redis.set(pointer, id, 'EX', this.conversationIdleSeconds, 'NX');
      // Losing the race to a concurrent request of the same conversation: the loop returns the winner's.
      if (reserved === 'OK') return this.write(id, valid);
    }
    throw new CallbackError('conflict', `Call-back for ${valid.conversationId} is being changed by others; try again`);
  }

  async get(idOrText: string): Promise<Callback | undefined> {
    const id = normalizeCallbackId(idOrText);
    if (!id) return undefined;
    const json = await this.redis.get(callbackKey(id));
    return json ? (JSON.parse(json) as Callback) : undefined;
  }

  /** The conversation's call-back while it is still to be made. */
  async openFor(conversationId: string): Promise<Callback | undefined> {
    const id = await this.redis.get(callbackPointerKey(conversationId));
    const callback = id ? await this.get(id) : undefined;
    return callback?.status === 'open' ? callback : undefined;
  }

  /** Call-backs still to make, oldest first (the order agents should phone). */
  async open(): Promise<Callback[]> {
    const ids = await this.redis.zrange(OPEN_KEY, 0, -1);
    // One GET per key rather than MGET: the call-backs live in different cluster slots.
    const all = await Promise.all(ids.map((id) => this.get(id)));
    const open = all.filter((callback): callback is Callback => callback?.status === 'open');
    // done() removes from the index after writing, so a crash in between can leave an id behind.
    const stale = ids.filter((id) => !open.some((callback) => callback.id === id));
    if (stale.length > 0) await this.redis.zrem(OPEN_KEY, ...stale);
    return open;
  }

  /**
   * Adds a line to an open call-back's note (a reminder that could not be delivered joins the call
   * the customer is already waiting for, instead of being lost). A done one is left as it was.
   */
  async addNote(idOrText: string, line: string): Promise<Callback | undefined> {
    const id = normalizeCallbackId(idOrText);
    if (!id) return undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const json = await this.redis.get(callbackKey(id));
      if (!json) return undefined;
      const before = JSON.parse(json) as Callback;
      if (before.status !== 'open' || before.note?.includes(line)) return before;
      const note = (before.note ? `${before.note}\n${line}` : line).slice(0, 2000);
      const after: Callback = { ...before, note };
      const written = await this.redis.eval(SET_IF_UNCHANGED_NO_TTL, 1, callbackKey(id), json, JSON.stringify(after));
      if (written === 1) return after;
    }
    throw new CallbackError('conflict', `Call-back ${id} is being changed by others; try again`);
  }

  /** An agent has phoned the customer. Marking it done again keeps who did it first. */
  async done(idOrText: string, by: string): Promise<Callback> {
    const agent = parseOrThrow(nonEmpty, by, 'agent');
    const id = normalizeCallbackId(idOrText);
    if (!id) throw new CallbackError('notFound', `No call-back ${idOrText}`);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const json = await this.redis.get(callbackKey(id));
      if (!json) throw new CallbackError('notFound', `No call-back ${id}`);
      const before = JSON.parse(json) as Callback;
      if (before.status === 'done') {
        await this.unindex(before);
        return before;
      }
      const after: Callback = { ...before, status: 'done', doneAt: this.now().toISOString(), doneBy: agent };
      const written = await this.redis.eval(SET_IF_UNCHANGED, 1, callbackKey(id), json, JSON.stringify(after), this.keepDoneSeconds);
      if (written === 1) {
        await this.unindex(after);
        return after;
      }
    }
    throw new CallbackError('conflict', `Call-back ${id} is being changed by others; try again`);
  }

  /** Writes the call-back under `id` unless it exists, then indexes what is stored. */
  private async write(id: string, input: z.output<typeof inputSchema>): Promise<Callback> {
    const callback: Callback = { id, ...input, status: 'open', createdAt: this.now().toISOString() };
    const written = await this.redis.set(callbackKey(id), JSON.stringify(callback), 'NX');
    const stored = written === 'OK' ? callback : await this.get(id);
    if (!stored) throw new CallbackError('conflict', `Call-back ${id} vanished while being created`);
    if (stored.status === 'open') await this.redis.zadd(OPEN_KEY, Date.parse(stored.createdAt), id);
    return stored;
  }

  private async unindex(callback: Callback): Promise<void> {
    await this.redis.zrem(OPEN_KEY, callback.id);
    await this.redis.eval(DEL_IF_EQUALS, 1, callbackPointerKey(callback.conversationId), callback.id);
  }

  private async nextId(at: Date): Promise<string> {
    const d = calendarDayIn(at, this.timeZone);
    const yymmdd = `${String(d.year % 100).padStart(2, '0')}${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;
    const [[incrErr, seq], [expireErr]] = (await this.redis
      .multi()
      .incr(sequenceKey(yymmdd))
      .expire(sequenceKey(yymmdd), SEQUENCE_TTL_S)
      .exec()) as [[Error | null, number], [Error | null, unknown]];
    if (incrErr ?? expireErr) throw incrErr ?? expireErr;
    return `C${yymmdd}-${String(seq).padStart(4, '0')}`;
  }
}
