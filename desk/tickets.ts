import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Area, Ticket, TicketDraft, TicketEvent, TicketStatus } from './model';
import { SERVICE_MODES } from './model';
import type { TicketOutbox } from './ticketOutbox';
import { addWorkingHours, calendarDayIn, type WorkingHours } from './workingHours';

/** Ticket numbers carry the date on the desk's own calendar, whatever zone the process runs in. */
const ID_TIME_ZONE = 'Asia/Shanghai';
/** 市区六小时、郊区七小时派工制. */
const DISPATCH_HOURS = { city: 6, suburb: 7 } as const;

/** When an engineer must be there for a report made at `reportedAt`: 6 working hours in the city, 7 in the suburbs. */
export function dispatchDeadlineOf(reportedAt: Date, area: Area, workingHours: WorkingHours): Date {
  return addWorkingHours(reportedAt, DISPATCH_HOURS[area], workingHours);
}
/** Long enough for any channel to stop retrying a 报修; short enough not to keep keys forever. */
const IDEMPOTENCY_TTL_S = 7 * 24 * 3600;
const MAX_CAS_ATTEMPTS = 20;

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'accepted', 'dispatched', 'inRepair', 'completed', 'closed', 'cancelled'];
const FINAL: ReadonlySet<TicketStatus> = new Set(['completed', 'closed', 'cancelled']);
const NEXT: Readonly<Record<TicketStatus, TicketStatus | undefined>> = {
  new: 'accepted',
  accepted: 'dispatched',
  dispatched: 'inRepair',
  inRepair: 'completed',
  completed: 'closed',
  closed: undefined,
  cancelled: undefined,
};

/** Still needs work: the SLA clocks run and it may be cancelled. */
export function isOpen(status: TicketStatus): boolean {
  return !FINAL.has(status);
}

export function canMove(from: TicketStatus, to: TicketStatus): boolean {
  return NEXT[from] === to || (to === 'cancelled' && isOpen(from));
}

export type TicketErrorCode = 'invalid' | 'notFound' | 'illegalMove' | 'final' | 'conflict';

/** A request the desk refuses; `code` lets the dialogs and the console choose their own words. */
export class TicketError extends Error {
  override readonly name = 'TicketError';
  constructor(
    readonly code: TicketErrorCode,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export type TicketPatch = Partial<
  Pick<TicketDraft, 'address' | 'serviceMode' | 'customer' | 'attachments' | 'stepsTried' | 'feeEstimate' | 'consent'>
>;

export interface TicketStoreOptions {
  workingHours: WorkingHours;
  outbox?: TicketOutbox;
  now?: () => Date;
  /**
   * Told of every ticket once it is stored (and again when a retried 报修 replays it): the dispatch
   * deadline's alert is scheduled from here. Must be idempotent; its failure does not undo the ticket.
   */
  onCreated?: (ticket: Ticket) => Promise<void>;
}

const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/** Customers give phones with spaces, dashes or +86; the desk stores the bare 11 digits. */
const mobilePhone = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, '').replace(/^(?:\+?86)(?=1\d{10}$)/, ''))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number: 11 digits starting 13–19'));

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const customerSchema = z.object({ name: nonEmpty, phone: mobilePhone });
const feeEstimateSchema = z
  .object({ minYuan: z.number().nonnegative(), maxYuan: z.number().nonnegative() })
  .refine((f) => f.minYuan <= f.maxYuan, { message: 'minYuan must not exceed maxYuan' });
const consentSchema = z.object({ fee: z.boolean(), at: z.string().optional() });
const serviceModeSchema = z.enum(SERVICE_MODES as [TicketDraft['serviceMode'], ...TicketDraft['serviceMode'][]]);

const draftShape = z.object({
  customer: customerSchema,
  product: z.object({ modelId: nonEmpty, category: nonEmpty, serial: z.string().trim().min(1).optional() }),
  purchaseDate: calendarDate.optional(),
  warranty: z.object({
    status: z.enum(['refund', 'exchange', 'repair', 'outOfWarranty', 'voided']),
    serviceKind: z.enum(['free', 'contract', 'paid']),
    endsOn: calendarDate.optional(),
    pendingProof: z.boolean().optional(),
  }),
  fault: z.object({
    symptom: nonEmpty,
    since: z.string().optional(),
    liquid: z.boolean(),
    physicalDamage: z.boolean(),
    disassembled: z.boolean(),
  }),
  serviceMode: serviceModeSchema,
  area: z.enum(['city', 'suburb']),
  address: z.string().trim().min(1).optional(),
  feeEstimate: feeEstimateSchema.optional(),
  consent: consentSchema,
  channel: nonEmpty,
  conversationId: nonEmpty,
  attachments: z.array(z.string()).optional(),
  stepsTried: z.array(z.string()).optional(),
});

