/**
 * Messages the desk sends on its own, at a time: visit reminders (the evening before at 18:00 and two
 * hours before the window), the maintenance-contract notice (保养到期通知, one per contract) and the
 * dispatch-deadline alert. They are jobs on a BullMQ queue in Redis, not timers in memory, so they
 * survive a restart of the service (and of Redis, with AOF), and every process runs the worker:
 *
 * - job ids are deterministic (`visit_<ticket>_<kind>_<start ms>`, `deadline_<ticket>`): a retry or a
 *   second process adding the same job adds nothing;
 * - a job checks, when it runs, that the booking it was made for still stands (a rescheduled or
 *   cancelled visit whose job could not be removed is skipped);
 * - before sending, the job takes a `sent` flag with SET NX, so even a job run twice (a stalled job
 *   taken over by another process) reaches the customer at most once.
 *
 * What cannot be delivered (no conversation to reach, WeChat's 48-hour budget spent, a channel error)
 * goes on the agents' call list (desk/callbacks.ts) with the reason, so that a person phones.
 */
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../common/logger';
import { connectRedis } from '../common/redis';
import type { AtRiskTickets } from './atRiskTickets';
import { stillAtRisk } from './atRiskTickets';
import type { CallbackRequests } from './callbacks';
import type { DeliveryOutcome } from './delivery';
import type { Ticket, UnitRecord } from './model';
import { reminderTexts, undeliveredNote, type ReminderLocale } from './reminderTexts';
import type { SerialRegistry } from './serialRegistry';
import type { TicketStore } from './tickets';
import { isOpen } from './tickets';
import { todayIn } from './warranty';

/** A visit as the appointment desk booked it (desk/appointments.ts calls visitBooked with it). */
export interface BookedVisit {
  ticketId: string;
  channel: string;
  conversationId: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  halfDay: 'am' | 'pm';
  /** When the booked window opens. */
  start: Date;
  engineerName: string;
  servicePointPhone: string;
  locale: 'zh' | 'en';
}

/** What the appointment desk tells the reminders. Both are idempotent. */
export interface VisitReminderHook {
  /** A new or moved visit: its reminders replace any the ticket had. */
  visitBooked(v: BookedVisit): Promise<void>;
  /** The visit is off: its reminders are removed. */
  visitCancelled(ticketId: string): Promise<void>;
}

export type VisitReminderKind = 'dayBefore' | 'soon';

/** Sends one text into a conversation, through its own channel (bot/proactive.ts in the app). */
export type SendToConversation = (conversationId: string, text: string) => Promise<DeliveryOutcome>;

export interface VisitRemindersOptions {
  /** The service's Redis, for BullMQ's own connections (it needs `maxRetriesPerRequest: null` and no ioredis keyPrefix). */
  redisUrl: string;
  keyPrefix: string;
  /** The app's client (with the key prefix): bookings, flags. */
  redis: Redis;
  send: SendToConversation;
  callbacks: Pick<CallbackRequests, 'create' | 'addNote'>;
  tickets: Pick<TicketStore, 'get' | 'latestForSerial' | 'dueBefore'>;
  registry: Pick<SerialRegistry, 'contractsEndingBetween'>;
  atRisk: AtRiskTickets;
  /** The catalogue's name of a model (星耀 X20 Pro), for the contract notice. */
  productName: (modelId: string, locale: ReminderLocale) => string;
  logger: Logger;
  /** The clock every due time is computed from; tests move it and call promoteDue(). */
  now?: () => Date;
  /** The daily contract check, as a cron pattern in Asia/Shanghai; default 10:00, inside service hours. */
  contractCheckCron?: string;
  /** Jobs run at once per process; default 4. */
  concurrency?: number;
}

/** BullMQ keys: `<prefix>cs:jobs:{reminders}:…`, one hash tag so its scripts run on Redis Cluster. */
export const REMINDER_QUEUE = '{reminders}';
const JOBS_PREFIX = 'cs:jobs';
const CONTRACT_SCHEDULER = 'contract-notices';
const DEADLINE_SWEEP_SCHEDULER = 'deadline-sweep';
const TIME_ZONE = 'Asia/Shanghai';
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** 保养到期通知: a month before the contract ends (DOMAIN). */
export const CONTRACT_NOTICE_DAYS = 30;
/** Long after any retry of the job that took it. */
const SENT_FLAG_TTL_S = 60 * 24 * 3600;

