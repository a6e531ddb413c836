import { createCipheriv } from 'node:crypto';
import * as wecom from '@wecom/crypto';
import { WechatCipher, WechatCryptoError, messageSignature, plainSignature, signaturesEqual } from '../../../adapters/wechat/wechatCrypto';

// ---------------------------------------------------------------------------------------------
// Helpers. Randomness is seeded so that a failing cross-check case can be replayed.
// ---------------------------------------------------------------------------------------------

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(20240425);

function randomInt(maxInclusive: number): number {
  return Math.floor(random() * (maxInclusive + 1));
}

function randomBuffer(length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => randomInt(255)));
}

/** 32 random bytes as base64 without the '=': the form of a real EncodingAESKey. */
function randomEncodingAesKey(): string {
  return randomBuffer(32).toString('base64').replace(/=+$/, '');
}

const CODE_POINT_POOLS: Array<[number, number]> = [
  [0x20, 0x7e], // ASCII, including < > & ] which matter for XML later on
  [0x4e00, 0x9fa5], // CJK
  [0x1f600, 0x1f64f], // emoji: 4 UTF-8 bytes, 2 UTF-16 units
  [0x0a, 0x0a],
];

function randomMessage(length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) {
    const [low, high] = CODE_POINT_POOLS[randomInt(CODE_POINT_POOLS.length - 1)];
    text += String.fromCodePoint(low + randomInt(high - low));
  }
  return text;
}

function aesKeyOf(encodingAesKey: string): Buffer {
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** Encrypts an arbitrary plaintext (already padded, or deliberately not) the WeChat way. */
function rawEncrypt(encodingAesKey: string, plain: Buffer): string {
  const key = aesKeyOf(encodingAesKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

function envelope(message: Buffer, id: string, declaredLength = message.length): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(declaredLength);
  return Buffer.concat([Buffer.from('0123456789abcdef'), length, message, Buffer.from(id)]);
}

function pkcs7(data: Buffer): Buffer {
  const count = 32 - (data.length % 32);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof WechatCryptoError) {
      return error.reason;
    }
    throw error;
  }
  throw new Error('expected a WechatCryptoError, but nothing was thrown');
}

// ---------------------------------------------------------------------------------------------
// docs/protocols.md §1 vectors
// ---------------------------------------------------------------------------------------------

const V3 = {
  token: 'pamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  random: Buffer.from('aaaabbbbccccdddd'),
  message: '我是中文abcd123',
  encrypt: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
  timestamp: '1409304348',
  nonce: 'xxxxxx',
  msgSignature: '82c962d39941aa48552f90ef55aa323dc620cc10',
};

const V4 = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  timestamp: '1409659589',
  nonce: '263014780',
  msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  plain: '1616140317555161061',
};

describe('signatures', () => {
  test.each([
    ['V1 URL check', 'AAAAA', '1714036504', '1514711492', 'f464b24fc39322e44b38aa78f5edd27bd1441696'],
    ['V2 plaintext POST', 'AAAAA', '1714037059', '486452656', '899cf89e464efb63f54ddac96b0a0a235f53aa78'],
  ])('%s: plainSignature', (_name, token, timestamp, nonce, expected) => {
    expect(plainSignature(token, timestamp, nonce)).toBe(expected);
  });

  test.each([
    ['V3 WeChat sample', V3.token, V3.timestamp, V3.nonce, V3.encrypt, V3.msgSignature],
    ['V4 WeCom sample', V4.token, V4.timestamp, V4.nonce, V4.echostr, V4.msgSignature],
  ])('%s: messageSignature', (_name, token, timestamp, nonce, encrypt, expected) => {
    expect(messageSignature(token, timestamp, nonce, encrypt)).toBe(expected);
  });

  test('the order of the arguments does not matter, since they are sorted', () => {
    expect(plainSignature('1514711492', 'AAAAA', '1714036504')).toBe(plainSignature('AAAAA', '1714036504', '1514711492'));
  });

  test.each([
    ['identical', 'f464b24fc39322e44b38aa78f5edd27bd1441696', 'f464b24fc39322e44b38aa78f5edd27bd1441696', true],
    ['upper vs lower case hex', 'F464B24FC39322E44B38AA78F5EDD27BD1441696', 'f464b24fc39322e44b38aa78f5edd27bd1441696', true],
    ['last char differs', 'f464b24fc39322e44b38aa78f5edd27bd1441697', 'f464b24fc39322e44b38aa78f5edd27bd1441696', false],
    ['first char differs', '0464b24fc39322e44b38aa78f5edd27bd1441696', 'f464b24fc39322e44b38aa78f5edd27bd1441696', false],
    ['prefix only', 'f464b24fc39322e44b38aa78f5edd27bd144169', 'f464b24fc39322e44b38aa78f5edd27bd1441696', false],
    ['empty vs signature', '', 'f464b24fc39322e44b38aa78f5edd27bd1441696', false],
    ['same length in chars, not in bytes', 'é', 'e', false],
  ])('signaturesEqual: %s → %s', (_name, a, b, expected) => {
    expect(signaturesEqual(a, b)).toBe(expected);
    expect(signaturesEqual(b, a)).toBe(expected);
  });
});

