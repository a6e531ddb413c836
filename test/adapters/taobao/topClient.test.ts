import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { TopClient, TopError, type TopClientOptions } from '../../../adapters/taobao/topClient';
import { signedParams, verifyTopRequest, type SignMethod } from '../../../adapters/taobao/topSignature';
import { TopGatewayStandIn } from '../../helpers/topStandIn';

const credentials = { appKey: '23456789', secret: 'top-app-secret-1234', session: '6100a1b2c3d4-seller-session' };
/** Past 2^53: a client that turned it into a number would send different digits. */
const ORDER = '3321456789012345678';
const UNPAID = '2025031112345678';

let gateway: TopGatewayStandIn;
let apiBase: string;
let logLines: string[];

function client(overrides: Partial<TopClientOptions> = {}): TopClient {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  return new TopClient({
    apiBase,
    appKey: credentials.appKey,
    appSecret: credentials.secret,
    session: credentials.session,
    logger: pino({ level: 'debug' }, sink),
    ...overrides,
  });
}

beforeEach(async () => {
  logLines = [];
  gateway = new TopGatewayStandIn(credentials);
  gateway.setOrder(ORDER, { created: '2024-05-01 23:50:00', pay_time: '2024-05-02 00:10:00', titles: ['X20 降噪耳机', '耳机收纳盒'] });
  gateway.setOrder(UNPAID, { created: '2025-03-11 09:30:00', titles: ['P7 手机'] });
  apiBase = await gateway.start();
});

afterEach(async () => {
  await gateway.stop();
});

