import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { connectRedis } from '../../common/redis';
import { AtRiskTickets, atRiskTickets } from '../../desk/atRiskTickets';
import { CallbackRequests } from '../../desk/callbacks';
import { Catalogue } from '../../desk/catalogue';
import { deskDataFile } from '../../desk/dataFiles';
import type { DeliveryOutcome } from '../../desk/delivery';
import type { Ticket, TicketDraft } from '../../desk/model';
import { SerialRegistry } from '../../desk/serialRegistry';
import { TicketStore } from '../../desk/tickets';
import { REMINDER_QUEUE, VisitReminders, visitJobId, type BookedVisit } from '../../desk/visitReminders';
import { DEFAULT_WORKING_HOURS } from '../../desk/workingHours';
import { testRedisUrl, uniquePrefix } from '../helpers/redis';
import { sampleTicketDraft } from '../helpers/ticketDrafts';
import { until } from '../helpers/until';

// Real Redis, real BullMQ workers: each case starts and stops services.
jest.setTimeout(30_000);

const shanghai = (local: string): Date => new Date(`${local}+08:00`);

/** A fake channel: records what reached each conversation, and answers as told per conversation. */
class FakeChannel {
  readonly sent: { conversationId: string; text: string; by: string }[] = [];
  readonly outcomes = new Map<string, DeliveryOutcome>();
  sender(by: string) {
    return async (conversationId: string, text: string): Promise<DeliveryOutcome> => {
      const outcome = this.outcomes.get(conversationId) ?? { status: 'delivered' };
      if (outcome.status === 'delivered') this.sent.push({ conversationId, text, by });
      return outcome;
    };
  }
  to(conversationId: string): string[] {
    return this.sent.filter((s) => s.conversationId === conversationId).map((s) => s.text);
  }
}

