import type { Redis } from 'ioredis';
import type { TicketDraft, TicketStatus } from '../../desk/model';
import { TicketOutbox, OUTBOX_STREAM } from '../../desk/ticketOutbox';
import { extractTicketId, normalizeTicketId, TicketError, TicketStore } from '../../desk/tickets';
import { DEFAULT_WORKING_HOURS } from '../../desk/workingHours';
import { testRedis } from '../helpers/redis';

function draft(overrides: Partial<TicketDraft> = {}): TicketDraft {
  return {
    customer: { name: '张伟', phone: '13812345678' },
    product: { modelId: 'X20 Pro', category: 'phone', serial: 'X20P2405000123' },
    purchaseDate: '2025-03-01',
    warranty: { status: 'repair', serviceKind: 'free', endsOn: '2026-03-01' },
    fault: { symptom: '屏幕不亮', since: '昨天', liquid: false, physicalDamage: false, disassembled: false },
    serviceMode: 'onsite',
    area: 'city',
    address: '上海市浦东新区世纪大道100号',
    feeEstimate: { minYuan: 0, maxYuan: 0 },
    consent: { fee: false },
    channel: 'wechat',
    conversationId: 'conv-1',
    attachments: ['media-1'],
    stepsTried: ['restart', 'charge-30min'],
    ...overrides,
  };
}

const paidDraft = (consent: boolean): TicketDraft =>
  draft({
    warranty: { status: 'outOfWarranty', serviceKind: 'paid', endsOn: '2024-03-01' },
    feeEstimate: { minYuan: 200, maxYuan: 450 },
    consent: consent ? { fee: true, at: '2025-01-06T09:10:00.000Z' } : { fee: false },
  });

