import fc from 'fast-check';

/*
 * Generators shared by the property suites under test/fuzz. Not a test file itself (jest runs
 * *.test.ts only). Random seeds on purpose: a failing run prints its seed and path, and
 * `fc.assert(…, { seed, path })` replays exactly that case.
 */

/** Characters that break naive text handling: CDATA ends, controls, non-characters, BOM, RTL override, emoji, a lone surrogate. */
export const HOSTILE_PIECES = [
  ']]>',
  ']]]]>',
  '<![CDATA[',
  '&amp;',
  '&lt;',
  '&#0;',
  '&#x1F600;',
  '&bogus;',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001f',
  '\u007f',
  '\t',
  '\r\n',
  '\r',
  '\uFEFF',
  '\uFFFE',
  '\uFFFF',
  '\u202E',
  '\u3000',
  '\u00A0',
  '😀',
  '👨‍👩‍👧',
  '\uD800',
  '\uDFFF',
  'İ',
  'ß',
  '<',
  '>',
  '&',
  '"',
  "'",
  '\\',
] as const;

/** Words a customer really types, none with ASCII letters or digits in them. */
export const CHINESE_WORDS = [
  '您好',
  '我的',
  '手机',
  '电话',
  '耳机',
  '坏了',
  '屏幕',
  '不亮',
  '帮我',
  '看看',
  '序列号',
  '工单号',
  '是',
  '谢谢',
  '，',
  '。',
  '！',
  '？',
  '：',
  '“',
  '”',
  '、',
  '～',
  '……',
] as const;

/** Any UTF-16 string, lone surrogates included (what a broken client or a forged body can send). */
export const utf16Text = (maxLength = 64): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength });

/** Well-formed Unicode: any code point, no lone surrogates. */
export const unicodeText = (maxLength = 64): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });

/** Text made of pieces: ordinary graphemes, hostile characters and Chinese words, mixed. */
export const mixedText = (maxPieces = 12): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 8 }),
        fc.constantFrom(...HOSTILE_PIECES),
        fc.constantFrom(...CHINESE_WORDS),
        unicodeText(8),
      ),
      { maxLength: maxPieces },
    )
    .map((pieces) => pieces.join(''));

/** Chinese text without ASCII letters or digits, so nothing in it can join a number or a code next to it. */
export const chineseText = (maxWords = 6): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...CHINESE_WORDS), { maxLength: maxWords }).map((words) => words.join(''));

/** Text well-formed in XML 1.0 (what can travel inside CDATA at all). */
export const xmlCharText = (maxLength = 64): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', maxLength }).map((text) => text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ''));

/** Any JSON value, objects with the keys a body schema looks for mixed in, deep enough to matter. */
export const jsonWithKeys = (keys: readonly string[]): fc.Arbitrary<unknown> =>
  fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 5 }),
      fc.array(tie('value'), { maxLength: 3 }),
      mixedText(),
    ),
  })).value;

/** A value nested `depth` levels deep, as `[[[…]]]` or `{"a":{"a":…}}`. */
export function deeplyNested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}
