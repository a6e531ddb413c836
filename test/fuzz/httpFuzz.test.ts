import { createHash } from 'node:crypto';
import { encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import fc from 'fast-check';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { RelayStandIn, TopGatewayStandIn, formBody, signedRelayMessage } from '../helpers/topStandIn';
import { WebClient } from '../helpers/webClient';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount, xmlOf } from '../helpers/wechatUser';
import { CHINESE_WORDS, jsonWithKeys, mixedText } from './arbitraries';
import {
  ConnectorStandIn,
  bodyOf,
  contentType,
  expectSoundAnswer,
  fuzz,
  junkBody,
  rawSegment,
  send,
  type BodySpec,
  type HttpRequest,
} from './fuzzHttp';

/*
 * The whole service with every channel on, and random requests at every route: whatever arrives,
 * the answer comes in time, is not a 5xx, and holds nothing from the service's insides; and the
 * service still serves its customers afterwards. Each route family is its own test, so that a
 * failure names the family and fast-check shrinks it to one small request (seed and path in the
 * message replay it: fc.assert(…, { seed, path })).
 *
 * Bounded: at most about 1,500 requests and 25 s in all. Only addresses on this machine are ever
 * contacted, by the test or by the service on its behalf (the Bot Framework serviceUrls below are
 * loopback addresses or not URLs at all; no Authorization header reaches /api/messages, which would
 * make botbuilder fetch signing keys from the internet).
 */

jest.setTimeout(60_000);

const wechatAccount = randomWechatAccount();
const WECHAT_SECRET = 'fuzz-wechat-app-secret';
const taobao = { appKey: '23456789', secret: 'fuzz-shop-secret', session: 'fuzz-seller-session' };
const admin = { username: 'fuzzadmin', password: 'fuzz-admin-password-1' };

/** Things customers really say, so that random traffic also walks the dialogs. */
const SAYINGS = [
  '你好',
  '报修',
  '1',
  '2',
  '3',
  '4',
  '菜单',
  '转人工',
  '取消',
  '是',
  '否',
  '保修',
  '查工单',
  'PH23A1234567',
  '13800138000',
  'S261122-0042',
  '3912456789012345678',
  '去年双十一',
  '屏幕不亮',
  '5',
  'hello',
  'agent',
];
const saying = fc.oneof(
  fc.constantFrom(...SAYINGS),
  mixedText(8),
  fc.array(fc.constantFrom(...CHINESE_WORDS), { maxLength: 5 }).map((words) => words.join('')),
);

let running: RunningApp;
let wechatApi: WechatApiStandIn;
let gateway: TopGatewayStandIn;
let relay: RelayStandIn;
let connector: ConnectorStandIn;
let connectorUrl: string;
/** A conversation of the web chat, and a second one whose token must not open the first. */
let customer: WebClient;
let otherCustomer: WebClient;
/** A customer in line whom the admin has taken: the chat routes of the console have someone to talk to. */
let claimed: WebClient;
let consoleCookie: string;
let csrfToken: string;