/** 有费服务: nothing is created or changed until the customer has agreed to the fee (透明化服务). */
function needsFeeConsent(d: Pick<TicketDraft, 'warranty'>): boolean {
  return d.warranty.serviceKind === 'paid' || d.warranty.status === 'outOfWarranty' || d.warranty.status === 'voided';
}

export const ticketDraftSchema = draftShape.superRefine((d, ctx) => {
  if (needsFeeConsent(d) && d.consent.fee !== true) {
    ctx.addIssue({
      code: 'custom',
      path: ['consent', 'fee'],
      message: 'paid service (out of warranty or voided) needs the customer’s consent to the fee first',
    });
  }
});

const patchSchema = z
  .object({
    address: draftShape.shape.address,
    serviceMode: serviceModeSchema.optional(),
    customer: customerSchema.optional(),
    attachments: draftShape.shape.attachments,
    stepsTried: draftShape.shape.stepsTried,
    feeEstimate: feeEstimateSchema.optional(),
    consent: consentSchema.optional(),
  })
  .strict();

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new TicketError('invalid', `Invalid ${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues);
}

/** The canonical form `S261122-0042` of a ticket number as a customer types or says it, or undefined. */
export function normalizeTicketId(text: string): string | undefined {
  const m = /^S(\d{6})[-–—]?(\d{4,})$/.exec(toHalfWidth(text).replace(/\s+/g, '').toUpperCase());
  return m ? `S${m[1]}-${m[2]}` : undefined;
}

/** The first ticket number inside a sentence such as “我的工单号是S261122-0042，查一下”. */
export function extractTicketId(text: string): string | undefined {
  const m = /(?<![A-Za-z0-9])[Ss]\s*(\d{6})\s*[-–—]?\s*(\d{4,})(?!\d)/.exec(toHalfWidth(text));
  return m ? `S${m[1]}-${m[2]}` : undefined;
}

/** Chinese keyboards often type Ｓ２６… and －: fold full-width ASCII to the ordinary characters. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const ticketKey = (id: string): string => `cs:ticket:{${id}}`;
/** The version last handed to the outbox; same hash slot as the ticket. */
const publishedKey = (id: string): string => `cs:ticket:{${id}}:published`;
const phoneKey = (phone: string): string => `cs:tickets:byPhone:${phone}`;
const serialKey = (serial: string): string => `cs:tickets:bySerial:${serial}`;
const statusKey = (status: TicketStatus): string => `cs:tickets:byStatus:${status}`;
const DEADLINE_KEY = 'cs:tickets:byDeadline';
const idempotencyKeyOf = (key: string): string => `cs:tickets:idem:${key}`;
const sequenceKey = (yymmdd: string): string => `cs:tickets:seq:${yymmdd}`;

/** Writes the ticket only if nobody changed it since we read it (optimistic check on version). */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if tonumber(cjson.decode(current).version) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

const OUTBOX_EVENT: Record<TicketEvent['action'], string> = {
  created: 'ticket.created',
  moved: 'ticket.moved',
  updated: 'ticket.updated',
};

/**
 * Service tickets (工单): the 报修 record, its state machine, its audit trail (every change says who
 * and when), and the indexes the desk looks them up by.
 */
export class TicketStore {
  private readonly workingHours: WorkingHours;
  private readonly outbox?: TicketOutbox;
  private readonly now: () => Date;
  private readonly onCreated?: (ticket: Ticket) => Promise<void>;

  constructor(
    private readonly redis: Redis,
    options: TicketStoreOptions,
  ) {
    this.workingHours = options.workingHours;
    this.outbox = options.outbox;
    this.now = options.now ?? (() => new Date());
    this.onCreated = options.onCreated;
  }

  /**
   * Records a fault report. With an idempotencyKey (e.g. the channel's message id) a retried
   * request returns the ticket the first one made.
   */
  async create(draft: TicketDraft, by: string, idempotencyKey?: string): Promise<Ticket> {
    const valid = parseOrThrow(ticketDraftSchema, draft, 'ticket');
    if (idempotencyKey !== undefined) {
      const earlier = await this.redis.get(idempotencyKeyOf(idempotencyKey));
      if (earlier) return this.createOrReplay(earlier, valid, by);
    }
    const at = this.now();
    const id = await this.nextId(at);
    if (idempotencyKey !== undefined) {
      const reserved = await this.redis.set(idempotencyKeyOf(idempotencyKey), id, 'EX', IDEMPOTENCY_TTL_S, 'NX');
      if (reserved !== 'OK') {
        const winner = await this.redis.get(idempotencyKeyOf(idempotencyKey));
        if (winner) return this.createOrReplay(winner, valid, by);
      }
    }
    return this.createOrReplay(id, valid, by);
  }

  async get(idOrText: string): Promise<Ticket | undefined> {
    const id = normalizeTicketId(idOrText);
    if (!id) return undefined;
    const json = await this.redis.get(ticketKey(id));
    return json ? (JSON.parse(json) as Ticket) : undefined;
  }

  async history(id: string): Promise<TicketEvent[]> {
    return (await this.require(id)).history;
  }

  /** Moves the ticket along its state machine; an illegal move throws and changes nothing. */
  async move(id: string, to: TicketStatus, by: string, note?: string): Promise<Ticket> {
    if (!TICKET_STATUSES.includes(to)) throw new TicketError('invalid', `Unknown ticket status "${String(to)}"`);
    const { before, after } = await this.change(id, (t, at) => {
      if (!canMove(t.status, to)) {
        throw new TicketError('illegalMove', `Ticket ${t.id} cannot move from ${t.status} to ${to}`);
      }
      const event: TicketEvent = { at, by, action: 'moved', from: t.status, to };
      if (note !== undefined) event.note = note;
      return { ...t, status: to, event };
    });
    if (!after) return before;
    await this.publish(after);
    await this.reindexStatus(after, before.status);
    return after;
  }

  /** Corrects what the customer or agent can change; the history keeps every field's before and after. */
  async update(id: string, patch: TicketPatch, by: string): Promise<Ticket> {
    const valid = parseOrThrow(patchSchema, patch, 'ticket update');
    const { before, after } = await this.change(id, (t, at) => {
      if (t.status === 'closed' || t.status === 'cancelled') {
        throw new TicketError('final', `Ticket ${t.id} is ${t.status} and can no longer be changed`);
      }
      const changes: Record<string, [unknown, unknown]> = {};
      const next: Ticket = { ...t };
      for (const [field, value] of Object.entries(valid) as [keyof TicketPatch, unknown][]) {
        if (value === undefined) continue;
        if (JSON.stringify(t[field]) === JSON.stringify(value)) continue;
        changes[field] = [t[field] ?? null, value];
        Object.assign(next, { [field]: value });
      }
      if (Object.keys(changes).length === 0) return undefined;
      // The whole ticket must still be a valid report, e.g. a paid ticket cannot lose its fee consent.
      parseOrThrow(ticketDraftSchema, next, 'ticket update');
      return { ...next, event: { at, by, action: 'updated', changes } };
    });
    if (!after) return before;
    await this.publish(after);
    if (after.customer.phone !== before.customer.phone) {
      await this.redis.zadd(phoneKey(after.customer.phone), Date.parse(after.createdAt), after.id);
      await this.redis.zrem(phoneKey(before.customer.phone), after.id);
    }
    return after;
  }

  /** A customer's tickets, newest first. */
  async byPhone(phone: string): Promise<Ticket[]> {
    const parsed = mobilePhone.safeParse(phone);
    if (!parsed.success) return [];
    const ids = await this.redis.zrevrange(phoneKey(parsed.data), 0, -1);
    return (await this.load(ids)).filter((t) => t.customer.phone === parsed.data);
  }

  /** The newest ticket for a unit (a maintenance-contract notice reaches its customer through it). */
  async latestForSerial(serial: string): Promise<Ticket | undefined> {
    const [id] = await this.redis.zrevrange(serialKey(serial), 0, 0);
    return id ? this.get(id) : undefined;
  }

  /** Tickets in one status, oldest first (the order they should be worked). */
  async byStatus(status: TicketStatus): Promise<Ticket[]> {
    const ids = await this.redis.zrange(statusKey(status), 0, -1);
    const tickets = await this.load(ids);
    // Index writes follow the ticket write, so a concurrent move can briefly leave an id behind.
    const stale = ids.filter((id) => !tickets.some((t) => t.id === id && t.status === status));
    if (stale.length > 0) {
      const current = new Map(tickets.map((t) => [t.id, t]));
      const reallyStale = stale.filter((id) => current.get(id)?.status !== status);
      if (reallyStale.length > 0) await this.redis.zrem(statusKey(status), ...reallyStale);
    }
    return tickets.filter((t) => t.status === status);
  }

  /** Open tickets whose dispatch deadline falls before `date`, soonest first. */
  async dueBefore(date: Date, limit = 1000): Promise<Ticket[]> {
    const ids = await this.redis.zrangebyscore(DEADLINE_KEY, '-inf', `(${date.getTime()}`, 'LIMIT', 0, limit);
    return (await this.load(ids)).filter((t) => isOpen(t.status));
  }

  private async require(idOrText: string): Promise<Ticket> {
    const ticket = await this.get(idOrText);
    if (!ticket) throw new TicketError('notFound', `No ticket ${idOrText}`);
    return ticket;
  }

  private async load(ids: string[]): Promise<Ticket[]> {
    // One GET per key rather than MGET: the tickets live in different cluster slots.
    const jsons = await Promise.all(ids.map((id) => this.redis.get(ticketKey(id))));
    return jsons.filter((j): j is string => j !== null).map((j) => JSON.parse(j) as Ticket);
  }

  private async nextId(at: Date): Promise<string> {
    const d = calendarDayIn(at, ID_TIME_ZONE);
    const yymmdd = `${String(d.year % 100).padStart(2, '0')}${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;
    const [[incrErr, seq], [expireErr]] = (await this.redis
      .multi()
      .incr(sequenceKey(yymmdd))
      .expire(sequenceKey(yymmdd), 3 * 24 * 3600)
      .exec()) as [[Error | null, number], [Error | null, unknown]];
    if (incrErr ?? expireErr) throw incrErr ?? expireErr;
    return `S${yymmdd}-${String(seq).padStart(4, '0')}`;
  }

  /**
   * Writes the ticket under `id` unless it already exists, then returns what is stored. A retry
   * whose first attempt reserved the id but died before writing finishes the job with its own draft
   * (the same report); a retry that finds the ticket heals an outbox append or index the first
   * attempt may not have reached.
   */
  private async createOrReplay(id: string, draft: TicketDraft, by: string): Promise<Ticket> {
    const at = this.now();
    const createdAt = at.toISOString();
    const ticket: Ticket = {
      ...draft,
      id,
      status: 'new',
      createdAt,
      updatedAt: createdAt,
      dispatchDeadline: dispatchDeadlineOf(at, draft.area, this.workingHours).toISOString(),
      version: 1,
      history: [{ at: createdAt, by, action: 'created', to: 'new' }],
    };
    const written = await this.redis.set(ticketKey(id), JSON.stringify(ticket), 'NX');
    const stored = written === 'OK' ? ticket : await this.get(id);
    if (!stored) throw new TicketError('conflict', `Ticket ${id} vanished while being created`);
    await this.publish(stored, written !== 'OK');
    await this.index(stored);
    await this.onCreated?.(stored);
    return stored;
  }

  /**
   * Hands the ticket's latest change to the outbox. A replay (onlyIfMissing) re-sends only what
   * was never recorded; a fresh change always appends, since a concurrent newer change may already
   * have raised the mark past it. Concurrent changes of one ticket can thus reach the stream out of
   * order; the version in the body tells the receiver which is newer.
   */
  private async publish(ticket: Ticket, onlyIfMissing = false): Promise<void> {
    if (!this.outbox) return;
    if (onlyIfMissing) {
      const published = Number((await this.redis.get(publishedKey(ticket.id))) ?? 0);
      if (published >= ticket.version) return;
    }
    const last = ticket.history[ticket.history.length - 1];
    await this.outbox.append(ticket, OUTBOX_EVENT[last?.action ?? 'updated']);
    // Only ever raise the mark: a slow writer must not lower it below a newer version.
    await this.redis.eval(
      `if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return 1`,
      1,
      publishedKey(ticket.id),
      ticket.version,
    );
  }

  private async index(ticket: Ticket): Promise<void> {
    const created = Date.parse(ticket.createdAt);
    await Promise.all([
      this.redis.zadd(phoneKey(ticket.customer.phone), created, ticket.id),
      this.redis.zadd(statusKey(ticket.status), created, ticket.id),
      ticket.product.serial ? this.redis.zadd(serialKey(ticket.product.serial), created, ticket.id) : Promise.resolve(0),
      isOpen(ticket.status)
        ? this.redis.zadd(DEADLINE_KEY, Date.parse(ticket.dispatchDeadline), ticket.id)
        : this.redis.zrem(DEADLINE_KEY, ticket.id),
    ]);
  }

  private async reindexStatus(ticket: Ticket, from: TicketStatus): Promise<void> {
    await this.index(ticket);
    await this.redis.zrem(statusKey(from), ticket.id);
  }

  /**
   * Read, decide, compare-and-set on the version, retried when another writer got there first.
   * `decide` returns the changed ticket with the event to append, or undefined for no change.
   */
  private async change(
    idOrText: string,
    decide: (t: Ticket, at: string) => (Ticket & { event: TicketEvent }) | undefined,
  ): Promise<{ before: Ticket; after?: Ticket }> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const before = await this.require(idOrText);
      const at = this.now().toISOString();
      const decided = decide(before, at);
      if (!decided) return { before };
      const { event, ...rest } = decided;
      const after: Ticket = { ...rest, updatedAt: at, version: before.version + 1, history: [...before.history, event] };
      const result = await this.redis.eval(COMPARE_AND_SET, 1, ticketKey(before.id), before.version, JSON.stringify(after));
      if (result === 1) return { before, after };
      if (result === -1) throw new TicketError('notFound', `No ticket ${before.id}`);
    }
    throw new TicketError('conflict', `Ticket ${idOrText} is being changed by others; try again`);
  }
}
