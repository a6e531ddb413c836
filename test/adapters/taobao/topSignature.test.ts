import { createHmac } from 'node:crypto';
import {
  formatTopTimestamp,
  parseTopTimestamp,
  signedParams,
  SIGN_METHODS,
  topSign,
  verifyTopRequest,
} from '../../../adapters/taobao/topSignature';

// The published vectors (docs/protocols.md §4).
const T1 = {
  secret: 'test',
  params: {
    method: 'taobao.user.seller.get',
    timestamp: '2013-05-06 13:52:03',
    format: 'xml',
    app_key: 'test',
    v: '2.0',
    fields: 'nick',
    sign_method: 'md5',
    session: 'test',
  },
  sign: '72CB4D809B375A54502C09360D879C64',
};
const T2 = {
  secret: 'helloworld',
  params: {
    method: 'taobao.item.seller.get',
    format: 'json',
    app_key: '12345678',
    v: '2.0',
    fields: 'num_iid,title,nick,price,num',
    num_iid: '11223344',
    sign_method: 'md5',
    timestamp: '2016-01-01 12:00:00',
    session: 'test',
  },
  sign: '66987CB115214E59E6EC978214934FB8',
};

// T2's parameters sorted by hand, so that the HMAC checks do not reuse the code under test.
const T2_SIGNED_STRING =
  'app_key12345678' +
  'fieldsnum_iid,title,nick,price,num' +
  'formatjson' +
  'methodtaobao.item.seller.get' +
  'num_iid11223344' +
  'sessiontest' +
  'sign_methodmd5' +
  'timestamp2016-01-01 12:00:00' +
  'v2.0';

describe('topSign', () => {
  it.each([
    ['T1', T1],
    ['T2', T2],
  ])('reproduces vector %s with md5', (_name, vector) => {
    expect(topSign(vector.params, vector.secret, 'md5')).toBe(vector.sign);
  });

  it('hmac is HMAC-MD5 over the sorted name+value string, uppercase hex', () => {
    const expected = createHmac('md5', 'helloworld').update(T2_SIGNED_STRING, 'utf8').digest('hex').toUpperCase();
    expect(topSign(T2.params, 'helloworld', 'hmac')).toBe(expected);
  });

  it('hmac-sha256 is HMAC-SHA256 over the same string', () => {
    const expected = createHmac('sha256', 'helloworld').update(T2_SIGNED_STRING, 'utf8').digest('hex').toUpperCase();
    expect(topSign(T2.params, 'helloworld', 'hmac-sha256')).toBe(expected);
  });

  it('signs UTF-8 bytes, so Chinese text signs as TOP computes it', () => {
    const params = { content: '耳机坏了', buyer_nick: '小王' };
    const expected = createHmac('sha256', 's').update('buyer_nick小王content耳机坏了', 'utf8').digest('hex').toUpperCase();
    expect(topSign(params, 's', 'hmac-sha256')).toBe(expected);
  });

  it('leaves out sign and empty values', () => {
    const withExtras = { ...T1.params, sign: 'WHATEVER', empty: '', missing: undefined };
    expect(topSign(withExtras, T1.secret, 'md5')).toBe(T1.sign);
  });

  it('sorts names by ASCII: uppercase before lowercase, not by locale', () => {
    const params = { b: '2', a: '1', B: '3', _x: '4', Z: '5' };
    // ASCII: 'B' (66) < 'Z' (90) < '_' (95) < 'a' (97) < 'b' (98); a locale sort would put a, B, b …
    const expected = createHmac('sha256', 'k').update('B3Z5_x4a1b2', 'utf8').digest('hex').toUpperCase();
    expect(topSign(params, 'k', 'hmac-sha256')).toBe(expected);
  });

  it('differs between methods and secrets', () => {
    const signs = new Set(SIGN_METHODS.map((m) => topSign(T2.params, 'helloworld', m)));
    expect(signs.size).toBe(3);
    expect(topSign(T2.params, 'other', 'md5')).not.toBe(T2.sign);
  });
});

