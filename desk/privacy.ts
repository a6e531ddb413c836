/**
 * Customer data as a role that does not need it sees it (DESIGN §3: phones and addresses are masked
 * wherever a role does not need them). One place, so the console, the queue summary, the dialogs'
 * confirmations and the logs all mask the same way: 138****5678, 021-****5678, 上海市浦东新区****.
 */

/** Masks one mobile number known to be whole (11 digits): 138****8000. Anything else: ****. */
export function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}

/** No digit or Latin letter right before a number: "SN13812345678" is a serial, not a phone. */
const START = String.raw`(?<![0-9A-Za-z])(?<!\d[\s-])`;
/** Nor right after it, nor more digit groups: "138 1234 5678 90" is part of a longer number. */
const END = String.raw`(?![0-9A-Za-z])(?![\s-]?\d)`;

/**
 * Mainland mobiles (1[3-9] + 9 digits), contiguous or grouped 3-4-4 by spaces or dashes, with an
 * optional +86 / 86 in front.
 */
const MOBILE = new RegExp(`${START}((?:\\+?86[\\s-]?)?)(1[3-9]\\d)[\\s-]?(\\d{4})[\\s-]?(\\d{4})${END}`, 'g');

/**
 * Landlines: an area code (010, 02x, or 0 + three digits; after +86 without its 0) and a local number
 * of 7–8 digits, e.g. 021-12345678, 0755 1234567, (021)12345678, +86 21 12345678.
 * 400/800 numbers are not masked: they are companies' hotlines (ours is in the bot's answers), not a
 * customer's private number.
 */
const LANDLINE = new RegExp(
  `${START}((?:\\+?86[\\s-]?\\(?|\\(?0))(10|2\\d|[3-9]\\d{2})(\\)?[\\s-]?)[1-9]\\d{2,3}[\\s-]?(\\d{4})${END}`,
  'g',
);

/** Full-width digits and signs as IMEs type them, mapped one UTF-16 unit to one so positions stay put. */
function halfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF0B\uFF0D\uFF08\uFF09\u3000]/g, (char) =>
    char === '\u3000' ? ' ' : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  );
}

/** Applies `replace` to every match of `pattern` found in the half-width copy, at the same places in `text`. */
function replaceAligned(text: string, pattern: RegExp, replace: (match: RegExpExecArray) => string): string {
  const probe = halfWidth(text);
  let out = '';
  let last = 0;
  for (const match of probe.matchAll(pattern)) {
    const at = match.index ?? 0;
    out += text.slice(last, at) + replace(match as RegExpExecArray);
    last = at + match[0].length;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Every phone number in a free text masked, the rest untouched: "我电话138 1234 5678" →
 * "我电话138****5678", "座机021-12345678" → "座机021-****5678". Ticket ids (S261122-0042), serials,
 * order numbers (16–19 digits) and dates are left alone. Masking twice changes nothing.
 */
export function maskPhonesInText(text: string): string {
  const mobilesMasked = replaceAligned(text, MOBILE, (m) => `${m[1]}${m[2]}****${m[4]}`);
  return replaceAligned(mobilesMasked, LANDLINE, (m) => `${m[1]}${m[2]}${m[3]}****${m[4]}`);
}

/**
 * Where an address stops being a district: the last 省/市/区/县/镇/乡 before the house number; a
 * 小区 or 园区 is an estate, not a district.
 */
const DIVISION = /[省市县镇乡旗]|(?<![小社园景校厂])区/g;

/**
 * A structured address with only its district kept: "上海市浦东新区张江路88号" → "上海市浦东新区****".
 * Without a district it keeps the words before the first digit ("张江路****"): a house number is what
 * makes an address someone's.
 */
export function maskAddress(address: string): string {
  const firstDigit = address.search(/[0-9\uFF10-\uFF19]/);
  const head = firstDigit === -1 ? address : address.slice(0, firstDigit);
  let keep = -1;
  for (const match of head.matchAll(DIVISION)) keep = (match.index ?? 0) + 1;
  if (keep === -1) keep = firstDigit === -1 ? 0 : firstDigit;
  return keep >= address.length ? address : `${address.slice(0, keep)}****`;
}

/**
 * What makes words an address: a street or estate word directly followed by a house or building
 * number (张江路88号, 阳光小区5栋, 中山大道西123号). Words alone (路由器放在2楼) are not an address.
 */
const HOUSE_NUMBER = /(?:路|街|道|巷|弄|村|区|苑|园|厦|城|里|院)[东南西北中]?[0-9\uFF10-\uFF19]+(?:号|栋|幢|楼|单元|室|弄|座)/g;
/** The characters an address is written in; punctuation and spaces end it. */
const ADDRESS_CHAR = /[\u4e00-\u9fa5A-Za-z0-9#\-\uFF0D\uFF10-\uFF19]/;

/**
 * Every address in a free text cut to its district (see maskAddress): the run of address characters
 * around each house number. Found from the house number outwards, so a long text costs one pass.
 */
export function maskAddressesInText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(HOUSE_NUMBER)) {
    const at = match.index ?? 0;
    if (at < last) continue;
    let from = at;
    while (from > last && ADDRESS_CHAR.test(text[from - 1])) from -= 1;
    let to = at + match[0].length;
    while (to < text.length && ADDRESS_CHAR.test(text[to])) to += 1;
    out += text.slice(last, from) + maskAddress(text.slice(from, to));
    last = to;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Phones and addresses in a free text masked: what a role that does not need them reads. */
export function maskPersonalText(text: string): string {
  return maskAddressesInText(maskPhonesInText(text));
}