const bookingKey = (ticketId: string): string => `cs:reminders:visit:{${ticketId}}`;
const sentKey = (jobId: string): string => `cs:reminders:sent:${jobId}`;
const contractKey = (contractId: string): string => `cs:reminders:contract:${contractId}`;

type JobData =
  | { type: 'visit'; ticketId: string; kind: VisitReminderKind; start: string; dueAt: string }
  | { type: 'deadline'; ticketId: string; dueAt: string }
  | { type: 'contracts' }
  | { type: 'deadlineSweep' };

/** The booking as kept: what the job compares itself with when it runs. */
interface StoredBooking extends Omit<BookedVisit, 'start'> {
  start: string;
  jobIds: string[];
}

/** When each reminder is due: 18:00 Shanghai time the day before, and two hours before the window. */
export function reminderTimes(v: Pick<BookedVisit, 'date' | 'start'>): Record<VisitReminderKind, Date> {
  const dayBefore = new Date(Date.parse(`${v.date}T18:00:00+08:00`) - DAY_MS);
  return { dayBefore, soon: new Date(v.start.getTime() - 2 * HOUR_MS) };
}

/** BullMQ refuses ':' in custom ids. */
export function visitJobId(ticketId: string, kind: VisitReminderKind, start: Date): string {
  return `visit_${ticketId}_${kind}_${start.getTime()}`;
}

const deadlineJobId = (ticketId: string): string => `deadline_${ticketId}`;

/** A flag's stages: a retry after a crash never sends again, but finishes putting it on the call list. */
type SentStage = 'sending' | 'delivered' | `undelivered:${string}` | 'listed';

export class VisitReminders implements VisitReminderHook {
  private readonly queue: Queue<JobData>;
  private worker?: Worker<JobData>;
  private readonly connections: Redis[] = [];
  private readonly now: () => Date;
  private readonly prefix: string;

  constructor(private readonly options: VisitRemindersOptions) {
    this.now = options.now ?? (() => new Date());
    this.prefix = `${options.keyPrefix}${JOBS_PREFIX}`;
    this.queue = new Queue<JobData>(REMINDER_QUEUE, { connection: this.connection(), prefix: this.prefix });
    this.queue.on('error', (error) => options.logger.warn({ err: error }, 'reminder queue: redis problem'));
  }

  /** Starts this process's worker and makes sure the daily contract check and the deadline sweep exist (once, for all processes). */
  async start(): Promise<void> {
    if (this.worker) return;
    this.worker = new Worker<JobData>(REMINDER_QUEUE, (job) => this.run(job), {
      connection: this.connection(),
      prefix: this.prefix,
      concurrency: this.options.concurrency ?? 4,
    });
    this.worker.on('error', (error) => this.options.logger.warn({ err: error }, 'reminder worker: redis problem'));
    this.worker.on('failed', (job, error) =>
      this.options.logger.error({ err: error, job: job?.id, attempts: job?.attemptsMade }, 'reminder job failed'),
    );
    // In the background: a Redis that is down at start delays the schedules, not the service.
    this.upsertSchedulers().catch((error: unknown) => this.options.logger.warn({ err: error }, 'reminder schedules not set'));
  }

  /** Upserting the same ids from every process keeps one scheduler each, so one check a day however many run. */
  private async upsertSchedulers(): Promise<void> {
    await this.queue.upsertJobScheduler(
      CONTRACT_SCHEDULER,
      { pattern: this.options.contractCheckCron ?? '0 10 * * *', tz: TIME_ZONE },
      { name: 'contracts', data: { type: 'contracts' }, opts: { removeOnComplete: true, removeOnFail: { age: 30 * 24 * 3600 } } },
    );
    // A backstop for the per-ticket alert: tickets from before it existed, or whose alert could not be scheduled.
    await this.queue.upsertJobScheduler(
      DEADLINE_SWEEP_SCHEDULER,
      { pattern: '*/15 * * * *', tz: TIME_ZONE },
      { name: 'deadlineSweep', data: { type: 'deadlineSweep' }, opts: { removeOnComplete: true, removeOnFail: { age: 24 * 3600 } } },
    );
  }