beforeAll(async () => {
  wechatApi = new WechatApiStandIn({ appId: wechatAccount.appId, appSecret: WECHAT_SECRET });
  gateway = new TopGatewayStandIn(taobao);
  relay = new RelayStandIn({ appKey: taobao.appKey, secret: taobao.secret });
  connector = new ConnectorStandIn();
  const [wechatBase, topBase, relayUrl, connectorBase] = await Promise.all([
    wechatApi.start(),
    gateway.start(),
    relay.start(),
    connector.start(),
  ]);
  connectorUrl = connectorBase;
  gateway.setOrder('3912456789012345678', {
    created: '2026-11-20 10:00:00',
    pay_time: '2026-11-20 10:05:00',
    titles: ['星耀 X20 Pro 5G手机'],
  });
  running = await startTestApp({
    wechat: {
      token: wechatAccount.token,
      appId: wechatAccount.appId,
      appSecret: WECHAT_SECRET,
      encodingAesKey: wechatAccount.encodingAesKey,
      apiBase: wechatBase,
    },
    taobao: { appKey: taobao.appKey, appSecret: taobao.secret, relayUrl, apiBase: topBase, session: taobao.session },
    consoleAdmin: admin,
    rateLimits: undefined,
  });
  customer = await WebClient.open(running.url);
  otherCustomer = await WebClient.open(running.url);
  claimed = await WebClient.open(running.url);
  await claimed.chat('转人工');
  const login = await fetch(`${running.url}/api/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  expect(login.status).toBe(200);
  consoleCookie = login.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
  csrfToken = String(((await login.json()) as { csrfToken?: string }).csrfToken);
  const claim = await send(running.url, consoleRequest('POST', `/chats/${encodeURIComponent(claimed.conversationId)}/claim`));
  expect(claim.status).toBe(200);
});

afterAll(async () => {
  await running?.stop();
  await Promise.all([wechatApi?.stop(), gateway?.stop(), relay?.stop(), connector?.stop()]);
});

function consoleRequest(method: string, path: string, body?: unknown): HttpRequest {
  return {
    method,
    path: `/api/console${path}`,
    headers: { cookie: consoleCookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

const json = (value: fc.Arbitrary<unknown>): fc.Arbitrary<BodySpec> => value.map((v) => ({ kind: 'json' as const, value: v }));
const withType = (type: string, headers: Record<string, string> = {}): Record<string, string> =>
  type === '' ? headers : { ...headers, 'content-type': type };

// ---------------------------------------------------------------------------------------------
// Web chat: /api/web/conversations, …/:id/messages, …/:id/history
// ---------------------------------------------------------------------------------------------

const conversationRef = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ ref: 'mine' as const }) },
  fc.constant({ ref: 'other' as const }),
  rawSegment.map((segment) => ({ ref: 'raw' as const, segment })),
);
const authRef = fc.oneof(
  { weight: 6, arbitrary: fc.constant('mine') },
  fc.constantFrom('none', 'others', 'Bearer', 'Basic dXNlcjpwYXNz', 'bearer  '),
  fc.string({ maxLength: 40 }).map((token) => `Bearer ${token}`),
  fc.stringMatching(/^[\x20-\x7e]{0,60}$/),
);
const webMessage = fc.record(
  {
    text: fc.oneof(
      saying,
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.constant(null),
      fc.integer({ min: 3990, max: 4010 }).map((n) => '长'.repeat(n)),
    ),
    id: fc.oneof(fc.stringMatching(/^[\w.:-]{1,20}$/), fc.string({ maxLength: 20 }), fc.constant('x'.repeat(129))),
    value: jsonWithKeys(['text', 'action', 'choice', 'value']),
    locale: fc.oneof(fc.constantFrom('zh-CN', 'en-US', 'en'), fc.string({ maxLength: 24 })),
  },
  { requiredKeys: [] },
);
/** A message whose value nests deeper than anything recursive can walk, within the body limit: {"text":"x","value":[[[…]]]}. */
const deepValue: fc.Arbitrary<BodySpec> = fc
  .tuple(fc.integer({ min: 10, max: 30_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}']), fc.constantFrom('1', '"x"', '[]'))
  .map(([depth, [open, close], inner]) => ({
    kind: 'deep' as const,
    depth,
    open,
    close,
    inner,
    around: ['{"text":"x","value":', '}'] as [string, string],
  }));
const webSpec = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      route: fc.constant('create' as const),
      method: fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET', 'DELETE'),
      type: contentType,
      body: fc.oneof(
        junkBody,
        json(
          fc.record({ locale: fc.oneof(fc.constantFrom('zh-CN', 'en'), fc.string({ maxLength: 30 }), fc.integer()) }, { requiredKeys: [] }),
        ),
      ),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      route: fc.constant('messages' as const),
      method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'PUT', 'GET'),
      conversation: conversationRef,
      auth: authRef,
      type: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, contentType),
      body: fc.oneof({ weight: 4, arbitrary: json(webMessage) }, { weight: 1, arbitrary: deepValue }, { weight: 1, arbitrary: junkBody }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      route: fc.constant('history' as const),
      method: fc.constantFrom('GET', 'GET', 'HEAD', 'POST'),
      conversation: conversationRef,
      auth: authRef,
    }),
  },
);
type WebSpec = typeof webSpec extends fc.Arbitrary<infer T> ? T : never;

function webRequest(spec: WebSpec): HttpRequest {
  if (spec.route === 'create')
    return { method: spec.method, path: '/api/web/conversations', headers: withType(spec.type), body: bodyOf(spec.body) };
  const id =
    spec.conversation.ref === 'mine'
      ? customer.conversationId
      : spec.conversation.ref === 'other'
        ? otherCustomer.conversationId
        : spec.conversation.segment;
  const headers: Record<string, string> = {};
  if (spec.auth === 'mine') headers.authorization = `Bearer ${customer.token}`;
  else if (spec.auth === 'others') headers.authorization = `Bearer ${otherCustomer.token}`;
  else if (spec.auth !== 'none') headers.authorization = spec.auth;
  if (spec.route === 'history') return { method: spec.method, path: `/api/web/conversations/${id}/history`, headers };
  return {
    method: spec.method,
    path: `/api/web/conversations/${id}/messages`,
    headers: withType(spec.type, headers),
    body: bodyOf(spec.body),
  };
}

test('web chat: any request to the conversation routes gets a sound answer', async () => {
  const deep = (depth: number, [open, close]: [string, string]): WebSpec => ({
    route: 'messages',
    method: 'POST',
    conversation: { ref: 'mine' },
    auth: 'mine',
    type: 'application/json',
    body: { kind: 'deep', depth, open, close, inner: '1', around: ['{"text":"x","value":', '}'] },
  });
  const hello: WebSpec = {
    route: 'messages',
    method: 'POST',
    conversation: { ref: 'mine' },
    auth: 'mine',
    type: 'application/json',
    body: { kind: 'json', value: { text: '你好' } },
  };
  const examples = [hello, deep(20_000, ['[', ']']), deep(10_000, ['{"a":', '}'])];
  const { sent, served } = await fuzz(running.url, webSpec, webRequest, { numRuns: 300, timeLimitMs: 5000, minRuns: 30, examples });
  expect(sent).toBeGreaterThanOrEqual(30);
  expect(served).toBeGreaterThan(0);
});

// ---------------------------------------------------------------------------------------------
// WeChat: GET and POST /api/wechat
// ---------------------------------------------------------------------------------------------

const openIds = fc.oneof(
  fc.constantFrom('oFuzzUser000000000000000001', 'oFuzzUser000000000000000002'),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
const pushFields = fc.record(
  {
    ToUserName: fc.oneof({ weight: 5, arbitrary: fc.constant('gh_0123456789ab') }, fc.string({ maxLength: 20 })),
    FromUserName: openIds,
    CreateTime: fc.oneof(
      { weight: 5, arbitrary: fc.constant('1714037059') },
      fc.stringMatching(/^\d{1,25}$/),
      fc.string({ maxLength: 12 }),
    ),
    MsgType: fc.oneof(
      fc.constantFrom('text', 'text', 'text', 'image', 'voice', 'event', 'video', 'location', 'link', 'shortvideo', 'TEXT'),
      fc.string({ maxLength: 10 }),
    ),
    Content: fc.oneof(
      saying,
      mixedText(),
      fc.integer({ min: 1000, max: 20_000 }).map((n) => '长'.repeat(n)),
    ),
    MsgId: fc.oneof({ weight: 5, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String) }, fc.string({ maxLength: 25 })),
    Event: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'CLICK', 'SCAN', 'VIEW', 'LOCATION'), fc.string({ maxLength: 12 })),
    EventKey: fc.oneof(fc.constantFrom('REPAIR', 'WARRANTY', 'STATUS', 'AGENT', 'qrscene_1'), fc.string({ maxLength: 20 })),
    PicUrl: fc.oneof(fc.constant('http://127.0.0.1:1/pic.jpg'), fc.string({ maxLength: 30 })),
    MediaId: fc.string({ maxLength: 30 }),
    Format: fc.constantFrom('amr', 'speex', ''),
    Recognition: fc.oneof(saying, fc.constant('')),
  },
  // The fields every push has are nearly always there, so that most pushes reach a turn.
  { requiredKeys: ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'MsgId', 'Content'] },
);
const wechatBody = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('push' as const), fields: pushFields }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('encrypted' as const),
      fields: pushFields,
      appId: fc.constantFrom('ours', 'ours', 'ours', 'wx0000000000000000'),
      envelope: fc.constantFrom('safe', 'compatible'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('randomEncrypt' as const),
      encrypt: fc.oneof(fc.stringMatching(/^[A-Za-z0-9+/]{0,200}={0,2}$/), fc.string({ maxLength: 60 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('junk' as const), body: junkBody }) },
);
const wechatSpec = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'GET', 'PUT')),
  signature: fc.oneof(
    { weight: 10, arbitrary: fc.constant('valid') },
    fc.constantFrom('absent', 'UPPERCASE'),
    fc.stringMatching(/^[0-9a-f]{0,44}$/),
    fc.string({ maxLength: 20 }),
  ),
  timestamp: fc.oneof(
    { weight: 10, arbitrary: fc.constant('now') },
    fc.constantFrom('absent', 'old', 'future', '0', '-1', '1e9', '99999999999999'),
    fc.string({ maxLength: 14 }),
  ),
  nonce: fc.oneof({ weight: 10, arbitrary: fc.stringMatching(/^\d{1,10}$/) }, fc.constant('absent'), fc.string({ maxLength: 20 })),
  echostr: fc.oneof(fc.constant(undefined), fc.stringMatching(/^\d{1,20}$/), fc.string({ maxLength: 30 })),
  encryptType: fc.constantFrom(undefined, 'aes', 'raw', 'AES', ''),
  msgSignature: fc.oneof(
    { weight: 4, arbitrary: fc.constant('valid') },
    fc.constantFrom('absent', 'plain'),
    fc.stringMatching(/^[0-9a-f]{40}$/),
  ),
  type: fc.oneof({ weight: 4, arbitrary: fc.constant('text/xml') }, contentType),
  body: wechatBody,
});
type WechatSpec = typeof wechatSpec extends fc.Arbitrary<infer T> ? T : never;

const sha1 = (...parts: string[]): string =>
  createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
const definedFields = (fields: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** Built when sent, so that "now" and the signatures over it are fresh. */
function wechatRequest(spec: WechatSpec): HttpRequest {
  const seconds = Math.floor(Date.now() / 1000);
  const timestamp =
    { now: String(seconds), old: String(seconds - 3600), future: String(seconds + 3600), absent: undefined }[spec.timestamp] ??
    spec.timestamp;
  const nonce = spec.nonce === 'absent' ? undefined : spec.nonce;
  const query = new URLSearchParams();
  if (spec.signature === 'valid' || spec.signature === 'UPPERCASE') {
    const signature = sha1(wechatAccount.token, timestamp ?? '', nonce ?? '');
    query.set('signature', spec.signature === 'valid' ? signature : signature.toUpperCase());
  } else if (spec.signature !== 'absent') query.set('signature', spec.signature);
  if (timestamp !== undefined) query.set('timestamp', timestamp);
  if (nonce !== undefined) query.set('nonce', nonce);
  if (spec.echostr !== undefined) query.set('echostr', spec.echostr);
  if (spec.encryptType !== undefined) query.set('encrypt_type', spec.encryptType);
  query.set('openid', 'oFuzzUser000000000000000001');

  let body: Buffer | string | undefined;
  let encrypt: string | undefined;
  const push = spec.body.kind === 'push' || spec.body.kind === 'encrypted' ? xmlOf(definedFields({ ...spec.body.fields })) : '';
  if (spec.body.kind === 'push') body = push;
  else if (spec.body.kind === 'encrypted') {
    encrypt = wecomEncrypt(wechatAccount.encodingAesKey, push, spec.body.appId === 'ours' ? wechatAccount.appId : spec.body.appId);
    const outer = spec.body.envelope === 'safe' ? { ToUserName: 'gh_0123456789ab' } : definedFields({ ...spec.body.fields });
    body = xmlOf({ ...outer, Encrypt: encrypt });
  } else if (spec.body.kind === 'randomEncrypt') {
    encrypt = spec.body.encrypt;
    body = xmlOf({ ToUserName: 'gh_0123456789ab', Encrypt: encrypt });
  } else body = bodyOf(spec.body.body);
  if (spec.msgSignature === 'valid' && encrypt !== undefined)
    query.set('msg_signature', getSignature(wechatAccount.token, timestamp ?? '', nonce ?? '', encrypt));
  else if (spec.msgSignature === 'plain') query.set('msg_signature', sha1(wechatAccount.token, timestamp ?? '', nonce ?? ''));
  else if (spec.msgSignature !== 'absent' && spec.msgSignature !== 'valid') query.set('msg_signature', spec.msgSignature);
  return {
    method: spec.method,
    path: `/api/wechat?${query.toString()}`,
    headers: withType(spec.type),
    body: spec.method === 'GET' ? undefined : body,
  };
}

test('WeChat: any URL check or push, signed or not, encrypted or not, gets a sound answer', async () => {
  const text = {
    ToUserName: 'gh_0123456789ab',
    FromUserName: 'oFuzzUser000000000000000001',
    CreateTime: '1714037059',
    MsgType: 'text',
    Content: '你好',
    MsgId: '24000000000000001',
  };
  const signed = {
    method: 'POST',
    signature: 'valid',
    timestamp: 'now',
    nonce: '42',
    echostr: undefined,
    encryptType: undefined,
    msgSignature: 'absent',
    type: 'text/xml',
  } as const;
  const examples: WechatSpec[] = [
    { ...signed, body: { kind: 'push', fields: text } },
    {
      ...signed,
      encryptType: 'aes',
      msgSignature: 'valid',
      body: { kind: 'encrypted', fields: { ...text, MsgId: '24000000000000002' }, appId: 'ours', envelope: 'safe' },
    },
  ];
  const { sent, served } = await fuzz(running.url, wechatSpec, wechatRequest, { numRuns: 300, timeLimitMs: 5000, minRuns: 30, examples });
  expect(sent).toBeGreaterThanOrEqual(30);
  expect(served).toBeGreaterThan(0);
});

// ---------------------------------------------------------------------------------------------
// Taobao: POST /api/taobao
// ---------------------------------------------------------------------------------------------

const RELAY_KEYS = [
  'app_key',
  'timestamp',
  'sign_method',
  'sign',
  'v',
  'buyer_nick',
  'seller_nick',
  'message_id',
  'content',
  'order_id',
  'msg_time',
];
const relayBusiness = fc.record(
  {
    buyer_nick: fc.oneof(fc.constantFrom('tb_fuzz_1', '买家甲'), fc.string({ unit: 'grapheme', maxLength: 70 })),
    seller_nick: fc.oneof(fc.constant('星耀官方旗舰店'), fc.string({ maxLength: 10 })),
    message_id: fc.oneof(fc.stringMatching(/^[\w.:-]{1,30}$/), fc.string({ maxLength: 20 })),
    content: fc.oneof(
      saying,
      mixedText(),
      fc.integer({ min: 1990, max: 2010 }).map((n) => '长'.repeat(n)),
    ),
    order_id: fc.oneof(fc.constant('3912456789012345678'), fc.stringMatching(/^\d{8,27}$/), fc.constant('')),
    msg_time: fc.oneof(fc.constant('2026-11-20 10:00:00'), fc.string({ maxLength: 20 })),
    extra_field: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: ['buyer_nick', 'seller_nick', 'message_id', 'content'] },
);
const taobaoSpec = fc.record({
  type: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded') }, contentType),
  method: fc.oneof({ weight: 10, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'PUT')),
  body: fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('signed' as const),
        fields: relayBusiness,
        signMethod: fc.constantFrom('md5', 'hmac', 'hmac-sha256'),
        tamper: fc.option(fc.tuple(fc.constantFrom(...RELAY_KEYS), fc.string({ maxLength: 10 })), { freq: 4 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('unsigned' as const),
        fields: fc.dictionary(fc.oneof(fc.constantFrom(...RELAY_KEYS), fc.string({ maxLength: 8 })), jsonWithKeys(RELAY_KEYS), {
          maxKeys: 12,
        }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('junk' as const), body: junkBody }) },
  ),
});
type TaobaoSpec = typeof taobaoSpec extends fc.Arbitrary<infer T> ? T : never;

function taobaoRequest(spec: TaobaoSpec): HttpRequest {
  const form = spec.type.startsWith('application/x-www-form-urlencoded');
  let body: Buffer | string | undefined;
  if (spec.body.kind === 'signed') {
    const fields = signedRelayMessage(definedFields({ ...spec.body.fields }), {
      appKey: taobao.appKey,
      secret: taobao.secret,
      method: spec.body.signMethod,
    });
    if (spec.body.tamper) fields[spec.body.tamper[0]] = spec.body.tamper[1];
    body = form ? formBody(fields) : JSON.stringify(fields);
  } else if (spec.body.kind === 'unsigned') {
    const fields = spec.body.fields as Record<string, unknown>;
    body = form
      ? formBody(
          Object.fromEntries(
            Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? value : (JSON.stringify(value) ?? '')]),
          ),
        )
      : JSON.stringify(fields);
  } else body = bodyOf(spec.body.body);
  return { method: spec.method, path: '/api/taobao', headers: withType(spec.type), body };
}

test('Taobao: any relay post, signed or forged, JSON or form, gets a sound answer', async () => {
  const examples: TaobaoSpec[] = [
    {
      type: 'application/json',
      method: 'POST',
      body: {
        kind: 'signed',
        fields: { buyer_nick: 'tb_fuzz_1', seller_nick: '星耀官方旗舰店', message_id: 'fuzz-hello-1', content: '在吗' },
        signMethod: 'hmac-sha256',
        tamper: null,
      },
    },
    {
      type: 'application/x-www-form-urlencoded',
      method: 'POST',
      body: {
        kind: 'signed',
        fields: { buyer_nick: 'tb_fuzz_1', seller_nick: '星耀官方旗舰店', message_id: 'fuzz-hello-2', content: '报修' },
        signMethod: 'md5',
        tamper: null,
      },
    },
  ];
  const { sent, served } = await fuzz(running.url, taobaoSpec, taobaoRequest, { numRuns: 200, timeLimitMs: 3500, minRuns: 20, examples });
  expect(sent).toBeGreaterThanOrEqual(20);
  expect(served).toBeGreaterThan(0);
});

// ---------------------------------------------------------------------------------------------
// Bot Framework: POST /api/messages (from this machine, as the Emulator)
// ---------------------------------------------------------------------------------------------

/**
 * Only loopback IP addresses, or strings that are no http URL at all: the service may try to reply
 * there. No host names, not even "[::1]" (botbuilder hands that to the resolver, as a DNS query).
 */
const serviceUrl = fc.constantFrom(
  'connector',
  'connector',
  'connector',
  'http://127.0.0.1:1',
  'http://127.0.0.1:99999',
  '',
  'web',
  'not a url',
  '/relative/path',
  'ftp://127.0.0.1/',
  'javascript:alert(1)',
  '127.0.0.1',
);
const activity = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom(
        'message',
        'message',
        'message',
        'conversationUpdate',
        'invoke',
        'event',
        'typing',
        'endOfConversation',
        'messageReaction',
        'installationUpdate',
      ),
      fc.string({ maxLength: 10 }),
      fc.integer(),
    ),
    id: fc.oneof(fc.uuid(), fc.string({ maxLength: 20 })),
    channelId: fc.oneof(
      fc.constantFrom('emulator', 'msteams', 'webchat', 'directline', 'web', 'wechat', 'taobao'),
      fc.string({ maxLength: 10 }),
    ),
    // Random values only of other types: a random string could, however unlikely, name a host.
    serviceUrl: fc.oneof(
      { weight: 5, arbitrary: serviceUrl },
      jsonWithKeys(['url']).filter((value) => typeof value !== 'string'),
    ),
    conversation: fc.oneof(
      { weight: 4, arbitrary: fc.record({ id: fc.oneof(fc.constantFrom('emu-fuzz-1', 'emu-fuzz-2'), fc.string({ maxLength: 30 })) }) },
      jsonWithKeys(['id']),
    ),
    from: fc.oneof(fc.constant({ id: 'user-1', name: 'User', role: 'user' }), jsonWithKeys(['id', 'name', 'role'])),
    recipient: fc.constant({ id: 'bot-1', name: 'Bot', role: 'bot' }),
    text: fc.oneof(saying, mixedText(), fc.integer()),
    value: jsonWithKeys(['action', 'text']),
    name: fc.constantFrom('signin/verifyState', 'adaptiveCard/action', 'composeExtension/query', 'x'),
    locale: fc.oneof(fc.constantFrom('zh-CN', 'en-US'), fc.string({ maxLength: 25 })),
    membersAdded: fc.array(fc.record({ id: fc.string({ maxLength: 10 }) }), { maxLength: 2 }),
  },
  { requiredKeys: ['type', 'serviceUrl', 'conversation'] },
);
const botFrameworkSpec = fc.record({
  method: fc.oneof({ weight: 10, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'PUT')),
  type: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, contentType),
  body: fc.oneof({ weight: 4, arbitrary: activity.map((value) => ({ kind: 'activity' as const, value })) }, junkBody),
});
type BotFrameworkSpec = typeof botFrameworkSpec extends fc.Arbitrary<infer T> ? T : never;

function botFrameworkRequest(spec: BotFrameworkSpec): HttpRequest {
  const body =
    spec.body.kind === 'activity'
      ? JSON.stringify({
          ...spec.body.value,
          serviceUrl: spec.body.value.serviceUrl === 'connector' ? connectorUrl : spec.body.value.serviceUrl,
        })
      : bodyOf(spec.body);
  return { method: spec.method, path: '/api/messages', headers: withType(spec.type), body };
}

test('Bot Framework: any activity from this machine gets a sound answer', async () => {
  // Each in its own conversation: a repeated id would be answered from the first delivery, without a turn.
  const message = (n: number, changes: Record<string, unknown>): BotFrameworkSpec => ({
    method: 'POST',
    type: 'application/json',
    body: {
      kind: 'activity',
      value: {
        type: 'message',
        id: `m-${n}`,
        channelId: 'emulator',
        serviceUrl: 'connector',
        conversation: { id: `emu-example-${n}` },
        from: { id: 'user-1', name: 'User', role: 'user' },
        recipient: { id: 'bot-1', name: 'Bot', role: 'bot' },
        text: '你好',
        ...changes,
      },
    },
  });
  const examples = [
    message(1, {}),
    message(2, { serviceUrl: 'http://127.0.0.1:1' }),
    message(3, { serviceUrl: 'not a url' }),
    message(4, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute' } } }),
    message(5, { from: { id: {} } }),
  ];
  const { sent, served } = await fuzz(running.url, botFrameworkSpec, botFrameworkRequest, {
    numRuns: 150,
    timeLimitMs: 3500,
    minRuns: 15,
    examples,
  });
  expect(sent).toBeGreaterThanOrEqual(15);
  expect(served).toBeGreaterThan(0);
});

// ---------------------------------------------------------------------------------------------
// The agents' console: /api/console/*
// ---------------------------------------------------------------------------------------------

const CONSOLE_ROUTES = [
  ['POST', '/login'],
  ['POST', '/logout'],
  ['GET', '/me'],
  ['GET', '/users'],
  ['POST', '/users'],
  ['GET', '/queue'],
  ['GET', '/chats'],
  ['POST', '/chats/:id/claim'],
  ['GET', '/chats/:id/transcript'],
  ['POST', '/chats/:id/messages'],
  ['POST', '/chats/:id/handback'],
  ['POST', '/chats/:id/close'],
  ['GET', '/chats/:id/tickets'],
  ['POST', '/chats/:id/tickets'],
  ['POST', '/tickets/:ticketId/moves'],
  ['GET', '/events'],
  ['GET', '/nothing-here'],
] as const;
const consoleBody = fc.oneof(
  json(
    fc.record(
      {
        username: fc.oneof(fc.constant(admin.username), fc.string({ maxLength: 70 })),
        password: fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.integer({ min: 1020, max: 1030 }).map((n) => 'p'.repeat(n)),
        ),
        text: fc.oneof(
          saying,
          fc.string({ maxLength: 20 }),
          fc.integer({ min: 1995, max: 2005 }).map((n) => '字'.repeat(n)),
        ),
        id: fc.oneof(fc.stringMatching(/^[\w.:-]{1,20}$/), fc.string({ maxLength: 10 })),
        customerName: fc.oneof(fc.constant('张伟'), fc.string({ maxLength: 45 })),
        phone: fc.oneof(fc.constant('13800138000'), fc.string({ maxLength: 12 })),
        modelId: fc.oneof(fc.constantFrom('X20 Pro', 'V55', 'Neo'), fc.string({ maxLength: 12 })),
        symptom: fc.oneof(fc.constant('屏幕不亮'), fc.string({ maxLength: 20 })),
        serviceMode: fc.constantFrom('onsite', 'carryIn', 'mailIn', 'teleport'),
        area: fc.constantFrom('city', 'suburb', 'moon'),
        address: fc.string({ maxLength: 20 }),
        to: fc.constantFrom('accepted', 'closed', 'cancelled', 'nowhere'),
        note: fc.string({ maxLength: 20 }),
        role: fc.constantFrom('agent', 'manager', 'admin', 'root'),
        displayName: fc.string({ maxLength: 40 }),
      },
      { requiredKeys: [] },
    ),
  ),
  junkBody,
);
const consoleSpec = fc.record({
  route: fc.constantFrom(...CONSOLE_ROUTES),
  method: fc.oneof({ weight: 6, arbitrary: fc.constant('route') }, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH')),
  chat: fc.oneof(fc.constantFrom('claimed', 'claimed', 'mine-web', 'unknown'), rawSegment),
  ticket: fc.oneof(fc.constantFrom('S261122-0042', 'S000000-0000'), rawSegment),
  session: fc.oneof({ weight: 6, arbitrary: fc.constant('real') }, fc.constantFrom('none', 'random', 'twice')),
  csrf: fc.oneof({ weight: 6, arbitrary: fc.constant('real') }, fc.constantFrom('none', 'wrong', 'empty')),
  origin: fc.constantFrom(undefined, undefined, 'same', 'null', 'http://elsewhere.invalid', 'not a url'),
  type: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, contentType),
  body: consoleBody,
});
type ConsoleSpec = typeof consoleSpec extends fc.Arbitrary<infer T> ? T : never;

function consoleFuzzRequest(spec: ConsoleSpec): HttpRequest {
  const routeMethod: string = spec.route[0];
  const template: string = spec.route[1];
  const chat =
    spec.chat === 'claimed'
      ? encodeURIComponent(claimed.conversationId)
      : spec.chat === 'mine-web'
        ? encodeURIComponent(customer.conversationId)
        : spec.chat;
  const path = `/api/console${template.replace(':id', chat).replace(':ticketId', spec.ticket)}`;
  const headers: Record<string, string> = withType(spec.type);
  // Signing the fuzzing admin out would only make every later request an unsigned one.
  const session = template === '/logout' ? 'none' : spec.session;
  if (session === 'real') headers.cookie = consoleCookie;
  else if (session === 'random') headers.cookie = 'cs_console=0123456789abcdef';
  else if (session === 'twice') headers.cookie = `cs_console=forged; ${consoleCookie}`;
  if (spec.csrf === 'real') headers['x-csrf-token'] = csrfToken;
  else if (spec.csrf === 'wrong') headers['x-csrf-token'] = `${csrfToken}x`;
  else if (spec.csrf === 'empty') headers['x-csrf-token'] = '';
  if (spec.origin === 'same') headers.origin = running.url;
  else if (spec.origin !== undefined) headers.origin = spec.origin;
  const method = spec.method === 'route' ? routeMethod : spec.method;
  return { method, path, headers, body: method === 'GET' ? undefined : bodyOf(spec.body) };
}

test('console: any request, signed in or not, with or without the CSRF token, gets a sound answer', async () => {
  const { sent, served } = await fuzz(running.url, consoleSpec, consoleFuzzRequest, { numRuns: 250, timeLimitMs: 4000, minRuns: 25 });
  expect(sent).toBeGreaterThanOrEqual(25);
  expect(served).toBeGreaterThan(0);
});

// ---------------------------------------------------------------------------------------------
// Everything else: health, static pages, random paths and methods
// ---------------------------------------------------------------------------------------------

const KNOWN_PATHS = [
  '/healthz',
  '/',
  '/index.html',
  '/chat.js',
  '/chat.css',
  '/console',
  '/console/',
  '/console/console.js',
  '/console/console.css',
  '/api',
  '/api/',
  '/api/web',
  '/api/web/conversations/x/stream',
  '/favicon.ico',
  '/.env',
  '/../package.json',
  '/console/../app/config.ts',
];
const miscSpec = fc.record({
  method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'PURGE'),
  path: fc.oneof(
    fc.constantFrom(...KNOWN_PATHS),
    fc.array(rawSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
    fc
      .tuple(fc.constantFrom('/api/web/', '/api/console/', '/api/wechat/', '/api/taobao/', '/console/', '/api/messages/'), rawSegment)
      .map(([prefix, segment]) => `${prefix}${segment}`),
  ),
  query: fc.oneof(
    fc.constant(''),
    fc.webQueryParameters().map((query) => `?${query}`),
    fc.constantFrom('?a=%zz', '?__proto__[x]=1', '?a[]=1&a[]=2', '?' + 'q=1&'.repeat(500), '?%'),
  ),
  headers: fc.record(
    {
      accept: fc.constantFrom('*/*', 'text/html', 'application/json', ''),
      'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', '*'),
      cookie: fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
      'x-forwarded-for': fc.oneof(fc.ipV4(), fc.stringMatching(/^[\x20-\x7e]{0,40}$/)),
      range: fc.constantFrom('bytes=0-10', 'bytes=-5', 'bytes=99999999-', 'lines=1'),
      'if-none-match': fc.string({ maxLength: 10 }).map((tag) => `"${tag.replace(/["\\]/g, '')}"`),
    },
    { requiredKeys: [] },
  ),
  type: contentType,
  body: junkBody,
});
type MiscSpec = typeof miscSpec extends fc.Arbitrary<infer T> ? T : never;

