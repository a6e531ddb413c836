import {
  addWorkingHours,
  closingTimeAfter,
  DEFAULT_WORKING_HOURS,
  isWorkingTime,
  parseWorkingHours,
  type WorkingHours,
} from '../../desk/workingHours';

// 2025-01-06 is a Monday; all times below are Asia/Shanghai wall-clock times.
const sh = (local: string): Date => new Date(`${local}+08:00`);

describe('addWorkingHours (09:00–18:00 every day, Asia/Shanghai)', () => {
  const cases: [string, string, number, string][] = [
    ['mid-day', '2025-01-06T10:00:00', 6, '2025-01-06T16:00:00'],
    ['ends exactly at closing', '2025-01-06T12:00:00', 6, '2025-01-06T18:00:00'],
    ['crosses closing time (17:00 + 6 → next day 14:00)', '2025-01-06T17:00:00', 6, '2025-01-07T14:00:00'],
    ['suburb, crosses closing time', '2025-01-06T17:00:00', 7, '2025-01-07T15:00:00'],
    ['reported at night counts from the next opening', '2025-01-06T22:30:00', 6, '2025-01-07T15:00:00'],
    ['reported before opening', '2025-01-06T03:00:00', 7, '2025-01-06T16:00:00'],
    ['reported exactly at closing', '2025-01-06T18:00:00', 1, '2025-01-07T10:00:00'],
    ['minutes are kept', '2025-01-06T16:45:00', 6, '2025-01-07T13:45:00'],
    ['more than a day of work', '2025-01-06T09:00:00', 20, '2025-01-08T11:00:00'],
    ['fractions of an hour', '2025-01-06T10:00:00', 1.5, '2025-01-06T11:30:00'],
    ['zero hours at night is the next opening', '2025-01-06T23:00:00', 0, '2025-01-07T09:00:00'],
    ['crosses a month and a year', '2025-12-31T17:30:00', 6, '2026-01-01T14:30:00'],
  ];
  it.each(cases)('%s', (_name, from, hours, expected) => {
    expect(addWorkingHours(sh(from), hours, DEFAULT_WORKING_HOURS).toISOString()).toBe(sh(expected).toISOString());
  });
});

describe('addWorkingHours (weekday-only desks)', () => {
  const weekdays = parseWorkingHours('08:30-17:30 1-5');
  const cases: [string, string, number, string][] = [
    ['Friday afternoon runs into Monday', '2025-01-10T16:30:00', 7, '2025-01-13T14:30:00'],
    ['Saturday report starts Monday', '2025-01-11T10:00:00', 2, '2025-01-13T10:30:00'],
    ['Sunday night report starts Monday', '2025-01-12T23:00:00', 6, '2025-01-13T14:30:00'],
    ['inside one weekday', '2025-01-07T09:00:00', 6, '2025-01-07T15:00:00'],
  ];
  it.each(cases)('%s', (_name, from, hours, expected) => {
    expect(addWorkingHours(sh(from), hours, weekdays).toISOString()).toBe(sh(expected).toISOString());
  });

  it('skips a gap in the weekdays (1-3,5)', () => {
    const wh = parseWorkingHours('09:00-18:00 1-3,5');
    // Wednesday 17:00 + 2h: 1h Wednesday, Thursday off, 1h Friday.
    expect(addWorkingHours(sh('2025-01-08T17:00:00'), 2, wh).toISOString()).toBe(sh('2025-01-10T10:00:00').toISOString());
  });
});

