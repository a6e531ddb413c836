import { extractMobile, parsePurchaseDate } from '../../knowledge';

const TODAY = '2026-11-22';

describe('parsePurchaseDate', () => {
  test.each([
    ['2025年3月5日', '2025-03-05', false],
    ['2025-03-05', '2025-03-05', false],
    ['2024/2/29', '2024-02-29', false],
    ['2024.6.18买的', '2024-06-18', false],
    ['25年5月', '2025-05-31', true],
    ['去年3月', '2025-03-31', true],
    ['今年6月份', '2026-06-30', true],
    ['去年双十一', '2025-11-11', true],
    ['双11买的', '2026-11-11', true],
    ['双十二', '2025-12-12', true],
    ['今年618', '2026-06-18', true],
    ['上个月', '2026-10-31', true],
    ['上上个月', '2026-09-30', true],
    ['前天', '2026-11-20', false],
    ['昨天刚买的', '2026-11-21', false],
    ['三个月前', '2026-08-22', true],
    ['半年前', '2026-05-22', true],
    ['两周前', '2026-11-08', true],
    ['10天前', '2026-11-12', true],
    ['一年多前', '2025-11-22', true],
    ['去年年底', '2025-12-31', true],
    ['3月5日', '2026-03-05', false],
    ['12月1号', '2025-12-01', false],
    // How long it has been had.
    ['买了5天', '2026-11-17', true],
    ['刚买三天', '2026-11-19', true],
    ['买了两个月', '2026-09-22', true],
    ['用了一年多', '2025-11-22', true],
    ['16180天前', '1982-08-05', true],
  ])('%s → %s', (text, date, approximate) => {
    expect(parsePurchaseDate(text, TODAY)).toEqual({ ok: true, date, approximate });
  });

  test.each(['2027年1月1日', '明年', '2026-12-01'])('%s is in the future', (text) => {
    const result = parsePurchaseDate(text, TODAY);
    expect(result.ok ? result.date > TODAY : true).toBe(true);
    if (/\d/.test(text)) expect(result).toEqual({ ok: false, reason: 'future' });
  });

  // Found by test/fuzz/textExtractors.property.test.ts: years that were no year at all, and 618 read inside a number.
  test.each(['不记得了', '2025年2月30日', '好久了', '3000年前', '99999999999天前', '0025年3月5日', '1969年12月31日'])(
    '%s is not a date',
    (text) => {
      expect(parsePurchaseDate(text, TODAY)).toEqual({ ok: false, reason: 'unrecognized' });
    },
  );
});

describe('extractMobile', () => {
  test.each([
    ['13800138000', '13800138000'],
    ['我的电话是 138 0013 8000', '13800138000'],
    ['+86-139-1234-5678', '13912345678'],
    ['12345678901', undefined],
    ['1380013800', undefined],
    ['订单号 2613800138000123', undefined],
    // A longer number before the phone (found by the property suite) no longer hides it.
    ['订单号0000010000000000，电话13000000000', '13000000000'],
    ['单号 3912 4567 8901 3800 000，手机13912345678', '13912345678'],
  ])('%s → %s', (text, phone) => {
    expect(extractMobile(text)).toBe(phone);
  });
});
