import { WechatCipher, messageSignature, signaturesEqual } from '../../../adapters/wechat/wechatCrypto';
import {
  MAX_WECHAT_XML_BYTES,
  WechatXmlError,
  buildEncryptedReply,
  buildTextReply,
  parseInbound,
  parseWechatXml,
  type WechatInbound,
} from '../../../adapters/wechat/wechatXml';

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof WechatXmlError) {
      return error.reason;
    }
    throw error;
  }
  throw new Error('expected a WechatXmlError, but nothing was thrown');
}

/** Laid out the way WeChat sends it: one element per line, strings in CDATA, numbers bare. */
function push(elements: Record<string, string>, bare: string[] = ['CreateTime', 'MsgId']): string {
  const lines = Object.entries(elements).map(([name, value]) =>
    bare.includes(name) ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`,
  );
  return `<xml>\n  ${lines.join('\n  ')}\n</xml>`;
}

const COMMON = {
  ToUserName: 'gh_0123456789ab',
  FromUserName: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  CreateTime: '1714037059',
};
const EXPECTED_COMMON = { toUser: COMMON.ToUserName, fromUser: COMMON.FromUserName, createTime: COMMON.CreateTime };

// ---------------------------------------------------------------------------------------------
// Inbound messages
// ---------------------------------------------------------------------------------------------

describe('parseInbound(parseWechatXml(…))', () => {
  test('a text message exactly as WeChat sends it', () => {
    const xml = `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>
<FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName>
<CreateTime>1714037059</CreateTime>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[我的耳机充不进电]]></Content>
<MsgId>22580000000000000001</MsgId>
</xml>`;
    expect(parseInbound(parseWechatXml(xml))).toStrictEqual({
      kind: 'text',
      ...EXPECTED_COMMON,
      content: '我的耳机充不进电',
      msgId: '22580000000000000001',
    });
  });

  test.each<[string, Record<string, string>, WechatInbound]>([
    [
      'image',
      { MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/abc', MediaId: 'media_1', MsgId: '24600000000000000002' },
      { kind: 'image', ...EXPECTED_COMMON, picUrl: 'http://mmbiz.qpic.cn/abc', mediaId: 'media_1', msgId: '24600000000000000002' },
    ],
    [
      'voice with Recognition',
      { MsgType: 'voice', MediaId: 'media_2', Format: 'amr', Recognition: '我要报修', MsgId: '1234567890123456' },
      { kind: 'voice', ...EXPECTED_COMMON, mediaId: 'media_2', format: 'amr', recognition: '我要报修', msgId: '1234567890123456' },
    ],
    [
      'voice without Recognition',
      { MsgType: 'voice', MediaId: 'media_3', Format: 'speex', MsgId: '1234567890123457' },
      { kind: 'voice', ...EXPECTED_COMMON, mediaId: 'media_3', format: 'speex', msgId: '1234567890123457' },
    ],
    [
      'voice with an empty Recognition (speech not recognised)',
      { MsgType: 'voice', MediaId: 'media_4', Format: 'amr', Recognition: '', MsgId: '1234567890123458' },
      { kind: 'voice', ...EXPECTED_COMMON, mediaId: 'media_4', format: 'amr', msgId: '1234567890123458' },
    ],
    [
      'event subscribe with the empty EventKey WeChat adds',
      { MsgType: 'event', Event: 'subscribe', EventKey: '' },
      { kind: 'event', ...EXPECTED_COMMON, event: 'subscribe' },
    ],
    ['event unsubscribe', { MsgType: 'event', Event: 'unsubscribe' }, { kind: 'event', ...EXPECTED_COMMON, event: 'unsubscribe' }],
    [
      'event CLICK with its menu key, lowercased',
      { MsgType: 'event', Event: 'CLICK', EventKey: 'MENU_REPAIR' },
      { kind: 'event', ...EXPECTED_COMMON, event: 'click', eventKey: 'MENU_REPAIR' },
    ],
    [
      'event SCAN with extra Ticket',
      { MsgType: 'event', Event: 'SCAN', EventKey: '123', Ticket: 'gQH47joAAAAAAAAAASxodHRw' },
      { kind: 'event', ...EXPECTED_COMMON, event: 'scan', eventKey: '123' },
    ],
    [
      'an unknown MsgType (video)',
      { MsgType: 'video', MediaId: 'media_5', ThumbMediaId: 'thumb_5', MsgId: '9000000000000000001' },
      { kind: 'unsupported', ...EXPECTED_COMMON, msgType: 'video', msgId: '9000000000000000001' },
    ],
    [
      'location (bare numbers), unsupported',
      { MsgType: 'location', Location_X: '23.134521', Location_Y: '113.358803', Scale: '20', Label: '广州', MsgId: '1' },
      { kind: 'unsupported', ...EXPECTED_COMMON, msgType: 'location', msgId: '1' },
    ],
    [
      'an unknown MsgType without MsgId',
      { MsgType: 'miniprogrampage', Title: '小程序' },
      { kind: 'unsupported', ...EXPECTED_COMMON, msgType: 'miniprogrampage' },
    ],
    [
      'text with fields this code has never heard of',
      { MsgType: 'text', Content: '人工', MsgId: '5', bizmsgmenuid: '101', MsgDataId: 'xxxx', Idx: '1' },
      { kind: 'text', ...EXPECTED_COMMON, content: '人工', msgId: '5' },
    ],
  ])('%s', (_name, elements, expected) => {
    expect(parseInbound(parseWechatXml(push({ ...COMMON, ...elements })))).toStrictEqual(expected);
  });

  test('a nested element (ScanCodeInfo) is skipped and does not disturb the rest', () => {
    const xml = `<xml>
  <ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>
  <FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName>
  <CreateTime>1714037059</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[scancode_waitmsg]]></Event>
  <EventKey><![CDATA[SCAN_SN]]></EventKey>
  <ScanCodeInfo><ScanType><![CDATA[barcode]]></ScanType><ScanResult><![CDATA[SN123]]></ScanResult></ScanCodeInfo>