function miscRequest(spec: MiscSpec): HttpRequest {
  const withBody = !['GET', 'HEAD'].includes(spec.method);
  return {
    method: spec.method,
    path: `${spec.path}${spec.query}`,
    headers: withType(spec.type, { ...spec.headers }),
    body: withBody ? bodyOf(spec.body) : undefined,
  };
}

test('anything else: health, pages, random paths and methods get a sound answer', async () => {
  const { sent } = await fuzz(running.url, miscSpec, miscRequest, { numRuns: 300, timeLimitMs: 3000, minRuns: 30 });
  expect(sent).toBeGreaterThanOrEqual(30);
});

// ---------------------------------------------------------------------------------------------

test('after all that, the service still serves: health, a new web chat, WeChat, Taobao, the Emulator', async () => {
  const health = await expectSoundAnswer(running.url, { method: 'GET', path: '/healthz' });
  expect(health.status).toBe(200);
  const fresh = await WebClient.open(running.url);
  expect(await fresh.chat('你好')).toContain('您好');
  const follower = new WechatUser(running.url, wechatAccount, undefined, 'safe');
  expect(await follower.say('你好')).toContain('您好');
  const relayMessage = signedRelayMessage(
    { buyer_nick: 'tb_after_fuzz', seller_nick: '星耀官方旗舰店', message_id: `after-${Date.now()}`, content: '在吗' },
    { appKey: taobao.appKey, secret: taobao.secret },
  );
  const taobaoAnswer = await expectSoundAnswer(running.url, {
    method: 'POST',
    path: '/api/taobao',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(relayMessage),
  });
  expect(taobaoAnswer.status).toBe(200);
  expect(taobaoAnswer.body).toContain('报修');
  const before = connector.calls;
  const emulator = await expectSoundAnswer(
    running.url,
    botFrameworkRequest({
      method: 'POST',
      type: 'application/json',
      body: {
        kind: 'activity',
        value: {
          type: 'message',
          id: `after-${Date.now()}`,
          channelId: 'emulator',
          serviceUrl: 'connector',
          conversation: { id: `emu-after-${Date.now()}` },
          from: { id: 'user-1', name: 'User', role: 'user' },
          recipient: { id: 'bot-1', name: 'Bot', role: 'bot' },
          text: '你好',
          locale: 'zh-CN',
        },
      },
    }),
  );
  expect(emulator.status).toBeLessThan(300);
  expect(connector.calls).toBeGreaterThan(before);
});