describe('TOP timestamps', () => {
  it('formats in GMT+8 whatever the process time zone', () => {
    expect(formatTopTimestamp(new Date('2024-05-01T02:00:00Z'))).toBe('2024-05-01 10:00:00');
    expect(formatTopTimestamp(new Date('2023-12-31T16:30:05Z'))).toBe('2024-01-01 00:30:05');
  });

  it('parses as GMT+8 and round-trips', () => {
    expect(parseTopTimestamp('2024-05-01 10:00:00')?.toISOString()).toBe('2024-05-01T02:00:00.000Z');
    const now = new Date('2025-03-11T08:09:10Z');
    expect(parseTopTimestamp(formatTopTimestamp(now))?.getTime()).toBe(now.getTime());
  });

  it.each([
    '2024-05-01T10:00:00',
    '2024-05-01 10:00',
    '2024-5-1 10:00:00',
    '2024-02-30 10:00:00',
    '2024-05-01 24:00:00',
    ' 2024-05-01 10:00:00',
    '',
  ])('rejects %p', (text) => {
    expect(parseTopTimestamp(text)).toBeUndefined();
  });
});

describe('verifyTopRequest', () => {
  const secret = 'relay-secret';
  const now = new Date('2025-03-11T08:00:00Z');
  const business = { buyer_nick: 'tb_buyer', content: '你好' };
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  const signed = (minutes = 0, method: 'md5' | 'hmac' | 'hmac-sha256' = 'hmac-sha256') =>
    signedParams(business, { appKey: 'k', secret, method, now: at(minutes) });

  it.each(SIGN_METHODS)('accepts a good %s request', (method) => {
    expect(verifyTopRequest(signed(0, method), secret, { now })).toEqual({ ok: true });
  });

  it('accepts the sign in lowercase', () => {
    const params = signed();
    expect(verifyTopRequest({ ...params, sign: params.sign.toLowerCase() }, secret, { now })).toEqual({ ok: true });
  });

  it('accepts 9 minutes of skew either way', () => {
    expect(verifyTopRequest(signed(9), secret, { now })).toEqual({ ok: true });
    expect(verifyTopRequest(signed(-9), secret, { now })).toEqual({ ok: true });
  });

  it('rejects each fault with its own reason', () => {
    const good = signed();
    const reasons = [
      verifyTopRequest({ ...good, sign: topSign(good, 'wrong-secret', 'hmac-sha256') }, secret, { now }),
      verifyTopRequest({ ...good, content: '你好!' }, secret, { now }),
      verifyTopRequest({ ...good, sign: undefined }, secret, { now }),
      verifyTopRequest({ ...good, sign_method: 'sha1' }, secret, { now }),
      verifyTopRequest(resign({ ...good, timestamp: '2025/03/11 16:00:00' }), secret, { now }),
      verifyTopRequest(signed(11), secret, { now }),
      verifyTopRequest(signed(-11), secret, { now }),
    ].map((v) => (v.ok ? 'ok' : v.reason));
    expect(reasons).toEqual([
      'sign mismatch',
      'sign mismatch',
      'missing sign',
      'unknown sign_method',
      'malformed timestamp',
      'timestamp is too far in the future',
      'timestamp is too old',
    ]);
  });

  it('honours a custom skew limit', () => {
    expect(verifyTopRequest(signed(2), secret, { now, maxSkewMs: 60_000 })).toEqual({
      ok: false,
      reason: 'timestamp is too far in the future',
    });
  });

  it('rejects a sign of the wrong length without throwing', () => {
    expect(verifyTopRequest({ ...signed(), sign: 'ABC' }, secret, { now })).toEqual({ ok: false, reason: 'sign mismatch' });
  });

  function resign(params: Record<string, string>): Record<string, string> {
    return { ...params, sign: topSign(params, secret, 'hmac-sha256') };
  }
});

describe('signedParams', () => {
  it('adds the system parameters and a sign over everything', () => {
    const now = new Date('2024-05-01T02:00:00Z');
    const params = signedParams({ tid: '3321456789012345678' }, { appKey: 'k', secret: 's', method: 'md5', now });
    expect(params).toEqual({
      tid: '3321456789012345678',
      app_key: 'k',
      timestamp: '2024-05-01 10:00:00',
      sign_method: 'md5',
      v: '2.0',
      sign: expect.stringMatching(/^[0-9A-F]{32}$/) as unknown as string,
    });
    expect(verifyTopRequest(params, 's', { now })).toEqual({ ok: true });
  });

  it('defaults to hmac-sha256', () => {
    const params = signedParams({}, { appKey: 'k', secret: 's' });
    expect(params.sign_method).toBe('hmac-sha256');
    expect(params.sign).toMatch(/^[0-9A-F]{64}$/);
  });

  it('does not let business fields override system ones', () => {
    const params = signedParams({ app_key: 'evil', v: '1.0', sign: 'X' }, { appKey: 'k', secret: 's' });
    expect(params.app_key).toBe('k');
    expect(params.v).toBe('2.0');
    expect(params.sign).not.toBe('X');
  });
});
