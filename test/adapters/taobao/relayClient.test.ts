import pino from 'pino';
import { TaobaoRelayClient, type RelayClientOptions } from '../../../adapters/taobao/relayClient';
import { verifyTopRequest } from '../../../adapters/taobao/topSignature';
import { RelayStandIn } from '../../helpers/topStandIn';

const credentials = { appKey: 'relay-app', secret: 'relay-secret-5678' };
const message = {
  buyerNick: 'tb_小王',
  sellerNick: '某某数码旗舰店',
  content: '您好，工程师已为您预约明天上午上门。',
  messageId: 'agent:T-0042:1',
};

let relay: RelayStandIn;
let relayUrl: string;

function client(overrides: Partial<RelayClientOptions> = {}): TaobaoRelayClient {
  return new TaobaoRelayClient({
    relayUrl,
    appKey: credentials.appKey,
    appSecret: credentials.secret,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    backoffMs: 20,
    timeoutMs: 1000,
    ...overrides,
  });
}

beforeEach(async () => {
  relay = new RelayStandIn(credentials);
  relayUrl = await relay.start();
});

afterEach(async () => {
  await relay.stop();
});

describe('TaobaoRelayClient.push', () => {
  it('delivers a signed push the relay verifies', async () => {
    expect(await client().push(message)).toEqual({ ok: true });
    expect(relay.delivered).toEqual([message]);
    const [attempt] = relay.attempts;
    expect(attempt.verified).toBe(true);
    expect(verifyTopRequest(attempt.params, credentials.secret)).toEqual({ ok: true });
    expect(attempt.params).toMatchObject({
      buyer_nick: message.buyerNick,
      seller_nick: message.sellerNick,
      content: message.content,
      message_id: message.messageId,
      app_key: credentials.appKey,
      sign_method: 'hmac-sha256',
      v: '2.0',
    });
  });

  it.each(['md5', 'hmac'] as const)('signs with %s when asked', async (method) => {
    expect(await client({ method }).push(message)).toEqual({ ok: true });
    expect(relay.attempts[0]).toMatchObject({ verified: true, params: { sign_method: method } });
  });

  it('retries after a 500 and delivers once, with the same message_id', async () => {
    relay.failNext(1);
    expect(await client().push(message)).toEqual({ ok: true });
    expect(relay.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(relay.attempts.map((a) => a.params.message_id)).toEqual([message.messageId, message.messageId]);
    expect(relay.delivered).toEqual([message]);
  });

  it('gives up after the configured retries on repeated 5xx', async () => {
    relay.failNext(10, 503);
    const outcome = await client({ retries: 2 }).push(message);
    expect(outcome).toEqual({ ok: false, reason: 'relay answered HTTP 503' });
    expect(relay.attempts).toHaveLength(3);
    expect(relay.delivered).toEqual([]);
  });

  it('does not retry a refusal (bad signature)', async () => {
    const outcome = await client({ appSecret: 'wrong-secret' }).push(message);
    expect(outcome).toEqual({ ok: false, reason: expect.stringContaining('code 25') as unknown as string });
    expect(relay.attempts).toHaveLength(1);
    expect(relay.delivered).toEqual([]);
  });

  it('does not retry a 4xx', async () => {
    relay.failNext(1, 400);
    expect(await client().push(message)).toEqual({ ok: false, reason: 'relay answered HTTP 400' });
    expect(relay.attempts).toHaveLength(1);
  });

  it('returns { ok: false } without throwing when the relay is down, after retrying', async () => {
    await relay.stop();
    const started = Date.now();
    const outcome = await client({ retries: 2, backoffMs: 50 }).push(message);
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/^relay unreachable/) as unknown as string });
    // Two back-offs (50 + 100 ms) show the retries happened.
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('counts a slow relay as a network error and retries it', async () => {
    relay.delayMs = 2000;
    const outcome = await client({ timeoutMs: 100, retries: 1 }).push(message);
    expect(outcome).toEqual({ ok: false, reason: 'no answer within 100 ms' });
    expect(relay.attempts).toHaveLength(2);
  });

  it('never throws, even for an unusable URL', async () => {
    await expect(client({ relayUrl: 'not a url', retries: 0 }).push(message)).resolves.toEqual({
      ok: false,
      reason: expect.any(String) as unknown as string,
    });
  });
});
