import { parseRelayInbound, relayInboundSchema, relayReplyBody } from '../../../adapters/taobao/relayMessage';
import { verifyTopRequest } from '../../../adapters/taobao/topSignature';
import { formBody, signedRelayMessage } from '../../helpers/topStandIn';

const credentials = { appKey: 'relay-app', secret: 'relay-secret' };
const now = new Date('2025-03-11T08:00:00Z');

function goodFields(extra: Record<string, string> = {}): Record<string, string> {
  return signedRelayMessage(
    {
      buyer_nick: 'tb_小王',
      seller_nick: '某某数码旗舰店',
      message_id: 'msg:2025-03-11.0001_a',
      content: '  我的耳机左边没声音了  ',
      order_id: '3321456789012345678',
      msg_time: '2025-03-11 15:59:30',
      ...extra,
    },
    { ...credentials, now },
  );
}

function reasonFor(fields: Record<string, unknown>): string {
  const result = parseRelayInbound(fields);
  if (result.ok) throw new Error('expected a rejection');
  return result.reason;
}

describe('parseRelayInbound', () => {
  it('accepts a good message and maps it', () => {
    expect(parseRelayInbound(goodFields())).toEqual({
      ok: true,
      message: {
        appKey: 'relay-app',
        buyerNick: 'tb_小王',
        sellerNick: '某某数码旗舰店',
        messageId: 'msg:2025-03-11.0001_a',
        content: '我的耳机左边没声音了',
        orderId: '3321456789012345678',
        sentAt: new Date('2025-03-11T07:59:30Z'),
      },
    });
  });

  it('the stand-in helper signs the way our verification expects', () => {
    expect(verifyTopRequest(goodFields(), credentials.secret, { now })).toEqual({ ok: true });
  });

  it('gives the same message from a form body as from JSON', () => {
    const fields = goodFields();
    const fromJson = parseRelayInbound(JSON.parse(JSON.stringify(fields)) as Record<string, unknown>);
    const fromForm = parseRelayInbound(Object.fromEntries(new URLSearchParams(formBody(fields))));
    expect(fromForm).toEqual(fromJson);
    expect(fromForm.ok).toBe(true);
  });

  it('treats the optional fields as optional, also when sent empty', () => {
    const { order_id: _o, msg_time: _t, v: _v, ...rest } = goodFields();
    const result = parseRelayInbound({ ...rest, method: '' });
    expect(result.ok && result.message).toEqual({
      appKey: 'relay-app',
      buyerNick: 'tb_小王',
      sellerNick: '某某数码旗舰店',
      messageId: 'msg:2025-03-11.0001_a',
      content: '我的耳机左边没声音了',
    });
    const empty = parseRelayInbound({ ...rest, order_id: '', msg_time: '' });
    expect(empty.ok && empty.message.orderId).toBeUndefined();
  });

  it('ignores extra fields', () => {
    const result = parseRelayInbound({ ...goodFields(), partner_flag: 'x', nested: { a: 1 } });
    expect(result.ok && Object.keys(result.message).sort()).toEqual([
      'appKey',
      'buyerNick',
      'content',
      'messageId',
      'orderId',
      'sellerNick',
      'sentAt',
    ]);
  });

  it('counts content in characters, not UTF-16 units', () => {
    expect(parseRelayInbound(goodFields({ content: '😀'.repeat(2000) })).ok).toBe(true);
    expect(reasonFor(goodFields({ content: '😀'.repeat(2001) }))).toMatch(/^content /);
  });

  const required = ['app_key', 'timestamp', 'sign_method', 'sign', 'buyer_nick', 'seller_nick', 'message_id', 'content'];
  it.each(required)('rejects a missing %s, naming it', (field) => {
    const fields: Record<string, unknown> = goodFields();
    delete fields[field];
    expect(reasonFor(fields)).toBe(`${field} is missing`);
  });

  it.each([
    ['buyer_nick', ''],
    ['buyer_nick', 'n'.repeat(65)],
    ['seller_nick', ''],
    ['seller_nick', 's'.repeat(65)],
    ['message_id', ''],
    ['message_id', 'm'.repeat(129)],
    ['message_id', 'has space'],
    ['message_id', 'slash/y'],
    ['content', ''],
    ['content', '   \n '],
    ['content', '长'.repeat(2001)],
    ['order_id', '12345'],
    ['order_id', '1'.repeat(26)],
    ['order_id', '3321456789O12345678'],
    ['msg_time', '2025-03-11T15:59:30'],
    ['msg_time', '2025-02-30 10:00:00'],
    ['timestamp', '2025/03/11 16:00:00'],
    ['sign_method', 'sha1'],
    ['sign', 'not-hex'],
    ['sign', 'AB'],
    ['app_key', ''],
  ])('rejects %s = %p, naming it', (field, value) => {
    // Set after signing: the schema does not check the signature, and the helper would overwrite system fields.
    expect(reasonFor({ ...goodFields(), [field]: value })).toMatch(new RegExp(`^${field} `));
  });

  it.each([
    ['buyer_nick', 42],
    ['content', { text: 'hi' }],
    ['order_id', 3321456789012345],
  ])('rejects a non-string %s', (field, value) => {
    expect(reasonFor({ ...goodFields(), [field]: value })).toBe(`${field} must be a string`);
  });

  it('accepts the limits exactly', () => {
    const result = parseRelayInbound(
      goodFields({ buyer_nick: 'n'.repeat(64), message_id: 'm'.repeat(128), content: '长'.repeat(2000), order_id: '1'.repeat(10) }),
    );
    expect(result.ok).toBe(true);
  });

  it('names every bad field at once', () => {
    const reason = reasonFor({ ...goodFields(), buyer_nick: '', content: undefined });
    expect(reason).toContain('buyer_nick');
    expect(reason).toContain('content');
  });

  it('the schema itself is exported for reuse', () => {
    expect(relayInboundSchema.safeParse(goodFields()).success).toBe(true);
  });
});

describe('relayReplyBody', () => {
  it('wraps the replies in order', () => {
    expect(relayReplyBody(['您好', '请问是哪款产品？'])).toEqual({ replies: [{ content: '您好' }, { content: '请问是哪款产品？' }] });
    expect(relayReplyBody([])).toEqual({ replies: [] });
  });
});