  /** Lets the job in hand finish, then closes the queue and its connections. Jobs wait in Redis for the next start. */
  async stop(): Promise<void> {
    // While Redis is down a graceful close waits forever for a job loop that cannot end; no job can be
    // finishing then, so closing at once loses nothing (the jobs stay in Redis for the next start).
    const redisDown = this.connections.some((c) => c.status !== 'ready');
    await this.worker?.close(redisDown);
    this.worker = undefined;
    await this.queue.close();
    await Promise.allSettled(this.connections.map((c) => (c.status === 'ready' ? c.quit() : c.disconnect())));
  }

  async visitBooked(v: BookedVisit): Promise<void> {
    const earlier = await this.booking(v.ticketId);
    const now = this.now();
    const times = reminderTimes(v);
    // A reminder whose time has passed is left out: the confirmation has just told the customer.
    const due = (Object.keys(times) as VisitReminderKind[]).filter((kind) => times[kind].getTime() > now.getTime());
    const jobIds = due.map((kind) => visitJobId(v.ticketId, kind, v.start));
    const stored: StoredBooking = { ...v, start: v.start.toISOString(), jobIds };
    // The record first: a job of the old time that runs meanwhile sees it is no longer current.
    await this.options.redis.set(bookingKey(v.ticketId), JSON.stringify(stored), 'PXAT', this.expiryAt(v.start.getTime() + 2 * DAY_MS));
    for (const kind of due) {
      await this.add(visitJobId(v.ticketId, kind, v.start), {
        type: 'visit',
        ticketId: v.ticketId,
        kind,
        start: stored.start,
        dueAt: times[kind].toISOString(),
      });
    }
    for (const old of earlier?.jobIds ?? []) if (!jobIds.includes(old)) await this.remove(old);
  }

  async visitCancelled(ticketId: string): Promise<void> {
    const earlier = await this.booking(ticketId);
    await this.options.redis.del(bookingKey(ticketId));
    for (const id of earlier?.jobIds ?? []) await this.remove(id);
  }

  /** The job ids of a ticket's reminders still to come (what the console or a test can look at). */
  async pendingFor(ticketId: string): Promise<{ kind: VisitReminderKind; dueAt: string }[]> {
    const stored = await this.booking(ticketId);
    const jobs = await Promise.all((stored?.jobIds ?? []).map((id) => this.queue.getJob(id)));
    return jobs.flatMap((job) => (job && job.data.type === 'visit' ? [{ kind: job.data.kind, dueAt: job.data.dueAt }] : []));
  }

  /** A new ticket: an on-site one gets the alert at its dispatch deadline, for when nobody has been sent by then. */
  async ticketCreated(ticket: Ticket): Promise<void> {
    if (ticket.serviceMode !== 'onsite' || !isOpen(ticket.status)) return;
    await this.add(deadlineJobId(ticket.id), { type: 'deadline', ticketId: ticket.id, dueAt: ticket.dispatchDeadline });
  }

  /**
   * Tests only: runs now every job whose due time has come by the injected clock (BullMQ's own
   * timer goes by the real one). Returns how many were started; wait for what they deliver.
   */
  async promoteDue(): Promise<number> {
    const now = this.now().getTime();
    let promoted = 0;
    for (const job of await this.queue.getDelayed()) {
      const data = job.data as JobData;
      if (data.type === 'contracts' || data.type === 'deadlineSweep' || Date.parse(data.dueAt) > now) continue;
      // Another process may have promoted it a moment ago.
      await job.promote().then(
        () => promoted++,
        () => undefined,
      );
    }
    return promoted;
  }

  /**
   * The daily check: every contract ending within 30 days gets one 保养到期通知 in the customer's
   * channel, or a call-back when it cannot be delivered. A unit no ticket has ever named has no
   * customer to reach: it is tried again the next day (a 报修 may name it meanwhile).
   */
  async checkContracts(): Promise<{ notified: number; listed: number; noContact: number }> {
    const today = todayIn(TIME_ZONE, this.now());
    const until = todayIn(TIME_ZONE, new Date(Date.parse(`${today}T12:00:00+08:00`) + CONTRACT_NOTICE_DAYS * DAY_MS));
    const counts = { notified: 0, listed: 0, noContact: 0 };
    for (const unit of await this.options.registry.contractsEndingBetween(today, until)) {
      const outcome = await this.noticeContract(unit);
      if (outcome) counts[outcome]++;
    }
    return counts;
  }

