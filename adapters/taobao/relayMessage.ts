import { z } from 'zod';
import { TAOBAO_ORDER_ID } from './topClient';
import { isSignMethod, parseTopTimestamp } from './topSignature';
import { describeZodError } from '../../common/zodIssues';

/*
 * What the chat relay (the shop's ISV partner or its 千牛 plug-in) POSTs to /api/taobao: a flat object
 * of string fields, as JSON or as a form, signed the TOP way over every field except `sign`.
 *
 * This file is the one place that knows the relay's format (docs/protocols.md §4): a real partner whose
 * field names differ needs only this schema and its mapping to RelayInbound changed.
 *
 *   system:   app_key, timestamp ('yyyy-MM-dd HH:mm:ss' GMT+8), sign_method (md5 | hmac | hmac-sha256),
 *             sign (uppercase hex), optional v, optional method
 *   business: buyer_nick (1–64), seller_nick (1–64), message_id (1–128 of [A-Za-z0-9_.:-]),
 *             content (1–2000 characters after trimming), optional order_id (10–25 digits),
 *             optional msg_time (TOP timestamp, when the buyer sent it)
 *
 * Unknown fields are allowed (partners add their own) but ignored here. They still count towards
 * the signature, which the route checks over the raw fields with verifyTopRequest.
 */

/** Missing and wrong-type get different words, so that a partner can tell which mistake they made. */
function text(): z.ZodString {
  return z.string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') });
}

/** Characters as people count them (a Chinese character or an emoji is one), not UTF-16 units. */
function characters(value: string): number {
  return [...value].length;
}

/** Form encoders often send an absent optional field as empty; TOP signing skips empty values too. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

const topTimestamp = text().refine((value) => parseTopTimestamp(value) !== undefined, "must be 'yyyy-MM-dd HH:mm:ss' (GMT+8)");

export const relayInboundSchema = z.object({
  app_key: text().min(1, 'is empty').max(64, 'is too long (max 64)'),
  timestamp: topTimestamp,
  sign_method: text().refine(isSignMethod, 'must be md5, hmac or hmac-sha256'),
  sign: text().regex(/^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{64})$/, 'must be 32 or 64 hex digits'),
  v: optional(text().max(16, 'is too long (max 16)')),
  method: optional(text().max(128, 'is too long (max 128)')),
  buyer_nick: text().min(1, 'is empty').max(64, 'is too long (max 64)'),
  seller_nick: text().min(1, 'is empty').max(64, 'is too long (max 64)'),
  message_id: text()
    .min(1, 'is empty')
    .max(128, 'is too long (max 128)')
    .regex(/^[\w.:-]*$/, 'may only contain letters, digits, _ . : -'),
  content: text()
    .trim()
    .min(1, 'is empty')
    .refine((value) => characters(value) <= 2000, 'is too long (max 2000 characters)'),
  order_id: optional(text().regex(TAOBAO_ORDER_ID, 'must be 10–25 digits')),
  msg_time: optional(topTimestamp),
});

export type RelayInbound = {
  appKey: string;
  buyerNick: string;
  sellerNick: string;
  messageId: string;
  /** Trimmed. */
  content: string;
  orderId?: string;
  /** When the buyer sent it, if the relay said. */
  sentAt?: Date;
};

export type RelayParse = { ok: true; message: RelayInbound } | { ok: false; reason: string };

/** Validates the relay's fields (from JSON or a form alike); the reason names each bad field. */
export function parseRelayInbound(fields: Record<string, unknown>): RelayParse {
  const parsed = relayInboundSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, reason: describeZodError(parsed.error, { separator: ' ' }) };
  const f = parsed.data;
  const sentAt = f.msg_time === undefined ? undefined : parseTopTimestamp(f.msg_time);
  return {
    ok: true,
    message: {
      appKey: f.app_key,
      buyerNick: f.buyer_nick,
      sellerNick: f.seller_nick,
      messageId: f.message_id,
      content: f.content,
      ...(f.order_id !== undefined ? { orderId: f.order_id } : {}),
      ...(sentAt ? { sentAt } : {}),
    },
  };
}

/** The body of our HTTP answer to the relay: the replies it should deliver to the buyer, in order. */
export function relayReplyBody(contents: string[]): { replies: { content: string }[] } {
  return { replies: contents.map((content) => ({ content })) };
}