describe('TopClient.orderForWarranty', () => {
  it('finds a paid order; the purchase date is the GMT+8 date of pay_time', async () => {
    expect(await client().orderForWarranty(ORDER)).toEqual({
      status: 'found',
      orderId: ORDER,
      purchaseDate: '2024-05-02',
      paidAt: '2024-05-02 00:10:00',
      createdAt: '2024-05-01 23:50:00',
      titles: ['X20 降噪耳机', '耳机收纳盒'],
    });
  });

  it('falls back to created when there is no pay_time', async () => {
    expect(await client().orderForWarranty(UNPAID)).toEqual({
      status: 'found',
      orderId: UNPAID,
      purchaseDate: '2025-03-11',
      createdAt: '2025-03-11 09:30:00',
      titles: ['P7 手机'],
    });
  });

  it.each<SignMethod>(['md5', 'hmac', 'hmac-sha256'])('sends a request the gateway accepts, signed with %s', async (signMethod) => {
    await client({ signMethod }).orderForWarranty(ORDER);
    const [request] = gateway.requests;
    expect(request.signatureOk).toBe(true);
    expect(request.errorCode).toBeUndefined();
    // Cross-check with our own verifier too, so both implementations agree on what was sent.
    expect(verifyTopRequest(request.params, credentials.secret)).toEqual({ ok: true });
    expect(request.params).toMatchObject({
      method: 'taobao.trade.fullinfo.get',
      tid: ORDER,
      session: credentials.session,
      fields: 'tid,created,pay_time,consign_time,end_time,orders.title,orders.num_iid',
      format: 'json',
      v: '2.0',
      simplify: 'false',
      sign_method: signMethod,
      app_key: credentials.appKey,
    });
  });

  it("is notFound for an order that is not the shop's", async () => {
    expect(await client().orderForWarranty('3321456789012345679')).toEqual({ status: 'notFound' });
    expect(gateway.requests[0].errorCode).toBe(15);
  });

  it.each([
    ['isv.invalid-parameter:tid', 41],
    ['isv.trade-not-exist', 15],
  ])('is notFound when TOP answers sub_code %s', async (subCode, code) => {
    gateway.failNext({ errorResponse: { code, msg: 'Remote service error', sub_code: subCode, sub_msg: '交易不存在' } });
    expect(await client().orderForWarranty(ORDER)).toEqual({ status: 'notFound' });
  });

  it('is notFound without asking TOP when the id cannot be an order number', async () => {
    expect(await client().orderForWarranty('12345')).toEqual({ status: 'notFound' });
    expect(await client().orderForWarranty('3321456789O12345678')).toEqual({ status: 'notFound' });
    expect(gateway.requests).toHaveLength(0);
  });

  it('is unavailable, naming code 27, when the session has expired', async () => {
    const result = await client({ session: 'expired-session' }).orderForWarranty(ORDER);
    expect(result).toEqual({ status: 'unavailable', reason: expect.stringContaining('code 27') as unknown as string });
  });

  it('is unavailable when the app secret is wrong (invalid signature)', async () => {
    const result = await client({ appSecret: 'wrong' }).orderForWarranty(ORDER);
    expect(result.status).toBe('unavailable');
    expect(gateway.requests[0].errorCode).toBe(25);
  });

  it.each([
    ['an HTTP 502', { status: 502 }, /HTTP 502/],
    ['a non-JSON answer', { raw: '<html>busy</html>' }, /not JSON/],
    ['a trade without created', { raw: '{"trade_fullinfo_get_response":{"trade":{"tid":1,"pay_time":"2024-05-02 00:10:00"}}}' }, /created/],
    [
      'a bad pay_time',
      { raw: '{"trade_fullinfo_get_response":{"trade":{"created":"2024-05-01 10:00:00","pay_time":"2024-05-02"}}}' },
      /pay_time/,
    ],
    ['an empty envelope', { raw: '{}' }, /malformed/],
    ['a rate limit', { errorResponse: { code: 7, msg: 'App Call Limited', sub_msg: 'This ban will last for 1 more seconds' } }, /code 7/],
  ] as const)('is unavailable on %s', async (_name, fault, reason) => {
    gateway.failNext(fault);
    const result = await client().orderForWarranty(ORDER);
    expect(result.status).toBe('unavailable');
    expect(result.status === 'unavailable' && result.reason).toMatch(reason);
  });

  it('is unavailable quickly when the gateway is down', async () => {
    await gateway.stop();
    const started = Date.now();
    const result = await client().orderForWarranty(ORDER);
    expect(result).toEqual({ status: 'unavailable', reason: expect.stringMatching(/unreachable/) as unknown as string });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is unavailable soon after the timeout when the gateway is slow', async () => {
    gateway.delayMs = 5000;
    const started = Date.now();
    const result = await client({ timeoutMs: 200 }).orderForWarranty(ORDER);
    const elapsed = Date.now() - started;
    expect(result).toEqual({ status: 'unavailable', reason: 'no answer within 200 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
  });

  it('logs the outcome without the secret or the session', async () => {
    const c = client({ session: 'expired-session' });
    await c.orderForWarranty(ORDER);
    await client().orderForWarranty(ORDER);
    const text = logLines.join('');
    expect(logLines).toHaveLength(2);
    expect(JSON.parse(logLines[0])).toMatchObject({ level: 40, orderId: ORDER, status: 'unavailable', topCode: 27 });
    expect(JSON.parse(logLines[1])).toMatchObject({ level: 30, orderId: ORDER, status: 'found' });
    expect(text).not.toContain(credentials.secret);
    expect(text).not.toContain('expired-session');
    expect(text).not.toContain(credentials.session);
  });
});

describe('TopClient.call', () => {
  it('throws a TopError carrying code and sub_code', async () => {
    const error = await client()
      .call('taobao.trade.fullinfo.get', { fields: 'tid', tid: '3321456789012345670' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopError);
    expect(error).toMatchObject({ code: 15, subCode: 'isv.trade-not-exist', subMsg: '交易不存在' });
  });

  it('returns the parsed answer, with tid as the gateway sent it', async () => {
    const answer = (await client().call('taobao.trade.fullinfo.get', { fields: 'tid', tid: ORDER })) as {
      trade_fullinfo_get_response: { trade: { tid: number } };
    };
    // The bare JSON number loses digits: the reason orderForWarranty reports the id it asked for.
    expect(answer.trade_fullinfo_get_response.trade.tid).toBe(Number(ORDER));
    expect(String(answer.trade_fullinfo_get_response.trade.tid)).not.toBe(ORDER);
  });

  it('throws a TopError on HTTP errors', async () => {
    gateway.failNext({ status: 500 });
    await expect(client().call('taobao.trade.fullinfo.get', { fields: 'tid', tid: ORDER })).rejects.toThrow(new TopError('HTTP 500'));
  });
});

describe('the gateway stand-in', () => {
  it('rejects a request signed 11 minutes off with code 31', async () => {
    const skewed = new TopGatewayStandIn(credentials);
    skewed.now = () => new Date(Date.now() + 11 * 60_000);
    skewed.setOrder(ORDER, { created: '2024-05-01 10:00:00', titles: [] });
    apiBase = await skewed.start();
    try {
      expect((await client().orderForWarranty(ORDER)).status).toBe('unavailable');
      expect(skewed.requests[0]).toMatchObject({ signatureOk: false, errorCode: 31 });
    } finally {
      await skewed.stop();
    }
  });

  it('also takes the parameters from the query string, and rejects an unknown sign_method', async () => {
    const params = signedParams(
      { method: 'taobao.trade.fullinfo.get', session: credentials.session, fields: 'tid,created', tid: ORDER, format: 'json' },
      { appKey: credentials.appKey, secret: credentials.secret, method: 'hmac' },
    );
    const ok = await fetch(`${apiBase}?${new URLSearchParams(params).toString()}`, { method: 'POST' });
    expect(await ok.json()).toMatchObject({ trade_fullinfo_get_response: { trade: { created: '2024-05-01 23:50:00' } } });
    const bad = await fetch(`${apiBase}?${new URLSearchParams({ ...params, sign_method: 'sha1' }).toString()}`, { method: 'POST' });
    expect(await bad.json()).toMatchObject({ error_response: { code: 25 } });
    expect(gateway.requests.map((r) => r.signatureOk)).toEqual([true, false]);
  });

  it('times out on a server that accepts and never answers', async () => {
    // A server that accepts and never answers at all, unlike the stand-in's delays.
    const hung: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    apiBase = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/router/rest`;
    try {
      expect(await client({ timeoutMs: 150 }).orderForWarranty(ORDER)).toEqual({
        status: 'unavailable',
        reason: 'no answer within 150 ms',
      });
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });
});
