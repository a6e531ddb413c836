/** A mainland China mobile number: 11 digits starting 13–19. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * The mobile number in a message, however it is written: "138 0013 8000", "+86-13800138000",
 * "我的电话是13800138000". Undefined when there is none or it is not a mainland mobile.
 */
export function extractMobile(text: string): string | undefined {
  const compact = text.normalize('NFKC').replace(/[\s\-()（）]/g, '');
  const match = /(?:\+?86)?(1\d{10})(?!\d)/.exec(compact);
  if (!match || !MAINLAND_MOBILE.test(match[1])) return undefined;
  const before = compact.slice(0, match.index);
  // Part of a longer number (an order id, a serial) is not a phone.
  if (/\d$/.test(before)) return undefined;
  return match[1];
}

/** Taobao order numbers: 16–19 digits standing alone (spaces between digit groups allowed). */
const TAOBAO_ORDER = /(?<!\d)(\d{16,19})(?!\d)/;

/** The Taobao order number in a message ("订单号 3912 4567 8901 2345 67"), if there is one. */
export function extractTaobaoOrderId(text: string): string | undefined {
  const compact = text.normalize('NFKC').replace(/(?<=\d)[\s-]+(?=\d)/g, '');
  return TAOBAO_ORDER.exec(compact)?.[1];
}
