import { halfDaysAhead, type HalfDaySlot } from '../../common/halfDays';
import { matchesWish, readVisitTime, type VisitTimeWish } from '../../knowledge/visitTime';

/** Thursday 3 December 2026, 10:00 in Shanghai. */
const NOW = new Date('2026-12-03T10:00:00+08:00');

describe('when the customer wants the visit, read from what they write', () => {
  test.each<[string, VisitTimeWish]>([
    // One day, and its half.
    ['明天下午', { kind: 'slot', date: '2026-12-04', halfDay: 'pm' }],
    ['电视突然黑屏了，明天下午能来修吗', { kind: 'slot', date: '2026-12-04', halfDay: 'pm' }],
    ['我叫王小明，地址上海市浦东新区张杨路500号，明天下午来吧', { kind: 'slot', date: '2026-12-04', halfDay: 'pm' }],
    ['明早', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ['明儿上午', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ['明天早上过来吧', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ['后天上午十点', { kind: 'slot', date: '2026-12-05', halfDay: 'am', hour: 10, minute: 0 }],
    ['大后天', { kind: 'slot', date: '2026-12-06' }],
    ['下周三', { kind: 'slot', date: '2026-12-09' }],
    ['下礼拜三', { kind: 'slot', date: '2026-12-09' }],
    ['下个星期二下午', { kind: 'slot', date: '2026-12-08', halfDay: 'pm' }],
    ['下下周一', { kind: 'slot', date: '2026-12-14' }],
    ['这周六', { kind: 'slot', date: '2026-12-05' }],
    ['周六上午', { kind: 'slot', date: '2026-12-05', halfDay: 'am' }],
    ['星期天下午', { kind: 'slot', date: '2026-12-06', halfDay: 'pm' }],
    ['礼拜天', { kind: 'slot', date: '2026-12-06' }],
    ['星期6', { kind: 'slot', date: '2026-12-05' }],
    ['师傅周日能上门吗', { kind: 'slot', date: '2026-12-06' }],
    // A weekday said on that day is today.
    ['周四', { kind: 'slot', date: '2026-12-03' }],
    ['12月5号下午', { kind: 'slot', date: '2026-12-05', halfDay: 'pm' }],
    ['十二月五日上午', { kind: 'slot', date: '2026-12-05', halfDay: 'am' }],
    ['12.5', { kind: 'slot', date: '2026-12-05' }],
    ['12/24', { kind: 'slot', date: '2026-12-24' }],
    ['5号', { kind: 'slot', date: '2026-12-05' }],
    ['3号', { kind: 'slot', date: '2026-12-03' }],
    // A day of the month already gone is next month's, over the year's end.
    ['1号吧', { kind: 'slot', date: '2027-01-01' }],
    ['1月5号', { kind: 'slot', date: '2027-01-05' }],
    ['明年1月3号上午', { kind: 'slot', date: '2027-01-03', halfDay: 'am' }],
    ['2026年12月20日', { kind: 'slot', date: '2026-12-20' }],
    ['今天能来吗', { kind: 'slot', date: '2026-12-03' }],
    ['今天下午三点', { kind: 'slot', date: '2026-12-03', halfDay: 'pm', hour: 15, minute: 0 }],
    ['后天下午2:30', { kind: 'slot', date: '2026-12-05', halfDay: 'pm', hour: 14, minute: 30 }],
    ['明天中午一点', { kind: 'slot', date: '2026-12-04', halfDay: 'pm', hour: 13, minute: 0 }],
    ['明天上午十点左右吧', { kind: 'slot', date: '2026-12-04', halfDay: 'am', hour: 10, minute: 0 }],
    ['明天几点能来', { kind: 'slot', date: '2026-12-04' }],
    ['能不能明天上午来', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ['明天上午或者下午都行', { kind: 'slot', date: '2026-12-04' }],
    // A refusal takes back what it follows; a later day replaces an earlier one.
    ['明天不行，后天可以', { kind: 'slot', date: '2026-12-05' }],
    ['明天下午不在家', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ['明天下午不行，后天上午吧', { kind: 'slot', date: '2026-12-05', halfDay: 'am' }],
    ['除了周六，周日都行', { kind: 'slot', date: '2026-12-06' }],
    // What happened is not when to come.
    ['我是12月1号买的，周六上午可以吗', { kind: 'slot', date: '2026-12-05', halfDay: 'am' }],
    ['昨天晚上开始黑屏，今天能来吗', { kind: 'slot', date: '2026-12-03' }],
    ['下午开始黑屏的，明天能来吗', { kind: 'slot', date: '2026-12-04' }],
    ['晚上看电视的时候黑屏，明天上午来修吧', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ['下午好，明天上午能来吗', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ['明天下午来的时候带上发票', { kind: 'slot', date: '2026-12-04', halfDay: 'pm' }],
    // Several days.
    ['这周末', { kind: 'range', from: '2026-12-05', to: '2026-12-06' }],
    ['周末上午', { kind: 'range', from: '2026-12-05', to: '2026-12-06', halfDay: 'am' }],
    ['下周末', { kind: 'range', from: '2026-12-12', to: '2026-12-13' }],
    ['下周一到周三都行', { kind: 'range', from: '2026-12-07', to: '2026-12-09' }],
    ['下周一到周五', { kind: 'range', from: '2026-12-07', to: '2026-12-11' }],
    ['明天或者后天', { kind: 'range', from: '2026-12-04', to: '2026-12-05' }],
    ['明后天都可以', { kind: 'range', from: '2026-12-04', to: '2026-12-05' }],
    ['周六周日都行', { kind: 'range', from: '2026-12-05', to: '2026-12-06' }],
    ['周一、周三下午', { kind: 'range', from: '2026-12-07', to: '2026-12-09', halfDay: 'pm', isoWeekdays: [1, 3] }],
    ['下周一或周三都行', { kind: 'range', from: '2026-12-07', to: '2026-12-09', isoWeekdays: [1, 3] }],
    ['今天明天都不行，后天吧', { kind: 'slot', date: '2026-12-05' }],
    ['明天午饭后', { kind: 'slot', date: '2026-12-04', halfDay: 'pm' }],
    ['中午之前', { kind: 'timeOfDay', halfDay: 'am' }],
    ['上周买的电视，下周能来吗', { kind: 'range', from: '2026-12-07', to: '2026-12-13' }],
    ['工作日都行', { kind: 'range', from: '2026-12-03', to: '2026-12-16', isoWeekdays: [1, 2, 3, 4, 5] }],
    ['周一到周五都行', { kind: 'range', from: '2026-12-03', to: '2026-12-16', isoWeekdays: [1, 2, 3, 4, 5] }],
    // A time of day alone.
    ['上午10点到12点之间', { kind: 'timeOfDay', halfDay: 'am', hour: 10, minute: 0 }],
    ['下午两点半', { kind: 'timeOfDay', halfDay: 'pm', hour: 14, minute: 30 }],
    ['下午5点半', { kind: 'timeOfDay', halfDay: 'pm', hour: 17, minute: 30 }],
    ['3点', { kind: 'timeOfDay', halfDay: 'pm', hour: 15, minute: 0 }],
    ['上午都行', { kind: 'timeOfDay', halfDay: 'am' }],
    // Outside the visit windows: the dialog says when engineers come.
    ['中午', { kind: 'outsideHours', when: 'noon' }],
    ['晚上', { kind: 'outsideHours', when: 'evening' }],
    ['晚上下班后', { kind: 'outsideHours', when: 'evening' }],
    ['明天晚上', { kind: 'outsideHours', when: 'evening', date: '2026-12-04' }],
    ['下午6点以后', { kind: 'outsideHours', when: 'evening', hour: 18 }],
    ['早上7点', { kind: 'outsideHours', when: 'early', hour: 7 }],
    ['明天8点', { kind: 'outsideHours', when: 'early', date: '2026-12-04', hour: 8 }],
    // How soon, or whenever.
    ['越快越好', { kind: 'soonest' }],
    ['尽快吧，急用', { kind: 'soonest' }],
    ['最早什么时候能来', { kind: 'soonest' }],
    ['快一点', { kind: 'soonest' }],
    ['尽快，下午最好', { kind: 'soonest', halfDay: 'pm' }],
    ['随时都行', { kind: 'any' }],
    ['都可以', { kind: 'any' }],
    ['我在家，什么时候都行', { kind: 'any' }],
    // English.
    ['tomorrow afternoon', { kind: 'slot', date: '2026-12-04', halfDay: 'pm' }],
    ['Saturday morning', { kind: 'slot', date: '2026-12-05', halfDay: 'am' }],
    ['next Wednesday', { kind: 'slot', date: '2026-12-09' }],
    ['Dec 5 afternoon', { kind: 'slot', date: '2026-12-05', halfDay: 'pm' }],
    ['5 December at 10am', { kind: 'slot', date: '2026-12-05', halfDay: 'am', hour: 10, minute: 0 }],
    ['tomorrow at 3pm', { kind: 'slot', date: '2026-12-04', halfDay: 'pm', hour: 15, minute: 0 }],
    ['today', { kind: 'slot', date: '2026-12-03' }],
    ['I bought it on Dec 1, can you come tomorrow morning?', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ["Monday doesn't work, Tuesday is fine", { kind: 'slot', date: '2026-12-08' }],
    ['on Monday or Tuesday', { kind: 'range', from: '2026-12-07', to: '2026-12-08' }],
    ['Monday or Wednesday afternoon', { kind: 'range', from: '2026-12-07', to: '2026-12-09', halfDay: 'pm', isoWeekdays: [1, 3] }],
    ['before noon tomorrow', { kind: 'slot', date: '2026-12-04', halfDay: 'am' }],
    ['next week', { kind: 'range', from: '2026-12-07', to: '2026-12-13' }],
    ['this weekend', { kind: 'range', from: '2026-12-05', to: '2026-12-06' }],
    ['tonight', { kind: 'outsideHours', when: 'evening', date: '2026-12-03' }],
    ['as soon as possible', { kind: 'soonest' }],
    ['any time', { kind: 'any' }],
  ])('%s', (text, wish) => {
    expect(readVisitTime(text, NOW)).toEqual(wish);
  });

  test.each([
    '你好，电视开不了机',
    '去年买的',
    '三天前坏的',
    // Gone: not resolved to a past day.
    '昨天',
    '这周一',
    '12月1号就坏了',
    // Numbers that are no date or time.
    '上海市浦东新区张杨路500号',
    '5号楼3单元',
    '3单元5号',
    '宝山区友谊路1588弄12号1201',
    '地铁3号线',
    '12.5元',
    '6.5寸的屏',
    '型号X20 Pro，用了两年',
    // Greetings, faults that come at a time, fractions.
    '下午好',
    '早上好，电视黑屏了',
    'good morning, my tv is broken',
    '今天突然黑屏',
    '今天上午打过电话',
    '每天晚上都会重启',
    '晚上看电视的时候黑屏',
    '1/2的屏幕不亮',
    'it broke last Friday',
    '星期几能来',
    '开机要10分钟',
    '售后电话400-820-8820',
  ])('%s names no visit time', (text) => {
    expect(readVisitTime(text, NOW)).toBeUndefined();
  });

  test('days roll over the year end', () => {
    const newYearsEve = new Date('2026-12-30T15:00:00+08:00');
    expect(readVisitTime('下周三', newYearsEve)).toEqual({ kind: 'slot', date: '2027-01-06' });
    expect(readVisitTime('5号', newYearsEve)).toEqual({ kind: 'slot', date: '2027-01-05' });
    expect(readVisitTime('明天', newYearsEve)).toEqual({ kind: 'slot', date: '2026-12-31' });
    expect(readVisitTime('大后天', newYearsEve)).toEqual({ kind: 'slot', date: '2027-01-02' });
    expect(readVisitTime('这周末', newYearsEve)).toEqual({ kind: 'range', from: '2027-01-02', to: '2027-01-03' });
    expect(readVisitTime('下个月', newYearsEve)).toEqual({ kind: 'range', from: '2027-01-01', to: '2027-01-31' });
  });

  test("days are Shanghai's: at 01:30 on the 4th there (17:30 UTC on the 3rd), 明天 is the 5th", () => {
    expect(readVisitTime('明天', new Date('2026-12-03T17:30:00Z'))).toEqual({ kind: 'slot', date: '2026-12-05' });
  });

  test('on a Sunday 这周末 is today only', () => {
    expect(readVisitTime('这周末', new Date('2026-12-06T09:00:00+08:00'))).toEqual({ kind: 'slot', date: '2026-12-06' });
  });
});

describe('which free half-days fit the wish', () => {
  const free = halfDaysAhead(NOW, 14);
  const fitting = (text: string): string[] => {
    const wish = readVisitTime(text, NOW);
    if (!wish) throw new Error(`no wish in ${text}`);
    return free.filter((slot: HalfDaySlot) => matchesWish(slot, wish)).map((slot) => `${slot.date} ${slot.halfDay}`);
  };

  test.each<[string, string[]]>([
    ['明天下午', ['2026-12-04 pm']],
    ['明天', ['2026-12-04 am', '2026-12-04 pm']],
    ['下周一到周三上午', ['2026-12-07 am', '2026-12-08 am', '2026-12-09 am']],
    ['这周末下午', ['2026-12-05 pm', '2026-12-06 pm']],
    ['周一或者周三上午', ['2026-12-07 am', '2026-12-09 am']],
    ['晚上下班后', []],
    ['明天中午', []],
  ])('%s → %j', (text, slots) => {
    expect(fitting(text)).toEqual(slots);
  });

  test('工作日 keeps Monday to Friday only', () => {
    const days = new Set(fitting('工作日都行').map((slot) => slot.slice(0, 10)));
    expect([...days]).not.toContain('2026-12-05');
    expect([...days]).not.toContain('2026-12-06');
    expect([...days]).toContain('2026-12-07');
  });

  test('soonest and any fit every free half-day; soonest with 下午 only afternoons', () => {
    expect(fitting('越快越好')).toHaveLength(free.length);
    expect(fitting('随时都行')).toHaveLength(free.length);
    expect(fitting('尽快，下午最好').every((slot) => slot.endsWith('pm'))).toBe(true);
  });
});
