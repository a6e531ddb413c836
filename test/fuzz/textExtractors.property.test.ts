import fc from 'fast-check';
import { Catalogue, anchoredSerialPattern } from '../../desk/catalogue';
import { SerialRegistry } from '../../desk/serialRegistry';
import { extractTicketId, normalizeTicketId } from '../../desk/tickets';
import { daysBetween, isCalendarDate } from '../../desk/warranty';
import { MAINLAND_MOBILE, extractMobile } from '../../knowledge/contacts';
import { parsePurchaseDate } from '../../knowledge/purchaseDate';
import { chineseText, mixedText, utf16Text } from './arbitraries';

/*
 * The parsers that read facts out of what customers type: purchase dates, mobile numbers, serial
 * numbers and ticket numbers. Whatever the text, they answer or say "none"; what they find is
 * well-formed, and what is there to find is found.
 */

const catalogue = Catalogue.default();

/** Any day the service could run on (four-digit years, leap days included). */
const today = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

/** Text shaped like a date phrase, so that the parser's branches are reached and not only its "unrecognized". */
const datePhrase = fc.oneof(
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 99999 }), fc.constantFrom('一', '两', '三', '十', '十二', '二十三', '半', '九十九')),
      fc.constantFrom('', '个', '个多'),
      fc.constantFrom('天', '日', '周', '星期', '礼拜', '月', '年'),
      fc.constantFrom('前', '以前', '多前'),
    )
    .map(([n, a, unit, b]) => `${n}${a}${unit}${b}`),
  fc
    .tuple(
      fc.integer({ min: 0, max: 99999 }),
      fc.constantFrom('年', '-', '/', '.'),
      fc.integer({ min: 0, max: 99 }),
      fc.constantFrom('月', '-', '/', '.'),
      fc.integer({ min: 0, max: 99 }),
      fc.constantFrom('日', '号', ''),
    )
    .map(([y, s1, m, s2, d, s3]) => `${y}${s1}${m}${s2}${d}${s3}`),
  fc
    .tuple(
      fc.constantFrom('去年', '前年', '大前年', '今年', '25年', '2019年', '99年'),
      fc.integer({ min: 0, max: 13 }),
      fc.constantFrom('月', '月份', '月3号'),
    )
    .map(([y, m, rest]) => `${y}${m}${rest}`),
  fc.constantFrom(
    '双十一',
    '去年双11',
    '今年618',
    '前年国庆',
    '元旦',
    '情人节',
    '上个月',
    '上上个月',
    '上周',
    '去年年底',
    '今年年初',
    '年中',
    '今天',
    '昨天',
    '前天',
    '大前天',
    '半年前',
    'last month',
    'yesterday',
  ),
);

