export type Locale = 'zh-CN' | 'en';

const HAN = /\p{Script=Han}/u;
/** Words of letters only: serials and model numbers (EB26AX56492, X20) say nothing of the language. */
const LATIN_WORD = /(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])/g;

/**
 * The language a message is written in, or undefined when it cannot tell ("1", "👍", "OK?"),
 * so that a conversation keeps the language it already has.
 */
export function detectLanguage(text: string): Locale | undefined {
  if (HAN.test(text)) return 'zh-CN';
  const words = text.match(LATIN_WORD) ?? [];
  // One short token such as "ok" or "SN" is too thin to switch a Chinese conversation to English.
  const letters = words.join('').length;
  if (words.length >= 2 || letters >= 4) return 'en';
  return undefined;
}

/** Lower-cased, full-width folded, without spaces and punctuation: how short commands are compared. */
export function normalizeUtterance(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}