describe('visit reminders, contract notices and dispatch alerts', () => {
  let prefix: string;
  let redis: Redis;
  let clock: Date;
  let tickets: TicketStore;
  let callbacks: CallbackRequests;
  let registry: SerialRegistry;
  let atRisk: AtRiskTickets;
  let channel: FakeChannel;
  let queue: Queue;
  let queueConnection: Redis;
  const services: VisitReminders[] = [];
  const catalogue = Catalogue.default();

  /** One process's reminder service on the shared Redis; started unless told otherwise. */
  async function service(by = 'one', start = true): Promise<VisitReminders> {
    const reminders = new VisitReminders({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      redis,
      send: channel.sender(by),
      callbacks,
      tickets,
      registry,
      atRisk,
      productName: (modelId) => catalogue.model(modelId)?.name ?? modelId,
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      now: () => clock,
    });
    services.push(reminders);
    if (start) await reminders.start();
    return reminders;
  }

  async function stop(reminders: VisitReminders): Promise<void> {
    services.splice(services.indexOf(reminders), 1);
    await reminders.stop();
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    redis = connectRedis(testRedisUrl(), prefix);
    clock = shanghai('2026-11-22T10:00:00');
    tickets = new TicketStore(redis, { workingHours: DEFAULT_WORKING_HOURS, now: () => clock });
    callbacks = new CallbackRequests(redis, { now: () => clock });
    registry = new SerialRegistry(redis, catalogue);
    await registry.loadCsv(deskDataFile('serials.csv'));
    atRisk = new AtRiskTickets(redis, tickets, () => clock);
    channel = new FakeChannel();
    queueConnection = connectRedis(testRedisUrl(), '', { maxRetriesPerRequest: null });
    queue = new Queue(REMINDER_QUEUE, { connection: queueConnection, prefix: `${prefix}cs:jobs` });
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop()));
    await queue.close();
    await queueConnection.quit();
    await redis.quit();
  });

  async function ticket(over: Partial<TicketDraft> = {}): Promise<Ticket> {
    return tickets.create({ ...sampleTicketDraft('13912345678'), serviceMode: 'onsite', conversationId: 'wx-customer', ...over }, 'bot');
  }

  function visit(t: Ticket, over: Partial<BookedVisit> = {}): BookedVisit {
    return {
      ticketId: t.id,
      channel: 'wechat',
      conversationId: t.conversationId,
      date: '2026-11-25',
      halfDay: 'pm',
      start: shanghai('2026-11-25T13:00:00'),
      engineerName: '李强',
      servicePointPhone: '021-62345678',
      locale: 'zh',
      ...over,
    };
  }

  /** Until the job has run to its end (whatever it decided), so "nothing more arrived" can be asserted. */
  async function finished(jobId: string): Promise<string> {
    return until(async () => {
      const job = await queue.getJob(jobId);
      return job?.finishedOn ? String(job.returnvalue) : undefined;
    }, `job ${jobId} to finish`);
  }

  test('the evening before at 18:00 the customer is told the date, half-day, engineer, phone and how to 改约/取消', async () => {
    const reminders = await service();
    const t = await ticket();
    await reminders.visitBooked(visit(t));
    expect(await reminders.pendingFor(t.id)).toEqual([
      { kind: 'dayBefore', dueAt: shanghai('2026-11-24T18:00:00').toISOString() },
      { kind: 'soon', dueAt: shanghai('2026-11-25T11:00:00').toISOString() },
    ]);

    // Not due yet by the clock: nothing runs.
    clock = shanghai('2026-11-24T17:59:00');
    expect(await reminders.promoteDue()).toBe(0);

    clock = shanghai('2026-11-24T18:00:00');
    expect(await reminders.promoteDue()).toBe(1);
    const [text] = await until(() => channel.to('wx-customer').length > 0 && channel.to('wx-customer'), 'the day-before reminder');
    expect(text).toContain('明天（11月25日）下午 13:00–18:00');
    expect(text).toContain('李强');
    expect(text).toContain('021-62345678');
    expect(text).toMatch(/改约.*取消预约/);
    expect(text).toContain(t.id);

    clock = shanghai('2026-11-25T11:00:00');
    expect(await reminders.promoteDue()).toBe(1);
    await until(() => channel.to('wx-customer').length === 2, 'the two-hours-before reminder');
    expect(channel.to('wx-customer')[1]).toMatch(/李强今天下午 13:00–18:00 上门.*021-62345678/);
  });

  test('in English for a customer who booked in English', async () => {
    const reminders = await service();
    const t = await ticket();
    await reminders.visitBooked(visit(t, { locale: 'en', halfDay: 'am', start: shanghai('2026-11-25T09:00:00') }));
    clock = shanghai('2026-11-24T18:00:00');
    await reminders.promoteDue();
    const [text] = await until(() => channel.to('wx-customer').length > 0 && channel.to('wx-customer'), 'the English reminder');
    expect(text).toMatch(/tomorrow, Nov 25, in the morning \(9:00–12:00\).*李强/);
    expect(text).toMatch(/reschedule.*cancel appointment.*021-62345678/);
    expect(text).not.toMatch(/[明取改]/);
  });

  test('a rescheduled visit replaces its reminders; a cancelled one has none left', async () => {
    const reminders = await service();
    const t = await ticket();
    await reminders.visitBooked(visit(t));
    await reminders.visitBooked(visit(t, { date: '2026-11-27', halfDay: 'am', start: shanghai('2026-11-27T09:00:00') }));
    expect(await reminders.pendingFor(t.id)).toEqual([
      { kind: 'dayBefore', dueAt: shanghai('2026-11-26T18:00:00').toISOString() },
      { kind: 'soon', dueAt: shanghai('2026-11-27T07:00:00').toISOString() },
    ]);
    expect(await queue.getJob(visitJobId(t.id, 'dayBefore', shanghai('2026-11-25T13:00:00')))).toBeUndefined();
    // The old evening passes without a word; the new one brings the new date.
    clock = shanghai('2026-11-24T18:30:00');
    expect(await reminders.promoteDue()).toBe(0);
    clock = shanghai('2026-11-26T18:00:00');
    expect(await reminders.promoteDue()).toBe(1);
    const [text] = await until(() => channel.to('wx-customer').length > 0 && channel.to('wx-customer'), 'the moved reminder');
    expect(text).toContain('明天（11月27日）上午');

    await reminders.visitCancelled(t.id);
    expect(await reminders.pendingFor(t.id)).toEqual([]);
    expect(await queue.getJob(visitJobId(t.id, 'soon', shanghai('2026-11-27T09:00:00')))).toBeUndefined();
    clock = shanghai('2026-11-27T08:00:00');
    expect(await reminders.promoteDue()).toBe(0);
    expect(channel.to('wx-customer')).toHaveLength(1);
  });

  test('a job of an old booking that still runs finds it superseded and says nothing', async () => {
    const reminders = await service();
    const t = await ticket();
    await reminders.visitBooked(visit(t));
    const oldJob = visitJobId(t.id, 'dayBefore', shanghai('2026-11-25T13:00:00'));
    // As if the removal had failed while the job was running elsewhere: the job is back in the queue.
    await reminders.visitBooked(visit(t, { date: '2026-11-28', start: shanghai('2026-11-28T13:00:00') }));
    await queue.add(
      'visit',
      { type: 'visit', ticketId: t.id, kind: 'dayBefore', start: shanghai('2026-11-25T13:00:00').toISOString(), dueAt: '' },
      { jobId: oldJob },
    );
    expect(await finished(oldJob)).toBe('superseded');
    expect(channel.sent).toEqual([]);
  });

  test.each([
    ['WeChat budget spent', { status: 'kept', reason: 'the 5-message budget is spent' } as const],
    ['no conversation known', { status: 'failed', reason: 'no conversation wx-customer is known' } as const],
  ])('%s: the reminder goes on the call list with the reason, so a person phones', async (_case, outcome) => {
    const reminders = await service();
    const t = await ticket();
    channel.outcomes.set('wx-customer', outcome);
    await reminders.visitBooked(visit(t));
    clock = shanghai('2026-11-24T18:00:00');
    await reminders.promoteDue();
    const [callback] = await until(async () => {
      const open = await callbacks.open();
      return open.length > 0 && open;
    }, 'a call-back');
    expect(callback).toMatchObject({ conversationId: 'wx-customer', channel: 'wechat', phone: '13912345678', status: 'open' });
    expect(callback.note).toContain(outcome.reason);
    expect(callback.note).toMatch(/上门前一天提醒未能送达.*11月25日.*李强/);
    expect(callback.note).toContain(t.id);
  });

  test('a customer already waiting for a call-back gets the reminder added to that call', async () => {
    const reminders = await service();
    const t = await ticket();
    const earlier = await callbacks.create({ conversationId: 'wx-customer', channel: 'wechat', phone: '13912345678', note: 'afterHours' });
    channel.outcomes.set('wx-customer', { status: 'failed', reason: 'channel down' });
    await reminders.visitBooked(visit(t));
    clock = shanghai('2026-11-24T18:00:00');
    await reminders.promoteDue();
    const updated = await until(async () => {
      const c = await callbacks.get(earlier.id);
      return c?.note?.includes('channel down') && c;
    }, 'the reminder on the open call-back');
    expect(updated.note).toMatch(/^afterHours\n上门前一天提醒未能送达/);
    expect(await callbacks.open()).toHaveLength(1);
  });

  test('two processes booking and running the same reminders deliver it once, even when its job runs again', async () => {
    const [one, two] = [await service('one'), await service('two')];
    const t = await ticket();
    // Both hear of the booking (a retried request): the same job ids, one job each.
    await Promise.all([one.visitBooked(visit(t)), two.visitBooked(visit(t))]);
    expect((await queue.getDelayed()).filter((job) => job.name === 'visit')).toHaveLength(2);
    clock = shanghai('2026-11-24T18:00:00');
    await Promise.all([one.promoteDue(), two.promoteDue()]);
    const jobId = visitJobId(t.id, 'dayBefore', shanghai('2026-11-25T13:00:00'));
    expect(await finished(jobId)).toBe('delivered');
    // A job taken over after a stall runs a second time: the sent flag stops a second message.
    await queue.remove(jobId);
    await queue.add(
      'visit',
      { type: 'visit', ticketId: t.id, kind: 'dayBefore', start: shanghai('2026-11-25T13:00:00').toISOString(), dueAt: '' },
      { jobId },
    );
    expect(await finished(jobId)).toBe('alreadySent');
    expect(channel.to('wx-customer')).toHaveLength(1);
  });

  test('jobs survive a restart: scheduled by one service, delivered by the next one started', async () => {
    const before = await service('before');
    const t = await ticket();
    await before.visitBooked(visit(t));
    await stop(before);

    const after = await service('after');
    clock = shanghai('2026-11-24T18:00:00');
    expect(await after.promoteDue()).toBe(1);
    await until(() => channel.sent.length > 0, 'the reminder after the restart');
    expect(channel.sent).toEqual([expect.objectContaining({ conversationId: 'wx-customer', by: 'after' })]);
  });

  test('a reminder whose time passed while the service was down is still sent, but never after the visit began', async () => {
    const reminders = await service();
    const t = await ticket();
    await reminders.visitBooked(visit(t));
    clock = shanghai('2026-11-25T14:00:00');
    expect(await reminders.promoteDue()).toBe(2);
    expect(await finished(visitJobId(t.id, 'dayBefore', shanghai('2026-11-25T13:00:00')))).toBe('tooLate');
    expect(await finished(visitJobId(t.id, 'soon', shanghai('2026-11-25T13:00:00')))).toBe('tooLate');
    expect(channel.sent).toEqual([]);
  });

  test('a day-before reminder run late, on the visit day itself, is dropped; the two-hours one still comes', async () => {
    const reminders = await service();
    const t = await ticket();
    await reminders.visitBooked(visit(t));
    clock = shanghai('2026-11-25T11:30:00');
    expect(await reminders.promoteDue()).toBe(2);
    expect(await finished(visitJobId(t.id, 'dayBefore', shanghai('2026-11-25T13:00:00')))).toBe('tooLate');
    expect(await finished(visitJobId(t.id, 'soon', shanghai('2026-11-25T13:00:00')))).toBe('delivered');
    expect(channel.to('wx-customer')).toEqual([expect.stringContaining('今天下午')]);
  });

  test('a booking after 18:00 the evening before gets only the two-hours reminder', async () => {
    const reminders = await service();
    const t = await ticket();
    clock = shanghai('2026-11-24T20:00:00');
    await reminders.visitBooked(visit(t));
    expect((await reminders.pendingFor(t.id)).map((p) => p.kind)).toEqual(['soon']);
  });

  test('a maintenance contract ending within 30 days gets one 保养到期通知 with the offer to book, however often it is checked', async () => {
    const [one, two] = [await service('one'), await service('two')];
    // The customer's laptop under contract YB20250007 (ends 2026-11-29) was reported once.
    await tickets.create(
      {
        ...sampleTicketDraft('13700001111'),
        product: { modelId: 'Book 14', category: 'laptop', serial: 'NB25XF021344' },
        conversationId: 'web-laptop',
        channel: 'web',
      },
      'bot',
    );
    const [first, second] = await Promise.all([one.checkContracts(), two.checkContracts()]);
    // YB20250019 (ends 2026-12-27) is more than 30 days away; the other one's unit has no customer yet.
    expect(first.notified + second.notified).toBe(1);
    expect(await one.checkContracts()).toEqual({ notified: 0, listed: 0, noContact: 0 });
    expect(channel.to('web-laptop')).toHaveLength(1);
    expect(channel.to('web-laptop')[0]).toMatch(/保养到期通知.*云帆 Book 14.*尾号 1344.*11月29日到期.*回复“预约”/);
    // A month on, the second contract is due; it has no ticket and so nobody to tell yet, and is tried again daily.
    clock = shanghai('2026-12-01T10:00:00');
    expect(await one.checkContracts()).toEqual({ notified: 0, listed: 0, noContact: 1 });
    expect(await until(() => queue.getJobScheduler('contract-notices'), 'the daily schedule')).toMatchObject({
      pattern: '0 10 * * *',
      tz: 'Asia/Shanghai',
    });
  });

  test('a contract notice that cannot be delivered goes on the call list once', async () => {
    const reminders = await service();
    await tickets.create(
      {
        ...sampleTicketDraft('13700001111'),
        product: { modelId: 'Book 14', category: 'laptop', serial: 'NB25XF021344' },
        conversationId: 'gone',
      },
      'bot',
    );
    channel.outcomes.set('gone', { status: 'failed', reason: 'no conversation gone is known' });
    expect(await reminders.checkContracts()).toEqual({ notified: 0, listed: 1, noContact: 0 });
    expect(await reminders.checkContracts()).toEqual({ notified: 0, listed: 0, noContact: 0 });
    const open = await callbacks.open();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ phone: '13700001111' });
    expect(open[0].note).toMatch(/保养到期通知未能送达.*合同 YB20250007，序列号 NB25XF021344/);
  });

  test('an on-site ticket nobody is sent to by its dispatch deadline is flagged for the console; one in hand is not', async () => {
    const reminders = await service();
    const waiting = await ticket({ conversationId: 'c-waiting' });
    const dispatched = await ticket({ conversationId: 'c-dispatched' });
    const carryIn = await ticket({ conversationId: 'c-carry', serviceMode: 'carryIn' });
    for (const t of [waiting, dispatched, carryIn]) await reminders.ticketCreated(t);
    await tickets.move(dispatched.id, 'accepted', 'agent:王');
    await tickets.move(dispatched.id, 'dispatched', 'agent:王');
    expect(await atRisk.list()).toEqual([]);

    clock = new Date(Date.parse(waiting.dispatchDeadline) + 60_000);
    expect(await reminders.promoteDue()).toBe(2);
    expect(await finished(`deadline_${dispatched.id}`)).toBe('inHand');
    expect(await finished(`deadline_${waiting.id}`)).toBe('flagged');
    expect((await atRisk.list()).map((r) => [r.ticket.id, r.reason, r.deadline])).toEqual([
      [waiting.id, 'deadlinePassed', waiting.dispatchDeadline],
    ]);
    // Once an engineer is on the way it leaves the list.
    await tickets.move(waiting.id, 'accepted', 'agent:王');
    await tickets.move(waiting.id, 'dispatched', 'agent:王');
    expect(await atRisk.list()).toEqual([]);
  });

  test('every 15 minutes a sweep flags late on-site tickets whose own alert never ran (older tickets, a failed schedule)', async () => {
    const reminders = await service();
    const late = await ticket({ conversationId: 'c-late' });
    await ticket({ conversationId: 'c-carry', serviceMode: 'carryIn' });
    expect(await reminders.sweepDeadlines()).toBe(0);
    clock = new Date(Date.parse(late.dispatchDeadline) + 1);
    expect(await reminders.sweepDeadlines()).toBe(1);
    expect(await reminders.sweepDeadlines()).toBe(1);
    // What the console calls.
    expect((await atRiskTickets(redis, tickets)).map((r) => r.ticket.id)).toEqual([late.id]);
    expect(await until(() => queue.getJobScheduler('deadline-sweep'), 'the sweep schedule')).toMatchObject({
      pattern: '*/15 * * * *',
      tz: 'Asia/Shanghai',
    });
  });
});