describe('parsePurchaseDate', () => {
  test('any text gives a real calendar date no later than today, or a refusal; never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          datePhrase,
          mixedText(),
          utf16Text(40),
          fc.tuple(chineseText(3), datePhrase, chineseText(3)).map((parts) => parts.join('')),
        ),
        today,
        (text, day) => {
          const result = parsePurchaseDate(text, day);
          if (result.ok) {
            expect(isCalendarDate(result.date)).toBe(true);
            expect(result.date <= day).toBe(true);
          } else {
            expect(['future', 'unrecognized']).toContain(result.reason);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('"N天前" is exactly N days before today, or not understood when that is before 1970; never "in the future"', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), today, (days, day) => {
        const result = parsePurchaseDate(`${days}天前买的`, day);
        expect(result).not.toEqual({ ok: false, reason: 'future' });
        if (result.ok) expect(daysBetween(result.date, day)).toBe(days);
        else expect(daysBetween('1970-01-01', day)).toBeLessThan(days);
      }),
      { numRuns: 300 },
    );
  });

  test('"N天前" within a few years is always understood', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), today, (days, day) => {
        expect(parsePurchaseDate(`${days}天前`, day)).toEqual({ ok: true, date: expect.any(String), approximate: true });
      }),
      { numRuns: 200 },
    );
  });

  test('longer ago is never later: N天前, N周前, N个月前 and N年前 go back as N grows', () => {
    // Up to some 25 years back, which from any day since 2000 stays after 1970.
    const unit = fc.constantFrom(['天', 9000], ['周', 1250], ['个月', 300], ['年', 25]);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        unit,
        today,
        (x, y, [what, most], day) => {
          const [a, b] = [Math.round(x * most), Math.round(y * most)];
          const [near, far] = a <= b ? [a, b] : [b, a];
          const nearer = parsePurchaseDate(`${near}${what}前`, day);
          const further = parsePurchaseDate(`${far}${what}前`, day);
          expect(nearer.ok && further.ok).toBe(true);
          if (nearer.ok && further.ok) {
            expect(further.date <= nearer.date).toBe(true);
            if (far > near && what !== '年' && what !== '个月') expect(further.date < nearer.date).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a full date that exists and is not after today is read as that very day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        today,
        fc.constantFrom('年月日', '--', '//', '..'),
        (date, day, separators) => {
          const iso = date.toISOString().slice(0, 10);
          const [y, m, d] = iso.split('-').map(Number);
          const text = `${y}${separators[0]}${m}${separators[1]}${d}${separators[2] ?? ''}`;
          expect(parsePurchaseDate(text, day)).toEqual(
            iso <= day ? { ok: true, date: iso, approximate: false } : { ok: false, reason: 'future' },
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

const mobile = fc.stringMatching(/^1[3-9]\d{9}$/);
/** What people put between the digits of a phone number. */
const separator = fc.constantFrom('', '', '', ' ', '-', ' - ', '\u3000', '\t', '－');
const FULL_WIDTH_DIGITS = '０１２３４５６７８９';

/** A mobile written the ways customers write it: groups, separators, +86, full-width digits. */
const writtenMobile = fc
  .tuple(
    mobile,
    fc.array(separator, { minLength: 10, maxLength: 10 }),
    fc.constantFrom('', '+86', '+86 ', '86-', '(+86)', '（+86）'),
    fc.boolean(),
  )
  .map(([digits, gaps, prefix, fullWidth]) => {
    const shown = fullWidth ? [...digits].map((digit) => FULL_WIDTH_DIGITS[Number(digit)]).join('') : digits;
    return { digits, text: prefix + [...shown].map((digit, i) => digit + (gaps[i] ?? '')).join('') };
  });
/** Other numbers a message holds besides the phone: order numbers, dates, model names, a serial. */
const otherNumbers = fc.oneof(
  fc.stringMatching(/^\d{16,19}$/).map((order) => `订单号${order}，`),
  fc.constantFrom('11月20日买的，', 'X20 Pro，', '序列号PH23A1234567，', '型号V55，', ''),
);

describe('extractMobile', () => {
  test('finds a mobile however it is written, in Chinese text, after other numbers', () => {
    fc.assert(
      fc.property(chineseText(), otherNumbers, writtenMobile, chineseText(), (before, others, { digits, text }, after) => {
        expect(extractMobile(`${before}${others}电话${text}${after}`)).toBe(digits);
      }),
      { numRuns: 500 },
    );
  });

  test('whatever the text, the answer is nothing or a mainland mobile that is in it', () => {
    const digitsOf = (text: string): string => text.normalize('NFKC').replace(/\D/g, '');
    fc.assert(
      fc.property(fc.oneof(mixedText(), utf16Text(40), fc.stringMatching(/^[\d +()-]{0,30}$/)), (text) => {
        const found = extractMobile(text);
        if (found === undefined) return;
        expect(found).toMatch(MAINLAND_MOBILE);
        expect(digitsOf(text)).toContain(found);
      }),
      { numRuns: 500 },
    );
  });

  test('a number that is not a mainland mobile is not taken for one', () => {
    const notMobile = fc.oneof(
      fc.stringMatching(/^1[0-2]\d{9}$/),
      fc.stringMatching(/^[02-9]\d{10}$/),
      fc.stringMatching(/^1[3-9]\d{8}$/),
      fc.stringMatching(/^1[3-9]\d{10,14}$/),
    );
    fc.assert(
      fc.property(chineseText(), notMobile, chineseText(), (before, number, after) => {
        expect(extractMobile(`${before}${number}${after}`)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

const categories = catalogue.categories();
/** A serial of some category, straight from its pattern in catalogue.yaml (one generator per category: building them is slow). */
const serial = fc.oneof(
  ...categories.map((category) =>
    fc.stringMatching(anchoredSerialPattern(category.serialPattern)).map((value) => ({ value, category: category.id })),
  ),
);
/** Breaks customers put inside a serial when they copy it from a label. */
const innerBreak = fc.constantFrom(' ', '-', ' - ', '_', '  ');
const isSerialOfSomeCategory = (text: string): boolean =>
  categories.some((category) => anchoredSerialPattern(category.serialPattern).test(text));

describe('SerialRegistry.extractSerial', () => {
  test('a serial in a sentence is found, in any case and in full-width letters', () => {
    fc.assert(
      fc.property(
        chineseText(),
        serial,
        chineseText(),
        fc.constantFrom('upper', 'lower', 'fullWidth'),
        (before, { value, category }, after, spelling) => {
          const written =
            spelling === 'upper'
              ? value
              : spelling === 'lower'
                ? value.toLowerCase()
                : [...value].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
          const found = SerialRegistry.extractSerial(`${before}${written}${after}`, catalogue);
          expect(found).toBe(value);
          expect(catalogue.categoryOfSerial(found ?? '')?.id).toBe(category);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('a serial broken by spaces or dashes is still found when the text holds no plain one', () => {
    fc.assert(
      fc.property(
        chineseText(),
        serial,
        fc.integer({ min: 1, max: 12 }),
        innerBreak,
        chineseText(),
        (before, { value }, at, gap, after) => {
          const cut = Math.min(at, value.length - 1);
          const written = `${value.slice(0, cut)}${gap}${value.slice(cut)}`;
          expect(SerialRegistry.extractSerial(`${before}${written}${after}`, catalogue)).toBe(value);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a serial glued to more letters or digits is not cut out of the longer code', () => {
    fc.assert(
      fc.property(serial, fc.stringMatching(/^[A-Z0-9]$/), fc.boolean(), ({ value }, extra, atStart) => {
        const glued = atStart ? `${extra}${value}` : `${value}${extra}`;
        const found = SerialRegistry.extractSerial(`序列号${glued}，谢谢`, catalogue);
        // The longer code may itself be a serial (a digit more can fit another family's format), never a piece of it.
        if (found !== undefined) expect(found).toBe(glued);
      }),
      { numRuns: 300 },
    );
  });

  test('whatever the text, the answer is nothing or a serial of a known format', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mixedText(),
          utf16Text(40),
          fc.stringMatching(/^[A-Za-z0-9 -]{0,30}$/),
          fc.tuple(mixedText(4), serial, mixedText(4)).map(([a, { value }, b]) => `${a}${value}${b}`),
        ),
        (text) => {
          const found = SerialRegistry.extractSerial(text, catalogue);
          if (found !== undefined) expect(isSerialOfSomeCategory(found)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

const ticketId = fc
  .tuple(fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^\d{4,6}$/))
  .map(([day, sequence]) => ({ day, sequence, id: `S${day}-${sequence}` }));
/** How customers type a ticket number: lower-case s, other dashes or none, spaces, full width. */
const writtenTicketId = fc
  .tuple(ticketId, fc.constantFrom('S', 's', 'Ｓ', 'ｓ'), fc.constantFrom('-', '–', '—', '', ' - ', '－', ' '), fc.boolean())
  .map(([{ day, sequence, id }, letter, dash, fullWidthDigits]) => {
    const digits = (text: string) => (fullWidthDigits ? [...text].map((digit) => FULL_WIDTH_DIGITS[Number(digit)]).join('') : text);
    return { id, text: `${letter}${digits(day)}${dash}${digits(sequence)}` };
  });

describe('extractTicketId', () => {
  test('a ticket number in a sentence is found, in its canonical form, however it was typed', () => {
    fc.assert(
      fc.property(chineseText(), writtenTicketId, chineseText(), (before, { id, text }, after) => {
        expect(extractTicketId(`${before}工单号${text}${after}`)).toBe(id);
        expect(normalizeTicketId(text)).toBe(id);
      }),
      { numRuns: 400 },
    );
  });

  test('whatever the text, the answer is nothing or a canonical ticket number, which normalises to itself', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText(), utf16Text(40), fc.stringMatching(/^[Ss\d\s–—-]{0,20}$/)), (text) => {
        const found = extractTicketId(text);
        if (found === undefined) return;
        expect(found).toMatch(/^S\d{6}-\d{4,}$/);
        expect(normalizeTicketId(found)).toBe(found);
      }),
      { numRuns: 500 },
    );
  });

  test('normalising is idempotent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          writtenTicketId.map(({ text }) => text),
          utf16Text(20),
        ),
        (text) => {
          const once = normalizeTicketId(text);
          if (once !== undefined) expect(normalizeTicketId(once)).toBe(once);
        },
      ),
      { numRuns: 300 },
    );
  });
});
