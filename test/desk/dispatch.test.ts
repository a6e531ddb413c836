import type { Redis } from 'ioredis';
import { Catalogue } from '../../desk/catalogue';
import { planDispatch, type DispatchPlan, type DispatchRequest } from '../../desk/dispatch';
import { DistrictDirectory } from '../../desk/districts';
import { VisitNetwork } from '../../desk/visitNetwork';
import { VisitSlots } from '../../desk/visitSlots';
import { DEFAULT_WORKING_HOURS } from '../../desk/workingHours';
import { testRedis } from '../helpers/redis';

const districts = DistrictDirectory.forProvince('上海');
const network = VisitNetwork.default({
  districts,
  families: Catalogue.default()
    .categories()
    .map((c) => c.id),
});
const code = (name: string): string => districts.byName(name)?.code ?? 'none';

/** Thursday 2026-12-03 10:00 in Shanghai. */
const T0 = new Date('2026-12-03T02:00:00.000Z');

describe('dispatch (派单)', () => {
  let redis: Redis;
  let slots: VisitSlots;
  const plan = (over: Partial<DispatchRequest>): Promise<DispatchPlan> =>
    planDispatch(
      { family: 'tv', districtCode: code('浦东新区'), mode: 'onsite', reportedAt: T0, ...over },
      { network, slots, workingHours: DEFAULT_WORKING_HOURS, now: () => T0 },
    );
  const onsite = async (over: Partial<DispatchRequest> = {}): Promise<Extract<DispatchPlan, { kind: 'onsite' }>> => {
    const result = await plan(over);
    if (result.kind !== 'onsite') throw new Error(`expected a visit plan, got ${result.kind}`);
    return result;
  };
  const fill = async (engineerId: string, date: string, halfDay: 'am' | 'pm', places: number): Promise<void> => {
    for (let i = 0; i < places; i++) await slots.book(`T-${engineerId}-${date}-${halfDay}-${i}`, { engineerId, date, halfDay }, places);
  };

  beforeEach(() => {
    redis = testRedis();
    slots = new VisitSlots(redis, { now: () => T0 });
  });
  afterEach(async () => {
    await redis.quit();
  });

  test('a TV in 浦东 reported at 10:00: the engineers of 张江 who repair TVs, this afternoon first, due by 16:00', async () => {
    const result = await onsite();
    expect(result.servicePoint.id).toBe('sp-pudong');
    expect(result.area).toBe('city');
    expect(result.deadline.toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(result.engineers.map((e) => e.id)).toEqual(['e09', 'e10', 'e12']);
    expect(result.offers[0]).toMatchObject({
      slot: { engineerId: 'e09', date: '2026-12-03', halfDay: 'pm' },
      free: 3,
      deadline: 'possible',
    });
    expect(result.atRisk).toBe(false);
    // 14 days of half-days, this morning already begun.
    expect(result.offers).toHaveLength(27);
    expect(new Set(result.offers.map((o) => o.slot.date)).size).toBe(14);
  });

  test('the suburbs get 7 working hours: 奉贤 reported at 17:30 is due at 15:30 the next day', async () => {
    const result = await onsite({ districtCode: code('奉贤区'), reportedAt: new Date('2026-12-03T09:30:00.000Z') });
    expect(result.area).toBe('suburb');
    expect(result.deadline.toISOString()).toBe('2026-12-04T07:30:00.000Z');
  });

  test("the least loaded engineer gets the next visit; equal loads keep the list's order", async () => {
    await slots.book('S1', { engineerId: 'e09', date: '2026-12-07', halfDay: 'am' }, 3);
    const result = await onsite();
    expect(result.engineers.map((e) => e.id)).toEqual(['e10', 'e12', 'e09']);
    expect(result.offers[0].slot).toEqual({ engineerId: 'e10', date: '2026-12-03', halfDay: 'pm' });
  });

  test('a full half-day is not offered; when no free time is before the deadline the ticket is at risk', async () => {
    await fill('e09', '2026-12-03', 'pm', 3);
    await fill('e10', '2026-12-03', 'pm', 3);
    const result = await onsite();
    expect(result.offers[0].slot).toMatchObject({ date: '2026-12-04', halfDay: 'am' });
    expect(result.offers.every((o) => o.deadline === 'missed')).toBe(true);
    expect(result.atRisk).toBe(true);
  });

  test("a ticket's own deadline is used when it has one", async () => {
    const result = await onsite({ deadline: new Date('2026-12-05T04:00:00.000Z') });
    expect(result.offers.filter((o) => o.deadline === 'met').map((o) => `${o.slot.date} ${o.slot.halfDay}`)).toEqual([
      '2026-12-03 pm',
      '2026-12-04 am',
      '2026-12-04 pm',
      '2026-12-05 am',
    ]);
  });

  test.each([
    [
      'earbuds on site in 徐汇: its service point does not repair them',
      { family: 'earbuds', districtCode: code('徐汇区') },
      { kind: 'uncovered', reason: 'family' },
    ],
    ['a district outside the network', { districtCode: '110105' }, { kind: 'uncovered', reason: 'district' }],
    [
      'earbuds carried in from 徐汇 go to 张江',
      { family: 'earbuds', districtCode: code('徐汇区'), mode: 'carryIn' as const },
      { kind: 'carryIn', servicePoint: { id: 'sp-pudong' }, area: 'city' },
    ],
    [
      'a TV carried in from 崇明 goes to 五角场',
      { districtCode: code('崇明区'), mode: 'carryIn' as const },
      { kind: 'carryIn', servicePoint: { id: 'sp-yangpu' }, area: 'suburb' },
    ],
    [
      'a phone mailed in from 杨浦 goes to a point that takes mail (徐家汇)',
      { family: 'phone', districtCode: code('杨浦区'), mode: 'mailIn' as const },
      { kind: 'mailIn', servicePoint: { id: 'sp-xuhui', mailInAddress: expect.stringContaining('寄修') } },
    ],
  ])('%s', async (_what, over, expected) => {
    expect(await plan(over)).toMatchObject(expected);
  });
});