</xml>`;
    const fields = parseWechatXml(xml);
    expect(fields).not.toHaveProperty('ScanCodeInfo');
    expect(fields).not.toHaveProperty('ScanType');
    expect(parseInbound(fields)).toStrictEqual({
      kind: 'event',
      ...EXPECTED_COMMON,
      event: 'scancode_waitmsg',
      eventKey: 'SCAN_SN',
    });
  });

  test.each<[string, Record<string, string>, string]>([
    ['no FromUserName', { ToUserName: 'gh_1', CreateTime: '1', MsgType: 'text', Content: 'a', MsgId: '1' }, 'missing:FromUserName'],
    ['an empty FromUserName', { ...COMMON, FromUserName: '', MsgType: 'text', Content: 'a', MsgId: '1' }, 'invalid:FromUserName'],
    ['no ToUserName', { FromUserName: 'o1', CreateTime: '1', MsgType: 'text', Content: 'a', MsgId: '1' }, 'missing:ToUserName'],
    [
      'a CreateTime that is not digits',
      { ...COMMON, CreateTime: '2024-04-25', MsgType: 'text', Content: 'a', MsgId: '1' },
      'invalid:CreateTime',
    ],
    ['no MsgType', { ...COMMON, Content: 'a', MsgId: '1' }, 'missing:MsgType'],
    ['text without Content', { ...COMMON, MsgType: 'text', MsgId: '1' }, 'missing:Content'],
    ['text without MsgId', { ...COMMON, MsgType: 'text', Content: 'a' }, 'missing:MsgId'],
    ['text with a MsgId that is not digits', { ...COMMON, MsgType: 'text', Content: 'a', MsgId: '1e21' }, 'invalid:MsgId'],
    ['image without PicUrl', { ...COMMON, MsgType: 'image', MediaId: 'm', MsgId: '1' }, 'missing:PicUrl'],
    ['voice without MediaId', { ...COMMON, MsgType: 'voice', Format: 'amr', MsgId: '1' }, 'missing:MediaId'],
    ['event without Event', { ...COMMON, MsgType: 'event', EventKey: 'k' }, 'missing:Event'],
  ])('%s is refused, naming the field', (_name, fields, expected) => {
    expect(reasonOf(() => parseInbound(fields))).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// parseWechatXml: values
// ---------------------------------------------------------------------------------------------

describe('parseWechatXml values', () => {
  test('a 64-bit MsgId stays the exact string, beyond Number precision', () => {
    const fields = parseWechatXml('<xml><MsgId>22580000000000000001</MsgId><Zero>007</Zero><Big>1e3</Big></xml>');
    expect(fields).toStrictEqual({ MsgId: '22580000000000000001', Zero: '007', Big: '1e3' });
    expect(String(Number(fields.MsgId))).not.toBe(fields.MsgId); // the trap being avoided
  });

  test.each<[string, string, string]>([
    [
      'CDATA content is kept exactly, including its own spaces and newlines',
      '<Content>\n  <![CDATA[  两个空格\n第二行 ]]>\n</Content>',
      '  两个空格\n第二行 ',
    ],
    ['formatting whitespace around a bare value is dropped', '<CreateTime>\n   1714037059\n</CreateTime>', '1714037059'],
    ['an ideographic space is content, not formatting', '<Content>\u3000全角\u3000</Content>', '\u3000全角\u3000'],
    ['a ]]> split over two CDATA sections joins back', '<Content><![CDATA[a]]]]><![CDATA[>b]]></Content>', 'a]]>b'],
    ['entities inside CDATA are literal text', '<Content><![CDATA[&amp; &lt;x&gt;]]></Content>', '&amp; &lt;x&gt;'],
    [
      'the predefined entities in bare text are decoded once',
      '<Content>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &amp;lt;</Content>',
      'a & b <c> "d" \'e\' &lt;',
    ],
    ['character references are decoded', '<Content>&#20013;&#x6587;&#x1F600;</Content>', '中文😀'],
    ['a reference to a forbidden character stays literal', '<Content>&#0;x</Content>', '&#0;x'],
    ['an undeclared entity stays literal and expands to nothing', '<Content>&lol9;</Content>', '&lol9;'],
    ['an empty element is an empty string', '<EventKey></EventKey>', ''],
    ['a self-closing element is an empty string', '<EventKey/>', ''],
    ['an empty CDATA is an empty string', '<EventKey><![CDATA[]]></EventKey>', ''],
    ['text mixed with CDATA keeps its order', '<Content> x <![CDATA[ y ]]> z </Content>', 'x  y  z'],
    ['a comment inside a value is dropped', '<Content>ab<!-- note -->cd</Content>', 'abcd'],
    ['attributes are ignored', '<Content lang="zh"><![CDATA[好]]></Content>', '好'],
  ])('%s', (_name, element, expected) => {
    const fields = parseWechatXml(`<xml>${element}</xml>`);
    expect(Object.values(fields)).toStrictEqual([expected]);
  });

  test('an XML declaration and a byte-order mark are accepted', () => {
    expect(parseWechatXml('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<xml><A>1</A></xml>')).toStrictEqual({ A: '1' });
  });

  test('only top-level elements are returned, unknown ones included', () => {
    const fields = parseWechatXml('<xml><A>1</A><Outer><B>2</B></Outer><Unknown_Field>3</Unknown_Field></xml>');
    expect(fields).toStrictEqual({ A: '1', Unknown_Field: '3' });
  });

  test('a body exactly at the size limit (counted in UTF-8 bytes) is accepted', () => {
    const frame = '<xml><Content><![CDATA[]]></Content></xml>';
    const room = MAX_WECHAT_XML_BYTES - Buffer.byteLength(frame);
    const content = '中'.repeat(Math.floor(room / 3)) + 'a'.repeat(room % 3);
    const xml = `<xml><Content><![CDATA[${content}]]></Content></xml>`;
    expect(Buffer.byteLength(xml)).toBe(MAX_WECHAT_XML_BYTES);
    expect(parseWechatXml(xml).Content).toBe(content);
  });
});

// ---------------------------------------------------------------------------------------------
// parseWechatXml: refusals
// ---------------------------------------------------------------------------------------------

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xml><Content>&lol3;</Content></xml>`;

