/** A mainland China mobile number: 11 digits starting 13–19. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * The mobile number in a message, however it is written: "138 0013 8000", "+86-13800138000",
 * "我的电话是13800138000". Undefined when there is none or it is not a mainland mobile.
 */
export function extractMobile(text: string): string | undefined {
  const compact = text.normalize('NFKC').replace(/[\s\-()（）]/g, '');
  // The first mobile standing alone: part of a longer number (an order id, a serial) is not a
  // phone, and such a number before the phone must not hide it.
  return MOBILE_IN_TEXT.exec(compact)?.[1];
}

const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)/;

/** Taobao order numbers: 16–19 digits standing alone (spaces between digit groups allowed). */
const TAOBAO_ORDER = /(?<!\d)(\d{16,19})(?!\d)/;

/** The Taobao order number in a message ("订单号 3912 4567 8901 2345 67"), if there is one. */
export function extractTaobaoOrderId(text: string): string | undefined {
  const compact = text.normalize('NFKC').replace(/(?<=\d)[\s-]+(?=\d)/g, '');
  return TAOBAO_ORDER.exec(compact)?.[1];
}
