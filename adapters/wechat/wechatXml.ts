import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';

/** WeChat pushes are a few hundred bytes; anything this big is not from WeChat. */
export const MAX_WECHAT_XML_BYTES = 64 * 1024;

export class WechatXmlError extends Error {
  override readonly name = 'WechatXmlError';

  /** Short and machine-readable: `tooLarge`, `forbiddenDtd`, `malformed`, `wrongRoot`,
   *  `duplicateElement`, `missing:<Element>`, `invalid:<Element>`. */
  constructor(
    readonly reason: string,
    message: string = reason,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const TEXT = '#text';
const CDATA = '#cdata';

const parser = new XMLParser({
  // Entities and DTDs are how XXE and billion-laughs get in; the five predefined entities and
  // character references are decoded by hand below, without any expansion machinery.
  processEntities: false,
  htmlEntities: false,
  // MsgId is a 64-bit integer: every value must stay the exact string that was sent.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  // Ordered output with CDATA kept apart, so that only formatting whitespace outside CDATA is trimmed.
  preserveOrder: true,
  trimValues: false,
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** With preserveOrder, every node is `{ [name]: children }`, plus `':@'` for attributes. */
type OrderedNode = Record<string, unknown>;

const FORBIDDEN_DTD = /<!(?:DOCTYPE|ENTITY)/i;
/** XML whitespace only: String#trim would also eat U+3000 and NBSP, which are content. */
const LEADING_XML_SPACE = /^[ \t\r\n]+/;
const TRAILING_XML_SPACE = /[ \t\r\n]+$/;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** One pass, so `&amp;lt;` becomes `&lt;` and nothing is ever expanded twice. */
function decodeReferences(text: string): string {
  return text.replace(REFERENCE, (whole, name?: string, decimal?: string, hex?: string) => {
    if (name !== undefined) {
      return PREDEFINED[name] ?? whole;
    }
    const codePoint = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16);
    return isXmlChar(codePoint) ? String.fromCodePoint(codePoint) : whole;
  });
}

function nodeName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@');
}

function childrenOf(node: OrderedNode, name: string): OrderedNode[] {
  const children = node[name];
  return Array.isArray(children) ? (children as OrderedNode[]) : [];
}

type Segment = { cdata: boolean; value: string };

function segmentOf(child: OrderedNode): Segment | undefined {
  const name = nodeName(child);
  if (name === TEXT) {
    return { cdata: false, value: decodeReferences(String(child[TEXT])) };
  }
  if (name === CDATA) {
    const inner = childrenOf(child, CDATA)[0];
    return { cdata: true, value: inner === undefined ? '' : String(inner[TEXT] ?? '') };
  }
  return undefined;
}

/** The element's text, or undefined when it has child elements (nested structures are skipped). */
function plainTextOf(children: OrderedNode[]): string | undefined {
  const segments: Segment[] = [];
  for (const child of children) {
    const segment = segmentOf(child);
    if (segment === undefined) {
      return undefined;
    }
    segments.push(segment);
  }
  const first = segments[0];
  if (first !== undefined && !first.cdata) {
    first.value = first.value.replace(LEADING_XML_SPACE, '');
  }
  const last = segments.at(-1);
  if (last !== undefined && !last.cdata) {
    last.value = last.value.replace(TRAILING_XML_SPACE, '');
  }
  return segments.map((segment) => segment.value).join('');
}

function checkBeforeParsing(xml: string): void {
  if (Buffer.byteLength(xml, 'utf8') > MAX_WECHAT_XML_BYTES) {
    throw new WechatXmlError('tooLarge', `XML body exceeds ${MAX_WECHAT_XML_BYTES} bytes`);
  }
  if (FORBIDDEN_DTD.test(xml)) {
    throw new WechatXmlError('forbiddenDtd', 'DOCTYPE and ENTITY declarations are not accepted');
  }
  // The parser is lenient about unclosed or mismatched tags; the validator is not.
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    throw new WechatXmlError('malformed', `malformed XML: ${verdict.err.msg}`);
  }
}

function parseOrdered(xml: string): OrderedNode[] {
  try {
    const parsed: unknown = parser.parse(xml);
    return Array.isArray(parsed) ? (parsed as OrderedNode[]) : [];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WechatXmlError('malformed', `malformed XML: ${detail}`);
  }
}

function rootOf(nodes: OrderedNode[]): OrderedNode {
  const elements = nodes.filter((node) => {
    const name = nodeName(node);
    return name !== undefined && name !== TEXT;
  });
  const root = elements[0];
  if (elements.length !== 1 || root === undefined || nodeName(root) !== 'xml') {
    throw new WechatXmlError('wrongRoot', 'root element must be <xml>');
  }
  return root;
}

/**
 * Parses a WeChat push into its top-level text fields (`ToUserName`, `Content`, …), all strings.
 * Unknown elements are kept; elements with children are skipped.
 */
export function parseWechatXml(xml: string): Record<string, string> {
  checkBeforeParsing(xml);
  const root = rootOf(parseOrdered(xml));
  const fields: Record<string, string> = {};
  for (const child of childrenOf(root, 'xml')) {
    const name = nodeName(child);
    if (name === undefined || name === TEXT || name === CDATA) {
      continue;
    }
    const text = plainTextOf(childrenOf(child, name));
    if (text === undefined) {
      continue;
    }
    // Two values for one field is ambiguous, and not something WeChat sends: refuse to pick one.
    if (Object.hasOwn(fields, name)) {
      throw new WechatXmlError('duplicateElement', `element <${name}> appears twice`);
    }
    fields[name] = text;
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Inbound messages
// ---------------------------------------------------------------------------------------------

interface InboundCommon {
  toUser: string;
  fromUser: string;
  /** Unix seconds, kept as the digits that were sent. */
  createTime: string;
}

export interface WechatTextInbound extends InboundCommon {
  kind: 'text';
  content: string;
  msgId: string;
}

export interface WechatImageInbound extends InboundCommon {
  kind: 'image';
  picUrl: string;
  mediaId: string;
  msgId: string;
}

export interface WechatVoiceInbound extends InboundCommon {
  kind: 'voice';
  mediaId: string;
  format?: string;
  /** Speech-to-text; absent when WeChat sends none or an empty one. */
  recognition?: string;
  msgId: string;
}

export interface WechatEventInbound extends InboundCommon {
  kind: 'event';
  /** Lowercased: `subscribe`, `unsubscribe`, `click`, `scan`, `view`, … */
  event: string;
  eventKey?: string;
}

export interface WechatUnsupportedInbound extends InboundCommon {
  kind: 'unsupported';
  /** Lowercased MsgType: `video`, `location`, `link`, `shortvideo`, … */
  msgType: string;
  msgId?: string;
}

export type WechatInbound = WechatTextInbound | WechatImageInbound | WechatVoiceInbound | WechatEventInbound | WechatUnsupportedInbound;

const nonEmpty = z.string().min(1);
const digits = z.string().regex(/^\d+$/);
/** WeChat sends e.g. `<Recognition><![CDATA[]]></Recognition>` when it has nothing: same as absent. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

// z.object drops unknown keys, which is the tolerance WeChat's growing field list needs.
const commonSchema = z.object({
  ToUserName: nonEmpty,
  FromUserName: nonEmpty,
  CreateTime: digits,
  MsgType: nonEmpty,
});
const textSchema = z.object({ Content: z.string(), MsgId: digits });
const imageSchema = z.object({ PicUrl: nonEmpty, MediaId: nonEmpty, MsgId: digits });
const voiceSchema = z.object({ MediaId: nonEmpty, Format: optionalText, Recognition: optionalText, MsgId: digits });
const eventSchema = z.object({ Event: nonEmpty, EventKey: optionalText });
const unsupportedSchema = z.object({ MsgId: digits.optional() });

function validate<T extends z.ZodType>(schema: T, fields: Record<string, string>): z.output<T> {
  const result = schema.safeParse(fields);
  if (result.success) {
    return result.data;
  }
  const field = String(result.error.issues[0]?.path[0] ?? 'unknown');
  const problem = Object.hasOwn(fields, field) ? 'invalid' : 'missing';
  throw new WechatXmlError(`${problem}:${field}`, `${problem} <${field}> in WeChat message`);
}

/** Spreads only defined values so absent optional fields are absent keys, not `undefined`. */
function defined<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function byKind(msgType: string, common: InboundCommon, fields: Record<string, string>): WechatInbound {
  switch (msgType) {
    case 'text': {
      const { Content, MsgId } = validate(textSchema, fields);
      return { kind: 'text', ...common, content: Content, msgId: MsgId };
    }
    case 'image': {
      const { PicUrl, MediaId, MsgId } = validate(imageSchema, fields);
      return { kind: 'image', ...common, picUrl: PicUrl, mediaId: MediaId, msgId: MsgId };
    }
    case 'voice': {
      const voice = validate(voiceSchema, fields);
      const optional = defined({ format: voice.Format, recognition: voice.Recognition });
      return { kind: 'voice', ...common, mediaId: voice.MediaId, msgId: voice.MsgId, ...optional };
    }
    case 'event': {
      const { Event, EventKey } = validate(eventSchema, fields);
      return { kind: 'event', ...common, event: Event.toLowerCase(), ...defined({ eventKey: EventKey }) };
    }
    default: {
      const { MsgId } = validate(unsupportedSchema, fields);
      return { kind: 'unsupported', ...common, msgType, ...defined({ msgId: MsgId }) };
    }
  }
}

/** Turns parsed fields into a typed message; throws WechatXmlError naming the first bad field. */
export function parseInbound(fields: Record<string, string>): WechatInbound {
  const common = validate(commonSchema, fields);
  return byKind(
    common.MsgType.toLowerCase(),
    { toUser: common.ToUserName, fromUser: common.FromUserName, createTime: common.CreateTime },
    fields,
  );
}

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

/** Characters XML 1.0 forbids even inside CDATA (controls, lone surrogates, U+FFFE/FFFF). */
const NON_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `]]>` cannot appear inside one CDATA section, so it is split across two. */
function cdata(text: string): string {
  const safe = text.replace(NON_XML_CHARS, '').replaceAll(']]>', ']]]]><![CDATA[>');
  return `<![CDATA[${safe}]]>`;
}

export interface TextReplyInput {
  /** The user's OpenID (the inbound FromUserName). */
  toUser: string;
  /** The account id (the inbound ToUserName). */
  fromUser: string;
  /** Unix seconds. */
  createTime: number;
  content: string;
}

/** The passive text reply, i.e. the HTTP response body for a plaintext push. */
export function buildTextReply(input: TextReplyInput): string {
  if (!Number.isSafeInteger(input.createTime) || input.createTime < 0) {
    throw new RangeError('createTime must be a non-negative integer (Unix seconds)');
  }
  return (
    '<xml>' +
    `<ToUserName>${cdata(input.toUser)}</ToUserName>` +
    `<FromUserName>${cdata(input.fromUser)}</FromUserName>` +
    `<CreateTime>${input.createTime}</CreateTime>` +
    `<MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(input.content)}</Content>` +
    '</xml>'
  );
}

export interface EncryptedReplyInput {
  encrypt: string;
  msgSignature: string;
  /** Ours, in Unix seconds; also signed into msgSignature. */
  timestamp: string;
  /** The request's nonce. */
  nonce: string;
}

/** The safe-mode reply envelope around an encrypted passive reply. */
export function buildEncryptedReply(input: EncryptedReplyInput): string {
  if (!/^\d+$/.test(input.timestamp)) {
    throw new RangeError('timestamp must be digits (Unix seconds)');
  }
  return (
    '<xml>' +
    `<Encrypt>${cdata(input.encrypt)}</Encrypt>` +
    `<MsgSignature>${cdata(input.msgSignature)}</MsgSignature>` +
    `<TimeStamp>${input.timestamp}</TimeStamp>` +
    `<Nonce>${cdata(input.nonce)}</Nonce>` +
    '</xml>'
  );
}