  private async noticeContract(unit: UnitRecord): Promise<'notified' | 'listed' | 'noContact' | undefined> {
    const contract = unit.contract;
    if (!contract) return undefined;
    const ticket = await this.options.tickets.latestForSerial(unit.serial);
    if (!ticket) {
      this.options.logger.info({ contract: contract.id }, 'contract ends soon, but no ticket names its unit: nobody to notify yet');
      return 'noContact';
    }
    const flag = contractKey(contract.id);
    // Kept until well after the contract has ended, so the same contract is never noticed twice.
    const keepUntil = this.expiryAt(Date.parse(`${contract.endsOn}T00:00:00+08:00`) + 60 * DAY_MS);
    const stage = await this.takeFlag(flag, keepUntil);
    if (stage !== 'taken' && !stage.startsWith('undelivered:')) return undefined;
    const text = reminderTexts('zh').contractEnding({
      product: this.options.productName(unit.modelId, 'zh'),
      serial: unit.serial,
      endsOn: contract.endsOn,
    });
    const about = `合同 ${contract.id}，序列号 ${unit.serial}`;
    if (stage !== 'taken')
      return this.toCallList(flag, keepUntil, ticket, 'contractEnding', stage.slice('undelivered:'.length), text, about);
    return (await this.deliver(flag, keepUntil, ticket, 'contractEnding', text, about)) === 'delivered' ? 'notified' : 'listed';
  }

  private async run(job: Job<JobData>): Promise<string> {
    const data = job.data;
    if (data.type === 'contracts') return JSON.stringify(await this.checkContracts());
    if (data.type === 'deadlineSweep') return `flagged ${await this.sweepDeadlines()}`;
    if (data.type === 'deadline') return this.checkDeadline(data.ticketId);
    return this.remind(job.id ?? '', data);
  }

  private async remind(jobId: string, data: Extract<JobData, { type: 'visit' }>): Promise<string> {
    const booking = await this.booking(data.ticketId);
    if (!booking || booking.start !== data.start) return 'superseded';
    if (Date.parse(booking.start) <= this.now().getTime()) return 'tooLate';
    // Run late (the service was down): on the visit's own day "明天" would be wrong, and the two-hours one follows.
    if (data.kind === 'dayBefore' && this.now().getTime() >= Date.parse(`${booking.date}T00:00:00+08:00`)) return 'tooLate';
    const flag = sentKey(jobId);
    const keepUntil = Date.now() + SENT_FLAG_TTL_S * 1000;
    const stage = await this.takeFlag(flag, keepUntil);
    if (stage !== 'taken' && !stage.startsWith('undelivered:')) return 'alreadySent';
    const texts = reminderTexts(booking.locale);
    const text = data.kind === 'dayBefore' ? texts.visitDayBefore(booking) : texts.visitSoon(booking);
    const ticket = await this.options.tickets.get(data.ticketId);
    if (!ticket) {
      this.options.logger.error({ ticket: data.ticketId }, 'visit reminder for a ticket that does not exist');
      return 'noTicket';
    }
    // The booking knows where the customer booked from; the ticket only where they reported.
    const target = { ...ticket, channel: booking.channel, conversationId: booking.conversationId };
    const what = data.kind === 'dayBefore' ? 'visitDayBefore' : 'visitSoon';
    if (stage !== 'taken') return this.toCallList(flag, keepUntil, target, what, stage.slice('undelivered:'.length), text);
    return this.deliver(flag, keepUntil, target, what, text);
  }

  /** Sends once the flag is ours; anything but delivered goes to the call list. */
  private async deliver(
    flag: string,
    keepUntil: number,
    ticket: Pick<Ticket, 'id' | 'channel' | 'conversationId' | 'customer'>,
    what: 'visitDayBefore' | 'visitSoon' | 'contractEnding',
    text: string,
    about?: string,
  ): Promise<'delivered' | 'listed'> {
    const outcome = await this.options.send(ticket.conversationId, text);
    if (outcome.status === 'delivered') {
      await this.setStage(flag, 'delivered', keepUntil);
      this.options.logger.info({ ticket: ticket.id, what }, 'reminder delivered');
      return 'delivered';
    }
    await this.setStage(flag, `undelivered:${outcome.reason}`, keepUntil);
    return this.toCallList(flag, keepUntil, ticket, what, outcome.reason, text, about);
  }

