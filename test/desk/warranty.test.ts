import { Catalogue } from '../../desk/catalogue';
import type { CalendarDate, Category, FaultFacts, ServiceContract, WarrantyVerdict } from '../../desk/model';
import { addDays, addMonths, daysBetween, exclusionFor, formatDateZh, periodEnd, statusOf, todayIn } from '../../desk/warranty';

const catalogue = Catalogue.default();
const category = (id: string): Category => {
  const found = catalogue.category(id);
  if (!found) throw new Error(`no category ${id} in the shipped catalogue`);
  return found;
};

const TODAY = '2026-11-22';
const proof: FaultFacts = { hasProof: true };

describe('date helpers', () => {
  test.each<[CalendarDate, number, CalendarDate]>([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2026-11-22', 0, '2026-11-22'],
  ])('addMonths(%s, %i) = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  test.each<[CalendarDate, number, CalendarDate]>([
    ['2026-11-22', 7, '2026-11-29'],
    ['2026-12-28', 7, '2027-01-04'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('addDays(%s, %i) = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  test.each<[CalendarDate, CalendarDate, number]>([
    ['2026-11-15', '2026-11-22', 7],
    ['2026-11-22', '2026-11-15', -7],
    ['2024-01-01', '2025-01-01', 366],
    ['2026-03-28', '2026-03-30', 2],
  ])('daysBetween(%s, %s) = %i', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  test('month periods end the day before the clamped anniversary', () => {
    expect(periodEnd('2025-11-23', 12)).toBe('2026-11-22');
    expect(periodEnd('2024-01-31', 12)).toBe('2025-01-30');
    expect(periodEnd('2024-02-29', 12)).toBe('2025-02-27');
  });

  test('todayIn reads the calendar day in the given zone, not the server’s', () => {
    const lateEveningUtc = new Date('2026-11-21T16:30:00Z');
    expect(todayIn('Asia/Shanghai', lateEveningUtc)).toBe('2026-11-22');
    expect(todayIn('UTC', lateEveningUtc)).toBe('2026-11-21');
    expect(todayIn(undefined, new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(todayIn(undefined, new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
  });

  test('malformed dates are refused', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('22/11/2026', 1)).toThrow(RangeError);
  });
});

interface Case {
  name: string;
  category: string;
  purchaseDate?: CalendarDate;
  today?: CalendarDate;
  facts?: Partial<FaultFacts>;
  contract?: ServiceContract;
  expected: Partial<WarrantyVerdict>;
}

const cases: Case[] = [
  // 三包 windows: purchase day is day 0.
  {
    name: 'day 0 → refund',
    category: 'phone',
    purchaseDate: '2026-11-22',
    expected: { status: 'refund', serviceKind: 'free', coverage: 'mainUnit', endsOn: '2026-11-29', daysLeft: 7 },
  },
  {
    name: 'day 7 → still refund (last day)',
    category: 'phone',
    purchaseDate: '2026-11-15',
    expected: { status: 'refund', endsOn: '2026-11-22', daysLeft: 0 },
  },
  {
    name: 'day 8 → exchange',
    category: 'phone',
    purchaseDate: '2026-11-14',
    expected: { status: 'exchange', serviceKind: 'free', endsOn: '2026-11-29', daysLeft: 7 },
  },
  {
    name: 'day 15 → still exchange (last day)',
    category: 'laptop',
    purchaseDate: '2026-11-07',
    expected: { status: 'exchange', endsOn: '2026-11-22', daysLeft: 0 },
  },
  {
    name: 'day 16 → free repair',
    category: 'laptop',
    purchaseDate: '2026-11-06',
    expected: { status: 'repair', serviceKind: 'free', coverage: 'mainUnit', endsOn: '2027-11-05' },
  },

  // Main unit, 12 months: through the day before the anniversary.
  {
    name: 'last day of the main-unit warranty',
    category: 'phone',
    purchaseDate: '2025-11-23',
    expected: { status: 'repair', coverage: 'mainUnit', endsOn: '2026-11-22', daysLeft: 0, fees: [] },
  },
  {
    name: 'the day after the main-unit warranty',
    category: 'phone',
    purchaseDate: '2025-11-22',
    expected: { status: 'outOfWarranty', serviceKind: 'paid', coverage: 'none', endsOn: '2026-11-21', daysLeft: -1 },
  },

  // Month-end and leap-day purchases.
  {
    name: 'Jan 31 purchase: last day 2025-01-30',
    category: 'router',
    purchaseDate: '2024-01-31',
    today: '2025-01-30',
    expected: { status: 'repair', endsOn: '2025-01-30' },
  },
  {
    name: 'Jan 31 purchase: 2025-01-31 is out',
    category: 'router',
    purchaseDate: '2024-01-31',
    today: '2025-01-31',
    expected: { status: 'outOfWarranty', endsOn: '2025-01-30' },
  },
  {
    name: 'leap-day purchase: last day 2025-02-27',
    category: 'watch',
    purchaseDate: '2024-02-29',
    today: '2025-02-27',
    expected: { status: 'repair', endsOn: '2025-02-27' },
  },
  {
    name: 'leap-day purchase: 2025-02-28 is out',
    category: 'watch',
    purchaseDate: '2024-02-29',
    today: '2025-02-28',
    expected: { status: 'outOfWarranty', endsOn: '2025-02-27' },
  },

  // Parts with their own period.
  {
    name: 'phone battery, last day of its 6 months',
    category: 'phone',
    purchaseDate: '2026-01-10',
    today: '2026-07-09',
    facts: { partId: 'battery' },
    expected: { status: 'repair', coverage: 'part', endsOn: '2026-07-09' },
  },
  {
    name: 'phone battery, the day after its 6 months',
    category: 'phone',
    purchaseDate: '2026-01-10',
    today: '2026-07-10',
    facts: { partId: 'battery' },
    expected: { status: 'outOfWarranty', endsOn: '2026-07-09' },
  },
  {
    name: 'same phone, same day, not the battery: main unit covers it',
    category: 'phone',
    purchaseDate: '2026-01-10',
    today: '2026-07-10',
    expected: { status: 'repair', coverage: 'mainUnit', endsOn: '2027-01-09' },
  },
  {
    name: 'a part id the category does not know falls back to the main unit',
    category: 'phone',
    purchaseDate: '2026-01-10',
    today: '2026-07-10',
    facts: { partId: 'flux-capacitor' },
    expected: { status: 'repair', coverage: 'mainUnit' },
  },
  {
    name: 'phone wired headset, 3 months',
    category: 'phone',
    purchaseDate: '2026-08-22',
    facts: { partId: 'wiredHeadset' },
    expected: { status: 'outOfWarranty', endsOn: '2026-11-21' },
  },
  {
    name: 'laptop mainboard, 24 months: last day',
    category: 'laptop',
    purchaseDate: '2024-11-23',
    facts: { partId: 'mainboard' },
    expected: { status: 'repair', coverage: 'part', endsOn: '2026-11-22' },
  },
  {
    name: 'laptop mainboard, 24 months: the day after',
    category: 'laptop',
    purchaseDate: '2024-11-22',
    facts: { partId: 'mainboard' },
    expected: { status: 'outOfWarranty', endsOn: '2026-11-21' },
  },
  {
    name: 'laptop, same age, keyboard: main unit long over',
    category: 'laptop',
    purchaseDate: '2024-11-23',
    expected: { status: 'outOfWarranty', endsOn: '2025-11-22' },
  },
  {
    name: 'TV panel, 36 months: last day',
    category: 'tv',
    purchaseDate: '2023-11-23',
    facts: { partId: 'panel' },
    expected: { status: 'repair', coverage: 'part', endsOn: '2026-11-22' },
  },
  {
    name: 'TV panel, 36 months: the day after',
    category: 'tv',
    purchaseDate: '2023-11-22',
    facts: { partId: 'panel' },
    expected: { status: 'outOfWarranty', endsOn: '2026-11-21' },
  },
  {
    name: 'TV main board, 36 months',
    category: 'tv',
    purchaseDate: '2024-05-01',
    facts: { partId: 'mainboard' },
    expected: { status: 'repair', coverage: 'part', endsOn: '2027-04-30' },
  },

  // A repaired part carries 90 days of its own.
  {
    name: 'repaired part: 90 days beyond the main warranty',
    category: 'phone',
    purchaseDate: '2025-10-01',
    facts: { repairedOn: '2026-09-01' },
    expected: { status: 'repair', coverage: 'repairedPart', endsOn: '2026-11-30' },
  },
  {
    name: 'repaired part: last of its 90 days',
    category: 'phone',
    purchaseDate: '2025-10-01',
    today: '2026-11-30',
    facts: { repairedOn: '2026-09-01' },
    expected: { status: 'repair', coverage: 'repairedPart', endsOn: '2026-11-30' },
  },
  {
    name: 'repaired part: the day after its 90 days',
    category: 'phone',
    purchaseDate: '2025-10-01',
    today: '2026-12-01',
    facts: { repairedOn: '2026-09-01' },
    expected: { status: 'outOfWarranty', endsOn: '2026-11-30' },
  },
  {
    name: 'repaired early: the main warranty lasts longer',
    category: 'phone',
    purchaseDate: '2026-05-01',
    facts: { repairedOn: '2026-06-01' },
    expected: { status: 'repair', coverage: 'mainUnit', endsOn: '2027-04-30' },
  },
  {
    name: 'repaired battery outlives the battery period',
    category: 'phone',
    purchaseDate: '2026-01-10',
    today: '2026-08-01',
    facts: { partId: 'battery', repairedOn: '2026-07-01' },
    expected: { status: 'repair', coverage: 'repairedPart', endsOn: '2026-09-29' },
  },

  // Days in repair push the end out.
  {
    name: 'daysInRepair 22 reaches today exactly',
    category: 'phone',
    purchaseDate: '2025-11-01',
    facts: { daysInRepair: 22 },
    expected: { status: 'repair', endsOn: '2026-11-22', daysLeft: 0 },
  },
  {
    name: 'daysInRepair 21 falls one day short',
    category: 'phone',
    purchaseDate: '2025-11-01',
    facts: { daysInRepair: 21 },
    expected: { status: 'outOfWarranty', endsOn: '2026-11-21' },
  },
  {
    name: 'without daysInRepair it ended 2026-10-31',
    category: 'phone',
    purchaseDate: '2025-11-01',
    expected: { status: 'outOfWarranty', endsOn: '2026-10-31', daysLeft: -22 },
  },
  {
    name: 'daysInRepair extends a part period too',
    category: 'tv',
    purchaseDate: '2023-11-01',
    facts: { partId: 'panel', daysInRepair: 30 },
    expected: { status: 'repair', coverage: 'part', endsOn: '2026-11-30' },
  },

  // Extended-warranty contracts.
  {
    name: 'active contract, last day',
    category: 'laptop',
    purchaseDate: '2024-06-01',
    contract: { id: 'YB20240001', endsOn: '2026-11-22' },
    expected: { status: 'repair', serviceKind: 'contract', coverage: 'contract', endsOn: '2026-11-22', daysLeft: 0, fees: [] },
  },
  {
    name: 'active contract, a year left',
    category: 'tv',
    purchaseDate: '2024-06-01',
    contract: { id: 'YB20240002', endsOn: '2027-05-31' },
    expected: { status: 'repair', serviceKind: 'contract', endsOn: '2027-05-31', daysLeft: 190 },
  },
  {
    name: 'expired contract',
    category: 'laptop',
    purchaseDate: '2024-06-01',
    contract: { id: 'YB20240003', endsOn: '2026-11-21' },
    expected: { status: 'outOfWarranty', serviceKind: 'paid', endsOn: '2026-11-21', daysLeft: -1 },
  },
  {
    name: 'a contract does not matter while the warranty runs',
    category: 'phone',
    purchaseDate: '2026-06-01',
    contract: { id: 'YB20260004', endsOn: '2028-05-31' },
    expected: { status: 'repair', serviceKind: 'free', coverage: 'mainUnit', endsOn: '2027-05-31' },
  },

  // Exclusions void the warranty even inside the 7 days.
  {
    name: 'liquid on day 2',
    category: 'phone',
    purchaseDate: '2026-11-20',
    facts: { liquid: true },
    expected: { status: 'voided', voidedBy: 'liquid', serviceKind: 'paid', coverage: 'none' },
  },
  {
    name: 'physical damage on day 2',
    category: 'earbuds',
    purchaseDate: '2026-11-20',
    facts: { physicalDamage: true },
    expected: { status: 'voided', voidedBy: 'physicalDamage', serviceKind: 'paid' },
  },
  {
    name: 'disassembled on day 2',
    category: 'tablet',
    purchaseDate: '2026-11-20',
    facts: { disassembled: true },
    expected: { status: 'voided', voidedBy: 'disassembled', serviceKind: 'paid' },
  },
  {
    name: 'no proof on day 2',
    category: 'phone',
    purchaseDate: '2026-11-20',
    facts: { hasProof: false },
    expected: { status: 'voided', voidedBy: 'noProof', serviceKind: 'paid' },
  },
  { name: 'no purchase date at all', category: 'router', expected: { status: 'voided', voidedBy: 'noProof' } },
  {
    name: 'no proof is checked before the damage',
    category: 'phone',
    purchaseDate: '2026-11-20',
    facts: { hasProof: false, liquid: true },
    expected: { status: 'voided', voidedBy: 'noProof' },
  },
  {
    name: 'an exclusion beats an active contract',
    category: 'laptop',
    purchaseDate: '2024-06-01',
    facts: { liquid: true },
    contract: { id: 'YB20240005', endsOn: '2027-05-31' },
    expected: { status: 'voided', voidedBy: 'liquid' },
  },
];

describe('statusOf', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const family = category(c.category);
    const verdict = statusOf({
      category: family,
      purchaseDate: c.purchaseDate,
      today: c.today ?? TODAY,
      facts: { ...proof, ...c.facts },
      contract: c.contract,
    });
    expect(verdict).toMatchObject(c.expected);
    if (verdict.status === 'voided') expect(verdict.endsOn).toBeUndefined();

    // Paid service lists the family's fees; free and contract service lists none.
    expect(verdict.fees).toEqual(verdict.serviceKind === 'paid' ? family.fees : []);
    expect(verdict.reason.length).toBeGreaterThan(10);
    expect(verdict.reasonEn.length).toBeGreaterThan(10);
    if (verdict.endsOn) {
      expect(verdict.reason).toContain(formatDateZh(verdict.endsOn));
      expect(verdict.reasonEn).toContain(verdict.endsOn);
      expect(verdict.daysLeft).toBe(daysBetween(c.today ?? TODAY, verdict.endsOn));
    }
  });

  test('the refund reason reads as the customer expects', () => {
    const verdict = statusOf({ category: category('phone'), purchaseDate: '2026-11-18', today: TODAY, facts: proof });
    expect(verdict.reason).toBe('您的商品购买于2026年11月18日，仍在7天无理由退换期内（至2026年11月25日），性能故障可以申请退货或换货。');
  });

  test('voided reasons name the cause', () => {
    const at = (facts: Partial<FaultFacts>): string =>
      statusOf({ category: category('phone'), purchaseDate: '2026-11-20', today: TODAY, facts: { ...proof, ...facts } }).reason;
    expect(at({ liquid: true })).toContain('进水');
    expect(at({ physicalDamage: true })).toContain('人为损坏');
    expect(at({ disassembled: true })).toContain('拆');
    expect(at({ hasProof: false })).toContain('购买凭证');
  });

  test('the contract reason names the contract and its end', () => {
    const verdict = statusOf({
      category: category('laptop'),
      purchaseDate: '2024-06-01',
      today: TODAY,
      facts: proof,
      contract: { id: 'YB20240001', endsOn: '2027-05-31' },
    });
    expect(verdict.reason).toContain('YB20240001');
    expect(verdict.reason).toContain('2027年5月31日');
  });

  test('days in repair are mentioned', () => {
    const verdict = statusOf({
      category: category('phone'),
      purchaseDate: '2025-11-01',
      today: TODAY,
      facts: { ...proof, daysInRepair: 30 },
    });
    expect(verdict.reason).toContain('30天');
  });

  test('pending proof (待凭购机凭证核实): judged by the date the customer gave, and marked', () => {
    const pending = { hasProof: false, proofPending: true };
    const byDate = statusOf({ category: category('phone'), purchaseDate: '2026-06-01', today: TODAY, facts: pending });
    expect(byDate).toMatchObject({ status: 'repair', serviceKind: 'free', pendingProof: true, endsOn: '2027-05-31' });
    expect(byDate.reason).toContain('待凭购机凭证核实');
    expect(byDate.reasonEn).toMatch(/pending proof of purchase/);
    const old = statusOf({ category: category('phone'), purchaseDate: '2024-06-01', today: TODAY, facts: pending });
    expect(old).toMatchObject({ status: 'outOfWarranty', serviceKind: 'paid', pendingProof: true });
    // No date at all: a free repair once the proof shows it is in warranty, the fees for when it does not.
    const noDate = statusOf({ category: category('phone'), today: TODAY, facts: pending });
    expect(noDate).toMatchObject({ status: 'repair', serviceKind: 'free', pendingProof: true, fees: category('phone').fees });
    expect(noDate.reason).toContain('待凭购机凭证核实');
  });

  test('pending proof: stated damage decides first, whatever the proof will show', () => {
    const verdict = statusOf({
      category: category('phone'),
      today: TODAY,
      facts: { hasProof: false, proofPending: true, physicalDamage: true },
    });
    expect(verdict).toMatchObject({ status: 'voided', voidedBy: 'physicalDamage', serviceKind: 'paid' });
    expect(verdict.pendingProof).toBeUndefined();
  });

  test('the catalogue’s own exclusion line for each cause', () => {
    expect(exclusionFor(category('phone'), 'physicalDamage')).toBe('人为损坏（摔落、挤压、外力撞击）');
    expect(exclusionFor(category('tv'), 'liquid')).toBe('进水或受潮造成的损坏');
    expect(exclusionFor(category('watch'), 'disassembled')).toBe('未经授权的拆机或维修');
  });

  test('a purchase date after today is refused, not guessed at', () => {
    expect(() => statusOf({ category: category('phone'), purchaseDate: '2026-11-23', today: TODAY, facts: proof })).toThrow(RangeError);
  });
});