describe("WechatCipher with the vendors' samples", () => {
  test('V3: encrypting with the sample random bytes gives exactly the sample Encrypt', () => {
    const cipher = new WechatCipher({ appId: V3.appId, encodingAesKey: V3.encodingAesKey });
    expect(cipher.encrypt(V3.message, V3.random)).toBe(V3.encrypt);
  });

  test('V3: decrypting the sample gives the message', () => {
    const cipher = new WechatCipher({ appId: V3.appId, encodingAesKey: V3.encodingAesKey });
    expect(cipher.decrypt(V3.encrypt)).toBe(V3.message);
  });

  test('V4: the WeCom echostr decrypts with the CorpID as the id', () => {
    const cipher = new WechatCipher({ appId: V4.corpId, encodingAesKey: V4.encodingAesKey });
    expect(cipher.decrypt(V4.echostr)).toBe(V4.plain);
  });

  test('V4: with another CorpID the echostr is refused as wrongAppId', () => {
    const cipher = new WechatCipher({ appId: 'wx0000000000000000', encodingAesKey: V4.encodingAesKey });
    expect(reasonOf(() => cipher.decrypt(V4.echostr))).toBe('wrongAppId');
  });

  test('without injected random bytes, two encryptions differ and both decrypt', () => {
    const cipher = new WechatCipher({ appId: V3.appId, encodingAesKey: V3.encodingAesKey });
    const first = cipher.encrypt(V3.message);
    const second = cipher.encrypt(V3.message);
    expect(first).not.toBe(second);
    expect(cipher.decrypt(first)).toBe(V3.message);
    expect(cipher.decrypt(second)).toBe(V3.message);
  });

  test('injected random bytes must be 16 bytes long', () => {
    const cipher = new WechatCipher({ appId: V3.appId, encodingAesKey: V3.encodingAesKey });
    expect(() => cipher.encrypt('x', Buffer.alloc(15))).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-check against an independent implementation
// ---------------------------------------------------------------------------------------------

interface CrossCase {
  encodingAesKey: string;
  appId: string;
  message: string;
  random: Buffer;
  token: string;
  timestamp: string;
  nonce: string;
}

function crossCase(index: number): CrossCase {
  // The first two pin the extremes of the length range; the rest are spread over it.
  const length = index === 0 ? 0 : index === 1 ? 3000 : randomInt(3000);
  return {
    encodingAesKey: randomEncodingAesKey(),
    appId: `wx${randomBuffer(8).toString('hex')}`,
    message: randomMessage(length),
    random: randomBuffer(16),
    token: randomBuffer(6).toString('base64url'),
    timestamp: String(1_700_000_000 + randomInt(100_000_000)),
    nonce: String(randomInt(2_000_000_000)),
  };
}

const CROSS_CASES: CrossCase[] = Array.from({ length: 50 }, (_unused, index) => crossCase(index));

describe('cross-check with @wecom/crypto', () => {
  test.each(CROSS_CASES.map((c, index) => [index, Array.from(c.message).length, c] as const))(
    'case %d (%d code points)',
    (_index, _length, c) => {
      const cipher = new WechatCipher({ appId: c.appId, encodingAesKey: c.encodingAesKey });

      const ours = cipher.encrypt(c.message, c.random);
      expect(ours).toBe(wecom.encrypt(c.encodingAesKey, c.message, c.appId, c.random));

      expect(wecom.decrypt(c.encodingAesKey, ours)).toEqual({ message: c.message, id: c.appId, random: c.random });

      const theirs = wecom.encrypt(c.encodingAesKey, c.message, c.appId);
      expect(cipher.decrypt(theirs)).toBe(c.message);

      expect(messageSignature(c.token, c.timestamp, c.nonce, ours)).toBe(wecom.getSignature(c.token, c.timestamp, c.nonce, ours));
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Key rotation
// ---------------------------------------------------------------------------------------------

describe('key rotation', () => {
  const appId = 'wxb11529c136998cb6';
  const previousKey = randomEncodingAesKey();
  const currentKey = randomEncodingAesKey();
  const unrelatedKey = randomEncodingAesKey();
  const rotating = new WechatCipher({ appId, encodingAesKey: currentKey, previousEncodingAesKey: previousKey });
  const withKey = (encodingAesKey: string, id = appId): WechatCipher => new WechatCipher({ appId: id, encodingAesKey });

  test('a message encrypted with the previous key still decrypts', () => {
    expect(rotating.decrypt(withKey(previousKey).encrypt('旧密钥的消息'))).toBe('旧密钥的消息');
  });

  test('a message encrypted with the current key decrypts', () => {
    expect(rotating.decrypt(withKey(currentKey).encrypt('新密钥的消息'))).toBe('新密钥的消息');
  });

  test('replies are encrypted with the current key, not the previous one', () => {
    const reply = rotating.encrypt('回复');
    expect(withKey(currentKey).decrypt(reply)).toBe('回复');
    expect(() => withKey(previousKey).decrypt(reply)).toThrow(WechatCryptoError);
  });

  test('a message encrypted with an unrelated key is refused', () => {
    expect(() => rotating.decrypt(withKey(unrelatedKey).encrypt('陌生密钥'))).toThrow(WechatCryptoError);
  });

  test("without a previous key configured, the previous key's messages are refused", () => {
    expect(() => withKey(currentKey).decrypt(withKey(previousKey).encrypt('旧'))).toThrow(WechatCryptoError);
  });

  test("a wrong AppID under the previous key is reported as wrongAppId, not as the current key's padding failure", () => {
    const foreign = withKey(previousKey, 'wx0000000000000000').encrypt('别人的消息');
    expect(reasonOf(() => rotating.decrypt(foreign))).toBe('wrongAppId');
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

describe('refusing bad input', () => {
  const key = V3.encodingAesKey;
  const appId = V3.appId;
  const cipher = new WechatCipher({ appId, encodingAesKey: key });
  const hello = Buffer.from('hello');

  function withPadByte(position: 'last' | 'first', value: number): Buffer {
    const padded = pkcs7(envelope(hello, appId)); // 20 + 5 + 18 = 43 bytes → 21 bytes of padding
    padded[position === 'last' ? padded.length - 1 : padded.length - 21] = value;
    return padded;
  }

  test.each<[string, string, () => Buffer]>([
    ['a pad byte of 0', 'badPadding', () => withPadByte('last', 0)],
    ['a pad byte of 33 (more than a 32-byte block)', 'badPadding', () => withPadByte('last', 33)],
    ['pad bytes that disagree', 'badPadding', () => withPadByte('first', 20)],
    // 43 + 5 = 48 bytes: whole AES blocks, but ending in 'e' instead of a pad count.
    ['no padding at all', 'badPadding', () => Buffer.concat([envelope(hello, appId), Buffer.from('abcde')])],
    ['fewer bytes than the 20-byte header', 'badLength', () => pkcs7(Buffer.from('0123456789abcdef'))],
    ['a declared length longer than the plaintext', 'badLength', () => pkcs7(envelope(hello, appId, 500))],
    ['a declared length of 2^32 - 1', 'badLength', () => pkcs7(envelope(hello, appId, 0xffffffff))],
    ['a declared length one short, leaving a byte before the AppID', 'wrongAppId', () => pkcs7(envelope(hello, appId, 4))],
    ['another AppID', 'wrongAppId', () => pkcs7(envelope(hello, 'wx0000000000000000'))],
    ['our AppID plus a suffix', 'wrongAppId', () => pkcs7(envelope(hello, `${appId}x`))],
    ['a prefix of our AppID', 'wrongAppId', () => pkcs7(envelope(hello, appId.slice(0, -1)))],
    ['no AppID at all', 'wrongAppId', () => pkcs7(envelope(hello, ''))],
    ['a message that is not UTF-8', 'badUtf8', () => pkcs7(envelope(Buffer.from([0x68, 0xff, 0xfe, 0x69]), appId))],
  ])('a plaintext with %s → %s', (_name, expected, plaintext) => {
    expect(reasonOf(() => cipher.decrypt(rawEncrypt(key, plaintext())))).toBe(expected);
  });

  test('the hand-made envelope is right when nothing is tampered with (so the cases above test what they say)', () => {
    expect(cipher.decrypt(rawEncrypt(key, pkcs7(envelope(hello, appId))))).toBe('hello');
  });

  // 20 + 100 + 18 = 138 bytes, padded to 160: cutting 32 bytes leaves message bytes at the end.
  const long = cipher.encrypt('x'.repeat(100), V3.random);
  const longBytes = Buffer.from(long, 'base64');
  const withLastBitFlipped = (bytes: Buffer): Buffer => {
    const copy = Buffer.from(bytes);
    copy[copy.length - 1] ^= 1;
    return copy;
  };

  test.each<[string, string, string]>([
    ['that is empty', 'badLength', ''],
    ['that is not base64', 'badBase64', 'not base64!'],
    ['in the base64url alphabet', 'badBase64', `${long.slice(0, 10)}-_${long.slice(12)}`],
    ['with a line break', 'badBase64', `${long.slice(0, 40)}\n${long.slice(40)}`],
    ['with its "=" padding stripped', 'badBase64', long.replace(/=+$/, '')],
    ['cut by one base64 character', 'badBase64', long.slice(0, -1)],
    ['cut by 5 bytes (not a whole AES block)', 'badLength', longBytes.subarray(0, -5).toString('base64')],
    ['of 15 bytes', 'badLength', Buffer.alloc(15).toString('base64')],
    ['cut by one 32-byte block', 'badPadding', longBytes.subarray(0, -32).toString('base64')],
    ['cut by one 16-byte AES block', 'badPadding', longBytes.subarray(0, -16).toString('base64')],
    ['with a flipped bit in the last block', 'badPadding', withLastBitFlipped(longBytes).toString('base64')],
  ])('a ciphertext %s → %s', (_name, expected, encrypted) => {
    expect(reasonOf(() => cipher.decrypt(encrypted))).toBe(expected);
  });

  test('the long sample used above decrypts untouched', () => {
    expect(cipher.decrypt(long)).toBe('x'.repeat(100));
  });

  test.each<[string, string]>([
    ['empty', ''],
    ['42 characters', key.slice(0, 42)],
    ['44 characters', `${key}A`],
    ['43 characters ending in "="', `${key.slice(0, 42)}=`],
    ['base64url characters', `${key.slice(0, 41)}-_`],
    ['a space inside', `${key.slice(0, 20)} ${key.slice(21)}`],
  ])('an EncodingAESKey that is %s → badKey', (_name, badKey) => {
    expect(reasonOf(() => new WechatCipher({ appId, encodingAesKey: badKey }))).toBe('badKey');
    expect(reasonOf(() => new WechatCipher({ appId, encodingAesKey: key, previousEncodingAesKey: badKey }))).toBe('badKey');
  });

  test('the key never appears in the error message', () => {
    const secret = `${key.slice(0, 42)}!`;
    try {
      new WechatCipher({ appId, encodingAesKey: secret });
      throw new Error('expected a WechatCryptoError');
    } catch (error) {
      expect(error).toBeInstanceOf(WechatCryptoError);
      expect((error as Error).message).not.toContain(secret.slice(0, 20));
    }
  });

  test('an empty AppID → badAppId', () => {
    expect(reasonOf(() => new WechatCipher({ appId: '', encodingAesKey: key }))).toBe('badAppId');
  });

  test('errors are Errors with a name, for logs', () => {
    const error = new WechatCryptoError('badPadding');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WechatCryptoError');
    expect(error.reason).toBe('badPadding');
  });
});