describe('TicketStore', () => {
  let redis: Redis;
  let clock: Date;
  let store: TicketStore;
  const now = (): Date => clock;

  beforeEach(() => {
    redis = testRedis();
    // Monday 2025-01-06 17:00 in Shanghai.
    clock = new Date('2025-01-06T17:00:00+08:00');
    store = new TicketStore(redis, { workingHours: DEFAULT_WORKING_HOURS, now });
  });

  afterEach(async () => {
    await redis.quit();
  });

  describe('create', () => {
    it('records every field, the deadline, version 1 and the first event', async () => {
      const t = await store.create(draft(), 'bot');
      expect(t).toMatchObject({
        ...draft(),
        id: 'S250106-0001',
        status: 'new',
        createdAt: clock.toISOString(),
        updatedAt: clock.toISOString(),
        // City: 6 working hours from Monday 17:00 → Tuesday 14:00.
        dispatchDeadline: new Date('2025-01-07T14:00:00+08:00').toISOString(),
        version: 1,
      });
      expect(t.history).toEqual([{ at: clock.toISOString(), by: 'bot', action: 'created', to: 'new' }]);
      expect(await store.get(t.id)).toEqual(t);
      expect(await redis.exists(`cs:ticket:{${t.id}}`)).toBe(1);
    });

    it('gives the suburbs 7 working hours', async () => {
      const t = await store.create(draft({ area: 'suburb' }), 'bot');
      expect(t.dispatchDeadline).toBe(new Date('2025-01-07T15:00:00+08:00').toISOString());
    });

    it('numbers tickets by the Shanghai date with a 4-digit daily sequence', async () => {
      // 2025-01-06 16:30 UTC is already 2025-01-07 00:30 in Shanghai.
      clock = new Date('2025-01-06T16:30:00Z');
      const a = await store.create(draft(), 'bot');
      const b = await store.create(draft(), 'bot');
      expect(a.id).toBe('S250107-0001');
      expect(b.id).toBe('S250107-0002');
      expect(a.id).toMatch(/^S\d{6}-\d{4,}$/);
    });

    it('grows past 4 digits after 9999 tickets in a day', async () => {
      await redis.set('cs:tickets:seq:250106', '9999');
      expect((await store.create(draft(), 'bot')).id).toBe('S250106-10000');
      expect(normalizeTicketId('s250106 10000')).toBe('S250106-10000');
    });

    it('gives 1,000 tickets created at once 1,000 distinct ids', async () => {
      const tickets = await Promise.all(Array.from({ length: 1000 }, (_, i) => store.create(draft({ conversationId: `c${i}` }), 'bot')));
      expect(new Set(tickets.map((t) => t.id)).size).toBe(1000);
      expect((await store.byStatus('new')).length).toBe(1000);
    });

    it('returns the first ticket for a retried report with the same idempotency key', async () => {
      const first = await store.create(draft(), 'bot', 'wechat:msg-42');
      const again = await store.create(draft(), 'bot', 'wechat:msg-42');
      expect(again).toEqual(first);
      const racing = await Promise.all(Array.from({ length: 20 }, () => store.create(draft(), 'bot', 'wechat:msg-43')));
      expect(new Set(racing.map((t) => t.id)).size).toBe(1);
      expect((await store.byPhone('13812345678')).length).toBe(2);
    });

    it('finishes a ticket whose first attempt reserved the id but died before writing it', async () => {
      await redis.set('cs:tickets:idem:web:m1', 'S250106-0077');
      const t = await store.create(draft(), 'bot', 'web:m1');
      expect(t.id).toBe('S250106-0077');
      expect(await store.get('S250106-0077')).toEqual(t);
    });

    it('re-sends the created event on a retry when the first attempt stopped before the outbox', async () => {
      const outbox = new TicketOutbox(redis);
      const withOutbox = new TicketStore(redis, { workingHours: DEFAULT_WORKING_HOURS, now, outbox });
      // The first attempt wrote the ticket but never reached the outbox.
      const first = await store.create(draft(), 'bot', 'web:m2');
      expect(await redis.xlen(OUTBOX_STREAM)).toBe(0);
      await withOutbox.create(draft(), 'bot', 'web:m2');
      await withOutbox.create(draft(), 'bot', 'web:m2');
      const entries = await redis.xrange(OUTBOX_STREAM, '-', '+');
      expect(entries.length).toBe(1);
      expect(entries[0][1]).toEqual(expect.arrayContaining(['idempotencyKey', `${first.id}:1`]));
    });

    it('rejects paid service without consent to the fee, and writes nothing', async () => {
      await expect(store.create(paidDraft(false), 'bot')).rejects.toThrow(TicketError);
      await expect(store.create(paidDraft(false), 'bot')).rejects.toThrow(/consent to the fee/);
      await expect(
        store.create(draft({ warranty: { status: 'voided', serviceKind: 'paid' }, consent: { fee: false } }), 'bot'),
      ).rejects.toMatchObject({
        code: 'invalid',
        issues: [expect.objectContaining({ path: 'consent.fee' })],
      });
      expect(await redis.keys('cs:ticket:*')).toEqual([]);
      const ok = await store.create(paidDraft(true), 'bot');
      expect(ok.consent.fee).toBe(true);
    });

    it.each([
      ['12812345678', 'second digit 2'],
      ['1381234567', 'ten digits'],
      ['138123456789', 'twelve digits'],
      ['02161234567', 'a landline'],
      ['abc', 'not a number'],
    ])('rejects the phone %s (%s)', async (phone) => {
      await expect(store.create(draft({ customer: { name: '张伟', phone } }), 'bot')).rejects.toMatchObject({
        name: 'TicketError',
        code: 'invalid',
        message: expect.stringMatching(/customer\.phone/),
      });
    });

    it('accepts a phone written with +86 and spaces, and stores the bare number', async () => {
      const t = await store.create(draft({ customer: { name: '张伟', phone: '+86 138 1234 5678' } }), 'bot');
      expect(t.customer.phone).toBe('13812345678');
    });

    it.each([
      ['an empty name', { customer: { name: '  ', phone: '13812345678' } }, /customer\.name/],
      ['an empty symptom', { fault: { symptom: '', liquid: false, physicalDamage: false, disassembled: false } }, /fault\.symptom/],
      ['an unknown service mode', { serviceMode: 'teleport' as TicketDraft['serviceMode'] }, /serviceMode/],
      ['a fee range upside down', { feeEstimate: { minYuan: 500, maxYuan: 100 } }, /feeEstimate/],
    ])('rejects %s', async (_name, overrides, reason) => {
      await expect(store.create(draft(overrides as Partial<TicketDraft>), 'bot')).rejects.toThrow(reason);
    });
  });

  describe('ticket numbers in text', () => {
    it.each([
      ['S250106-0042', 'S250106-0042'],
      ['s250106-0042', 'S250106-0042'],
      ['S2501060042', 'S250106-0042'],
      [' S 250106 0042 ', 'S250106-0042'],
      ['Ｓ２５０１０６－００４２', 'S250106-0042'],
      ['S250106-00042', 'S250106-00042'],
      ['S25010-0042', undefined],
      ['X250106-0042', undefined],
      ['S250106-042', undefined],
    ])('normalizes %j', (text, id) => {
      expect(normalizeTicketId(text)).toBe(id);
    });

    it.each([
      ['我的工单号是S261122-0042，查一下', 'S261122-0042'],
      ['工单 s 261122 0042 到哪了', 'S261122-0042'],
      ['查询Ｓ２６１１２２－００４２', 'S261122-0042'],
      ['order S2611220042.', 'S261122-0042'],
      ['我的手机是13812345678', undefined],
      ['XS261122-0042', undefined],
    ])('extracts from %j', (text, id) => {
      expect(extractTicketId(text)).toBe(id);
    });

    it('finds a ticket however the id is written', async () => {
      const t = await store.create(draft(), 'bot');
      expect((await store.get(t.id.toLowerCase().replace('-', ' ')))?.id).toBe(t.id);
      expect(await store.get('S999999-9999')).toBeUndefined();
      expect(await store.get('hello')).toBeUndefined();
    });
  });

  describe('move', () => {
    const path: TicketStatus[] = ['accepted', 'dispatched', 'inRepair', 'completed', 'closed'];

    it('walks the whole state machine, recording who, when and what', async () => {
      const t = await store.create(draft(), 'bot');
      let from: TicketStatus = 'new';
      let version = 1;
      for (const [i, to] of path.entries()) {
        clock = new Date(clock.getTime() + 60_000);
        const moved = await store.move(t.id, to, `agent:李娜${i}`, `step ${i}`);
        version += 1;
        expect(moved).toMatchObject({ status: to, version, updatedAt: clock.toISOString() });
        expect(moved.history[moved.history.length - 1]).toEqual({
          at: clock.toISOString(),
          by: `agent:李娜${i}`,
          action: 'moved',
          from,
          to,
          note: `step ${i}`,
        });
        from = to;
      }
      const history = await store.history(t.id);
      expect(history.map((e) => e.to)).toEqual(['new', ...path]);
      expect(history.map((e) => e.action)).toEqual(['created', 'moved', 'moved', 'moved', 'moved', 'moved']);
    });

    it.each(['new', 'accepted', 'dispatched', 'inRepair'] as TicketStatus[])('cancels an open ticket in %s', async (status) => {
      const t = await store.create(draft(), 'bot');
      for (const to of path.slice(0, path.indexOf(status) + 1)) await store.move(t.id, to, 'agent:a');
      const cancelled = await store.move(t.id, 'cancelled', 'customer', '不修了');
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.history[cancelled.history.length - 1]).toMatchObject({
        from: status,
        to: 'cancelled',
        by: 'customer',
        note: '不修了',
      });
    });

    const illegal: [TicketStatus, TicketStatus][] = [
      ['new', 'dispatched'],
      ['new', 'completed'],
      ['new', 'closed'],
      ['new', 'new'],
      ['accepted', 'new'],
      ['accepted', 'inRepair'],
      ['dispatched', 'accepted'],
      ['inRepair', 'closed'],
      ['completed', 'cancelled'],
      ['completed', 'inRepair'],
      ['closed', 'cancelled'],
      ['closed', 'new'],
      ['cancelled', 'new'],
      ['cancelled', 'accepted'],
    ];
    it.each(illegal)('refuses %s → %s and changes nothing', async (from, to) => {
      const t = await store.create(draft(), 'bot');
      if (from === 'cancelled') await store.move(t.id, 'cancelled', 'agent:a');
      else for (const step of path.slice(0, path.indexOf(from) + 1)) await store.move(t.id, step, 'agent:a');
      const before = await store.get(t.id);
      await expect(store.move(t.id, to, 'agent:b')).rejects.toMatchObject({ name: 'TicketError', code: 'illegalMove' });
      expect(await store.get(t.id)).toEqual(before);
    });

    it('refuses a move of a ticket that does not exist', async () => {
      await expect(store.move('S250106-9999', 'accepted', 'agent:a')).rejects.toMatchObject({ code: 'notFound' });
    });

    it('lets exactly one of many concurrent identical moves win', async () => {
      const t = await store.create(draft(), 'bot');
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.move(t.id, 'accepted', `agent:${i}`)));
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
      const after = await store.get(t.id);
      expect(after?.version).toBe(2);
      expect(after?.history.length).toBe(2);
    });

    it('loses no change when moves and updates race', async () => {
      const t = await store.create(draft(), 'bot');
      await Promise.all([
        store.move(t.id, 'accepted', 'agent:a'),
        store.update(t.id, { address: '新地址1号' }, 'agent:b'),
        store.update(t.id, { stepsTried: ['reset'] }, 'agent:c'),
      ]);
      const after = await store.get(t.id);
      expect(after).toMatchObject({ status: 'accepted', address: '新地址1号', stepsTried: ['reset'], version: 4 });
      expect(after?.history.length).toBe(4);
    });
  });

  describe('update', () => {
    it('records each changed field as [before, after]', async () => {
      const t = await store.create(draft({ address: undefined }), 'bot');
      clock = new Date(clock.getTime() + 5_000);
      const u = await store.update(
        t.id,
        {
          address: '北京市海淀区中关村大街1号',
          serviceMode: 'carryIn',
          stepsTried: ['restart', 'charge-30min'],
          customer: { name: '张伟', phone: '139 0000 1111' },
        },
        'agent:王芳',
      );
      expect(u).toMatchObject({
        version: 2,
        address: '北京市海淀区中关村大街1号',
        serviceMode: 'carryIn',
        customer: { name: '张伟', phone: '13900001111' },
      });
      expect(u.history[1]).toEqual({
        at: clock.toISOString(),
        by: 'agent:王芳',
        action: 'updated',
        changes: {
          address: [null, '北京市海淀区中关村大街1号'],
          serviceMode: ['onsite', 'carryIn'],
          customer: [
            { name: '张伟', phone: '13812345678' },
            { name: '张伟', phone: '13900001111' },
          ],
        },
      });
      expect((await store.byPhone('13900001111')).map((x) => x.id)).toEqual([t.id]);
      expect(await store.byPhone('13812345678')).toEqual([]);
    });

    it('changes nothing when nothing differs', async () => {
      const t = await store.create(draft(), 'bot');
      const u = await store.update(t.id, { serviceMode: 'onsite' }, 'agent:a');
      expect(u).toEqual(t);
    });

    it('refuses to drop fee consent on a paid ticket, a bad phone, or unknown fields', async () => {
      const t = await store.create(paidDraft(true), 'bot');
      await expect(store.update(t.id, { consent: { fee: false } }, 'agent:a')).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.update(t.id, { customer: { name: '张伟', phone: '123' } }, 'agent:a')).rejects.toThrow(/customer\.phone/);
      await expect(store.update(t.id, { status: 'closed' } as never, 'agent:a')).rejects.toMatchObject({ code: 'invalid' });
      expect(await store.get(t.id)).toEqual(t);
    });

    it('refuses to change a closed or cancelled ticket', async () => {
      const t = await store.create(draft(), 'bot');
      await store.move(t.id, 'cancelled', 'customer');
      await expect(store.update(t.id, { address: 'x' }, 'agent:a')).rejects.toMatchObject({ code: 'final' });
    });
  });

  describe('lookups', () => {
    it('finds tickets by phone (newest first), by status and by deadline', async () => {
      const a = await store.create(draft(), 'bot'); // Mon 17:00 city → Tue 14:00
      clock = new Date('2025-01-06T18:30:00+08:00');
      const b = await store.create(draft({ area: 'suburb' }), 'bot'); // night → Tue 16:00
      clock = new Date('2025-01-06T10:00:00+08:00');
      const c = await store.create(draft({ customer: { name: '李雷', phone: '15900000000' } }), 'bot'); // → Mon 16:00

      expect((await store.byPhone('13812345678')).map((t) => t.id)).toEqual([b.id, a.id]);
      expect((await store.byPhone('159 0000 0000')).map((t) => t.id)).toEqual([c.id]);
      expect(await store.byPhone('not a phone')).toEqual([]);

      await store.move(a.id, 'accepted', 'agent:a');
      await store.move(c.id, 'cancelled', 'customer');
      expect((await store.byStatus('new')).map((t) => t.id)).toEqual([b.id]);
      expect((await store.byStatus('accepted')).map((t) => t.id)).toEqual([a.id]);
      expect((await store.byStatus('cancelled')).map((t) => t.id)).toEqual([c.id]);

      // c is cancelled, so it is no longer due; a is due Tue 14:00, b Tue 16:00.
      expect((await store.dueBefore(new Date('2025-01-07T15:00:00+08:00'))).map((t) => t.id)).toEqual([a.id]);
      expect((await store.dueBefore(new Date('2025-01-08T00:00:00+08:00'))).map((t) => t.id)).toEqual([a.id, b.id]);
      expect(await store.dueBefore(new Date('2025-01-07T14:00:00+08:00'))).toEqual([]);
    });
  });

  describe('outbox', () => {
    it('appends every create, move and update with its idempotency key', async () => {
      const outbox = new TicketOutbox(redis);
      const s = new TicketStore(redis, { workingHours: DEFAULT_WORKING_HOURS, now, outbox });
      const t = await s.create(draft(), 'bot');
      await s.move(t.id, 'accepted', 'agent:a');
      await s.update(t.id, { address: '新地址' }, 'agent:a');
      await expect(s.move(t.id, 'closed', 'agent:a')).rejects.toThrow(TicketError);
      const entries = await redis.xrange(OUTBOX_STREAM, '-', '+');
      const bodies = entries.map(
        ([, fields]) =>
          JSON.parse(fields[fields.indexOf('body') + 1]) as { event: string; idempotencyKey: string; ticket: { version: number } },
      );
      expect(bodies.map((b) => [b.event, b.idempotencyKey, b.ticket.version])).toEqual([
        ['ticket.created', `${t.id}:1`, 1],
        ['ticket.moved', `${t.id}:2`, 2],
        ['ticket.updated', `${t.id}:3`, 3],
      ]);
    });
  });
});
