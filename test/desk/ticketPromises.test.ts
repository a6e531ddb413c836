import type { Redis } from 'ioredis';
import type { Callback } from '../../desk/callbacks';
import type { Ticket, TicketStatus } from '../../desk/model';
import { TicketChases } from '../../desk/ticketChases';
import { callbackPromiseOf, minutesLate, nextStepOf, type TicketNextStep } from '../../desk/ticketPromises';
import { parseWorkingHours } from '../../desk/workingHours';
import { testRedis } from '../helpers/redis';

const sh = (local: string): string => new Date(`${local}+08:00`).toISOString();
const at = (local: string): Date => new Date(`${local}+08:00`);

function ticket(status: TicketStatus, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'S261122-0001',
    status,
    customer: { name: '张伟', phone: '13812345678' },
    product: { modelId: 'X20 Pro', category: 'phone' },
    warranty: { status: 'repair', serviceKind: 'free' },
    fault: { symptom: '屏幕不亮', liquid: false, physicalDamage: false, disassembled: false },
    serviceMode: 'onsite',
    area: 'city',
    consent: { fee: false },
    channel: 'web',
    conversationId: 'c1',
    createdAt: sh('2026-11-22T10:00:00'),
    updatedAt: sh('2026-11-23T11:00:00'),
    dispatchDeadline: sh('2026-11-22T16:00:00'),
    version: 1,
    history: [
      { at: sh('2026-11-22T10:00:00'), by: 'bot', action: 'created', to: 'new' },
      { at: sh('2026-11-23T09:30:00'), by: 'engineer:e1', action: 'moved', from: 'inRepair', to: status },
    ],
    ...overrides,
  };
}

describe('nextStepOf: what the customer is promised for each state', () => {
  const before = at('2026-11-22T12:00:00');
  const after = at('2026-11-22T17:30:00');
  const cases: [string, Ticket, Date, TicketNextStep][] = [
    ['new, on-site: the visit by the deadline', ticket('new'), before, { kind: 'visit', by: sh('2026-11-22T16:00:00'), late: false }],
    [
      'dispatched, on-site, past the deadline: late',
      ticket('dispatched'),
      after,
      { kind: 'visit', by: sh('2026-11-22T16:00:00'), late: true },
    ],
    [
      'accepted, carry-in: contact by the deadline',
      ticket('accepted', { serviceMode: 'carryIn' }),
      before,
      { kind: 'contact', mode: 'carryIn', by: sh('2026-11-22T16:00:00'), late: false },
    ],
    [
      'a booked visit replaces the dispatch deadline, even one already past',
      ticket('accepted', { appointment: { start: sh('2026-11-23T14:00:00'), end: sh('2026-11-23T16:00:00') } }),
      after,
      { kind: 'appointment', mode: 'onsite', start: sh('2026-11-23T14:00:00'), end: sh('2026-11-23T16:00:00'), late: false },
    ],
    [
      'a booked window that has passed: late',
      ticket('dispatched', { appointment: { start: sh('2026-11-22T14:00:00'), end: sh('2026-11-22T16:00:00') } }),
      after,
      { kind: 'appointment', mode: 'onsite', start: sh('2026-11-22T14:00:00'), end: sh('2026-11-22T16:00:00'), late: true },
    ],
    ['in repair: no deadline to miss', ticket('inRepair', { serviceMode: 'mailIn' }), after, { kind: 'repairing', mode: 'mailIn' }],
    ['completed: when', ticket('completed'), after, { kind: 'completed', mode: 'onsite', at: sh('2026-11-23T09:30:00') }],
    ['closed: when', ticket('closed'), after, { kind: 'closed', at: sh('2026-11-23T09:30:00') }],
    [
      'cancelled without the move on record: the last change',
      ticket('cancelled', { history: [] }),
      after,
      { kind: 'cancelled', at: sh('2026-11-23T11:00:00') },
    ],
  ];
  it.each(cases)('%s', (_name, t, now, expected) => {
    expect(nextStepOf(t, now)).toEqual(expected);
  });

  it('counts whole minutes late', () => {
    const step = nextStepOf(ticket('new'), at('2026-11-22T17:30:59'));
    if (!('late' in step)) throw new Error('expected a promise');
    expect(minutesLate(step, at('2026-11-22T17:30:59'))).toBe(90);
    expect(minutesLate(step, at('2026-11-22T15:00:00'))).toBe(0);
  });
});

describe('callbackPromiseOf: the same service day, with a working hour to make the call', () => {
  const service = parseWorkingHours('09:00-22:00 1-7');
  const callback = (createdAt: string): Callback => ({
    id: 'C261122-0001',
    conversationId: 'c1',
    channel: 'web',
    phone: '13812345678',
    status: 'open',
    createdAt: sh(createdAt),
  });
  const cases: [string, string, string][] = [
    ['in the morning: that evening', '2026-11-22T10:00:00', '2026-11-22T22:00:00'],
    ['an hour before closing: still that evening', '2026-11-22T21:00:00', '2026-11-22T22:00:00'],
    ['in the last hour: the next evening', '2026-11-22T21:30:00', '2026-11-23T22:00:00'],
    ['at night: the next evening', '2026-11-22T23:10:00', '2026-11-23T22:00:00'],
  ];
  it.each(cases)('%s', (_name, created, by) => {
    expect(callbackPromiseOf(callback(created), service, at(created))).toEqual({ id: 'C261122-0001', by: sh(by), late: false });
  });
  it('is late once that time has passed', () => {
    expect(callbackPromiseOf(callback('2026-11-22T10:00:00'), service, at('2026-11-22T22:01:00')).late).toBe(true);
  });
});

describe('TicketChases', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('logs and lists a late ticket once a day per promise, however often the customer asks', async () => {
    const warnings: { details: object; message: string }[] = [];
    let clock = at('2026-11-23T10:00:00');
    const chases = new TicketChases(redis, {
      logger: { warn: (details, message) => warnings.push({ details, message }) },
      now: () => clock,
      onceEverySeconds: 60,
    });
    const chase = {
      ticketId: 'S261122-0001',
      status: 'new',
      promised: sh('2026-11-22T16:00:00'),
      minutesLate: 1080,
      channel: 'web',
      conversationId: 'c1',
    };
    expect(await chases.chase(chase)).toBe(true);
    expect(await chases.chase({ ...chase, minutesLate: 1081 })).toBe(false);
    expect(warnings).toEqual([
      {
        details: expect.objectContaining({ event: 'ticket.pastPromise', ticketId: 'S261122-0001', minutesLate: 1080 }),
        message: expect.stringContaining('promised time'),
      },
    ]);
    expect(await chases.recent()).toEqual([{ at: clock.toISOString(), ...chase }]);

    // A new promise (a booked visit) that is missed too is a new chase.
    clock = at('2026-11-24T10:00:00');
    expect(await chases.chase({ ...chase, promised: sh('2026-11-23T16:00:00') })).toBe(true);
    expect((await chases.recent()).map((c) => c.promised)).toEqual([sh('2026-11-23T16:00:00'), sh('2026-11-22T16:00:00')]);
    expect(warnings).toHaveLength(2);
  });
});