describe('time zones', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it.each(['America/Los_Angeles', 'UTC', 'Asia/Kolkata', 'Pacific/Kiritimati'])(
    'gives Shanghai answers whatever the process TZ (%s)',
    (tz) => {
      process.env.TZ = tz;
      expect(addWorkingHours(sh('2025-01-06T17:00:00'), 6, DEFAULT_WORKING_HOURS).toISOString()).toBe('2025-01-07T06:00:00.000Z');
      expect(addWorkingHours(sh('2025-01-06T22:00:00'), 6, DEFAULT_WORKING_HOURS).toISOString()).toBe('2025-01-07T07:00:00.000Z');
    },
  );

  it('follows a zone with daylight saving time across the change', () => {
    const ny: WorkingHours = { timeZone: 'America/New_York', start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };
    // Friday 2025-03-07 16:00 EST (21:00Z) + 2h → Monday 2025-03-10 10:00 EDT (14:00Z), after the spring change.
    expect(addWorkingHours(new Date('2025-03-07T21:00:00Z'), 2, ny).toISOString()).toBe('2025-03-10T14:00:00.000Z');
  });

  it('tells working time from closed time', () => {
    expect(isWorkingTime(sh('2025-01-06T09:00:00'))).toBe(true);
    expect(isWorkingTime(sh('2025-01-06T18:00:00'))).toBe(false);
    expect(isWorkingTime(sh('2025-01-11T10:00:00'), parseWorkingHours('09:00-18:00 1-5'))).toBe(false);
  });
});

describe('parseWorkingHours', () => {
  it.each([
    ['09:00-18:00 1-7', { timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5, 6, 7] }],
    ['08:30-17:30 1-5', { timeZone: 'Asia/Shanghai', start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] }],
    ['  9:00-21:00   1-5,7 ', { timeZone: 'Asia/Shanghai', start: '09:00', end: '21:00', days: [1, 2, 3, 4, 5, 7] }],
    ['00:00-24:00 6 Europe/Berlin', { timeZone: 'Europe/Berlin', start: '00:00', end: '24:00', days: [6] }],
  ])('reads "%s"', (spec, expected) => {
    expect(parseWorkingHours(spec)).toEqual(expected);
  });

  it.each([
    ['', /time range and the weekdays/],
    ['09:00-18:00', /time range and the weekdays/],
    ['9-18 1-7', /not a time range/],
    ['09:00-25:00 1-7', /not a time of day/],
    ['09:60-18:00 1-7', /not a time of day/],
    ['18:00-09:00 1-7', /later than opening/],
    ['09:00-09:00 1-7', /later than opening/],
    ['09:00-18:00 0-7', /ISO weekday/],
    ['09:00-18:00 1-8', /ISO weekday/],
    ['09:00-18:00 mon-fri', /ISO weekday/],
    ['09:00-18:00 5-1', /runs backwards/],
    ['09:00-18:00 1-7 Mars/Olympus', /not a known time zone/],
    ['09:00-18:00 1-7 Asia/Shanghai extra', /time range and the weekdays/],
  ])('rejects "%s" with a clear reason', (spec, reason) => {
    expect(() => parseWorkingHours(spec)).toThrow(reason);
    expect(() => parseWorkingHours(spec)).toThrow(/Invalid working hours/);
  });

  it('rejects a negative number of hours', () => {
    expect(() => addWorkingHours(new Date(), -1, DEFAULT_WORKING_HOURS)).toThrow(/non-negative/);
  });
});

describe('closingTimeAfter: the end of the working day a promise falls in', () => {
  const service = parseWorkingHours('09:00-22:00 1-7');
  const weekdays = parseWorkingHours('08:30-17:30 1-5');
  const cases: [string, WorkingHours, string, string][] = [
    ['inside the window: that evening', service, '2025-01-06T10:00:00', '2025-01-06T22:00:00'],
    ['before opening: the same day', service, '2025-01-06T07:00:00', '2025-01-06T22:00:00'],
    ['after closing: the next day', service, '2025-01-06T22:30:00', '2025-01-07T22:00:00'],
    ['exactly at closing: the next day', service, '2025-01-06T22:00:00', '2025-01-07T22:00:00'],
    ['Friday night on a weekday desk: Monday', weekdays, '2025-01-10T19:00:00', '2025-01-13T17:30:00'],
  ];
  it.each(cases)('%s', (_name, wh, at, expected) => {
    expect(closingTimeAfter(sh(at), wh).toISOString()).toBe(sh(expected).toISOString());
  });
});