const XXE = `<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh_1</ToUserName><Content>&xxe;</Content></xml>`;

describe('parseWechatXml refusals', () => {
  const oversize = `<xml><Content><![CDATA[${'中'.repeat(22_000)}]]></Content></xml>`;

  test.each<[string, string, string]>([
    ['billion laughs', 'forbiddenDtd', BILLION_LAUGHS],
    ['an external entity (XXE)', 'forbiddenDtd', XXE],
    ['a lowercase doctype', 'forbiddenDtd', '<!doctype xml><xml><A>1</A></xml>'],
    ['an ENTITY declaration on its own', 'forbiddenDtd', '<xml><!ENTITY a "b"><A>1</A></xml>'],
    ['a body over the limit in bytes, though not in characters', 'tooLarge', oversize],
    ['another root element', 'wrongRoot', '<root><A>1</A></root>'],
    ['an uppercase XML root', 'wrongRoot', '<XML><A>1</A></XML>'],
    ['two roots', 'malformed', '<xml><A>1</A></xml><xml><A>2</A></xml>'],
    ['an unclosed element', 'malformed', '<xml><A>1</xml>'],
    ['a truncated body', 'malformed', '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Content><![CDATA[半'],
    ['mismatched tags', 'malformed', '<xml><A>1</B></xml>'],
    ['plain text', 'malformed', 'hello'],
    ['JSON', 'malformed', '{"ToUserName":"gh_1"}'],
    ['an empty body', 'malformed', ''],
    ['a bare ampersand', 'malformed', '<xml><A>a & b</A></xml>'],
    ['an element named __proto__', 'malformed', '<xml><__proto__><polluted>yes</polluted></__proto__></xml>'],
    ['a field given twice', 'duplicateElement', '<xml><FromUserName>a</FromUserName><FromUserName>b</FromUserName></xml>'],
  ])('%s → %s', (_name, expected, xml) => {
    expect(reasonOf(() => parseWechatXml(xml))).toBe(expected);
  });

  test('the oversize body really is under the limit in characters', () => {
    expect(oversize.length).toBeLessThan(MAX_WECHAT_XML_BYTES);
    expect(Buffer.byteLength(oversize)).toBeGreaterThan(MAX_WECHAT_XML_BYTES);
  });

  test('nothing is polluted by hostile element names', () => {
    expect(() => parseWechatXml('<xml><__proto__><polluted>yes</polluted></__proto__></xml>')).toThrow(WechatXmlError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('errors are Errors with a name and a reason', () => {
    const error = new WechatXmlError('malformed');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WechatXmlError');
    expect(error.reason).toBe('malformed');
  });
});

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

describe('buildTextReply', () => {
  const base = { toUser: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', fromUser: 'gh_0123456789ab', createTime: 1714037060 };

  test('has the passive-reply shape WeChat expects', () => {
    expect(buildTextReply({ ...base, content: '您好' })).toBe(
      '<xml><ToUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></ToUserName>' +
        '<FromUserName><![CDATA[gh_0123456789ab]]></FromUserName>' +
        '<CreateTime>1714037060</CreateTime>' +
        '<MsgType><![CDATA[text]]></MsgType>' +
        '<Content><![CDATA[您好]]></Content></xml>',
    );
  });

  test.each<[string, string]>([
    ['a CDATA terminator', 'before ]]> after'],
    ['several terminators and near misses', ']]>]]]>]]]]>] ]>]]'],
    ['a CDATA opener', '<![CDATA[x]]>'],
    ['a script tag', '<script>alert("x")</script>'],
    ['ampersands and entity-like text', 'A & B &amp; C &lt; &#60;'],
    ['Chinese with full-width punctuation', '您好，请问您的耳机是哪一款？（型号见包装盒）'],
    ['emoji', '👍 已收到😀'],
    ['leading and trailing spaces and newlines', '  第一行\n第二行  \n'],
    ['nothing', ''],
    ['XML that looks like a reply', '<xml><MsgType>image</MsgType></xml>'],
  ])('content with %s parses back unchanged', (_name, content) => {
    const fields = parseWechatXml(buildTextReply({ ...base, content }));
    expect(fields).toStrictEqual({
      ToUserName: base.toUser,
      FromUserName: base.fromUser,
      CreateTime: '1714037060',
      MsgType: 'text',
      Content: content,
    });
  });

  test('characters XML cannot carry at all are dropped rather than producing a body WeChat rejects', () => {
    const fields = parseWechatXml(buildTextReply({ ...base, content: 'a\u0000b\u0007c\uFFFEd\uD800e' }));
    expect(fields.Content).toBe('abcde');
  });

  test.each([-1, 1.5, Number.NaN])('a createTime of %p is refused', (createTime) => {
    expect(() => buildTextReply({ ...base, createTime, content: 'x' })).toThrow(RangeError);
  });
});

describe('buildEncryptedReply', () => {
  const V3 = {
    token: 'pamtest',
    encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    appId: 'wxb11529c136998cb6',
    encrypt: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
    timestamp: '1409304348',
    nonce: 'xxxxxx',
    msgSignature: '82c962d39941aa48552f90ef55aa323dc620cc10',
  };

  test('has the safe-mode envelope shape', () => {
    expect(buildEncryptedReply({ encrypt: V3.encrypt, msgSignature: V3.msgSignature, timestamp: V3.timestamp, nonce: V3.nonce })).toBe(
      `<xml><Encrypt><![CDATA[${V3.encrypt}]]></Encrypt>` +
        `<MsgSignature><![CDATA[${V3.msgSignature}]]></MsgSignature>` +
        `<TimeStamp>${V3.timestamp}</TimeStamp>` +
        `<Nonce><![CDATA[${V3.nonce}]]></Nonce></xml>`,
    );
  });

  test('a timestamp that is not digits is refused', () => {
    expect(() => buildEncryptedReply({ encrypt: 'e', msgSignature: 's', timestamp: '12a', nonce: 'n' })).toThrow(RangeError);
  });

  test('round trip: encrypt a reply, wrap it, and the receiving side verifies and reads it', () => {
    const cipher = new WechatCipher({ appId: V3.appId, encodingAesKey: V3.encodingAesKey });
    const inner = buildTextReply({ toUser: 'oUser', fromUser: 'gh_1', createTime: 1409304349, content: '已为您登记 ]]> 报修' });
    const encrypt = cipher.encrypt(inner);
    const timestamp = '1409304349';
    const msgSignature = messageSignature(V3.token, timestamp, V3.nonce, encrypt);

    const outer = parseWechatXml(buildEncryptedReply({ encrypt, msgSignature, timestamp, nonce: V3.nonce }));

    const expected = messageSignature(V3.token, outer.TimeStamp ?? '', outer.Nonce ?? '', outer.Encrypt ?? '');
    expect(signaturesEqual(outer.MsgSignature ?? '', expected)).toBe(true);
    expect(parseWechatXml(cipher.decrypt(outer.Encrypt ?? '')).Content).toBe('已为您登记 ]]> 报修');
  });

  test('safe-mode inbound: the outer envelope yields Encrypt, whose plaintext parses as the message', () => {
    const cipher = new WechatCipher({ appId: V3.appId, encodingAesKey: V3.encodingAesKey });
    const inner = push({ ...COMMON, MsgType: 'text', Content: '查询工单', MsgId: '22580000000000000001' });
    const outer = `<xml><ToUserName><![CDATA[${COMMON.ToUserName}]]></ToUserName><Encrypt><![CDATA[${cipher.encrypt(inner)}]]></Encrypt></xml>`;
    const encrypted = parseWechatXml(outer).Encrypt ?? '';
    expect(parseInbound(parseWechatXml(cipher.decrypt(encrypted)))).toStrictEqual({
      kind: 'text',
      ...EXPECTED_COMMON,
      content: '查询工单',
      msgId: '22580000000000000001',
    });
  });
});