  private async toCallList(
    flag: string,
    keepUntil: number,
    ticket: Pick<Ticket, 'id' | 'channel' | 'conversationId' | 'customer'>,
    what: 'visitDayBefore' | 'visitSoon' | 'contractEnding',
    reason: string,
    text: string,
    about?: string,
  ): Promise<'listed'> {
    const note = undeliveredNote(what, reason, about ? `${text}（${about}）` : text).slice(0, 500);
    const callback = await this.options.callbacks.create({
      conversationId: ticket.conversationId,
      channel: ticket.channel,
      phone: ticket.customer.phone,
      note,
    });
    // The conversation already had an open call-back: the reminder joins it rather than being lost.
    if (callback.note !== note) await this.options.callbacks.addNote(callback.id, note);
    await this.setStage(flag, 'listed', keepUntil);
    this.options.logger.warn({ ticket: ticket.id, what, reason, callback: callback.id }, 'reminder not delivered: on the call list');
    return 'listed';
  }

  /** Every open on-site ticket past its deadline with nobody sent is flagged (idempotent); how many are flagged now. */
  async sweepDeadlines(): Promise<number> {
    const late = (await this.options.tickets.dueBefore(this.now())).filter((t) => t.serviceMode === 'onsite' && stillAtRisk(t));
    for (const ticket of late) await this.options.atRisk.flag(ticket, 'deadlinePassed');
    return late.length;
  }

  private async checkDeadline(ticketId: string): Promise<string> {
    const ticket = await this.options.tickets.get(ticketId);
    if (!ticket || !stillAtRisk(ticket)) return 'inHand';
    await this.options.atRisk.flag(ticket, 'deadlinePassed');
    this.options.logger.warn({ ticket: ticketId, deadline: ticket.dispatchDeadline }, 'dispatch deadline passed with no engineer');
    return 'flagged';
  }

  /** 'taken' when this run may send; otherwise the stage an earlier run reached. */
  private async takeFlag(key: string, keepUntil: number): Promise<'taken' | SentStage> {
    const taken = await this.options.redis.set(key, 'sending', 'PXAT', keepUntil, 'NX');
    if (taken === 'OK') return 'taken';
    return ((await this.options.redis.get(key)) ?? 'sending') as SentStage;
  }

  /** Redis expires by the real clock: a time on the injected clock, as the same distance from real now. */
  private expiryAt(atOnClock: number): number {
    return Date.now() + Math.max(HOUR_MS, atOnClock - this.now().getTime());
  }

  private async setStage(key: string, stage: SentStage, keepUntil: number): Promise<void> {
    await this.options.redis.set(key, stage, 'PXAT', keepUntil);
  }

  private async add(jobId: string, data: Extract<JobData, { dueAt: string }>): Promise<void> {
    const options: JobsOptions = {
      jobId,
      delay: Math.max(0, Date.parse(data.dueAt) - this.now().getTime()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 10_000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    };
    await this.queue.add(data.type, data, options);
  }

  /** A job that is running cannot be removed; it then finds its booking gone or changed and skips. */
  private async remove(jobId: string): Promise<void> {
    try {
      await this.queue.remove(jobId);
    } catch (error) {
      this.options.logger.info({ err: error, job: jobId }, 'reminder job not removed (running); it will skip itself');
    }
  }

  private async booking(ticketId: string): Promise<StoredBooking | undefined> {
    const json = await this.options.redis.get(bookingKey(ticketId));
    return json ? (JSON.parse(json) as StoredBooking) : undefined;
  }

  /** BullMQ wants its own connections: no ioredis keyPrefix (it has its own) and commands that wait for Redis. */
  private connection(): Redis {
    const client = connectRedis(this.options.redisUrl, '', { maxRetriesPerRequest: null });
    client.on('error', (error) => this.options.logger.warn({ err: error }, 'reminder queue: redis connection problem'));
    this.connections.push(client);
    return client;
  }
}
