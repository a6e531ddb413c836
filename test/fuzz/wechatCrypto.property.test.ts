import fc from 'fast-check';
import { WechatCipher, WechatCryptoError, messageSignature, plainSignature, signaturesEqual } from '../../adapters/wechat/wechatCrypto';
import { unicodeText, utf16Text } from './arbitraries';

/** A valid EncodingAESKey: 32 bytes as 43 base64 characters. */
const aesKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('base64').replace(/=+$/, ''));
const randomPrefix = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes));
/** Real AppIDs: wx + 16 hex. Long enough that a garbled block matching it by chance is out of the question. */
const realAppId = fc.stringMatching(/^wx[0-9a-f]{16}$/);
/** Any AppID the cipher accepts (non-empty; WeCom puts a CorpID here). */
const anyAppId = unicodeText(40).filter((id) => id.length > 0);
/** Messages: any well-formed Unicode (UTF-8 cannot carry a lone surrogate, so those are not "a message"). */
const message = fc.oneof(unicodeText(300), fc.string({ unit: 'grapheme', maxLength: 200 }));

/** Decrypts; a WechatCryptoError is an answer (its reason), anything else thrown is a bug. */
function decryptOutcome(cipher: WechatCipher, encrypted: string): { message: string } | { refused: string } {
  try {
    return { message: cipher.decrypt(encrypted) };
  } catch (error) {
    if (error instanceof WechatCryptoError) return { refused: error.reason };
    throw error;
  }
}

type Tamper = { kind: 'flip'; at: number; mask: number } | { kind: 'truncate'; by: number } | { kind: 'append'; bytes: Uint8Array };

/** One change to ciphertext bytes: flip bits of one byte, cut the end, or add a block. */
const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), by: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 16, maxLength: 16 }) }),
);

function applyTamper(bytes: Buffer, change: Tamper): Buffer {
  const copy = Buffer.from(bytes);
  if (change.kind === 'flip') {
    copy[change.at % copy.length] ^= change.mask;
    return copy;
  }
  if (change.kind === 'truncate') return copy.subarray(0, Math.max(0, copy.length - change.by));
  return Buffer.concat([copy, Buffer.from(change.bytes)]);
}

describe('WechatCipher round trip', () => {
  test('decrypt(encrypt(m)) is m, for any message, AppID, key and random prefix', () => {
    fc.assert(
      fc.property(message, anyAppId, aesKey, randomPrefix, (text, appId, key, random) => {
        const cipher = new WechatCipher({ appId, encodingAesKey: key });
        const encrypted = cipher.encrypt(text, random);
        expect(encrypted).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
        expect(cipher.decrypt(encrypted)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  test('after a key change, messages under either key decrypt; replies use the new key only', () => {
    fc.assert(
      fc.property(message, realAppId, aesKey, aesKey, (text, appId, current, previous) => {
        fc.pre(current !== previous);
        const rotated = new WechatCipher({ appId, encodingAesKey: current, previousEncodingAesKey: previous });
        const old = new WechatCipher({ appId, encodingAesKey: previous });
        expect(rotated.decrypt(old.encrypt(text))).toBe(text);
        const reply = rotated.encrypt(text);
        expect(new WechatCipher({ appId, encodingAesKey: current }).decrypt(reply)).toBe(text);
        expect(decryptOutcome(old, reply)).toHaveProperty('refused');
      }),
      { numRuns: 100 },
    );
  });
});

describe('WechatCipher refusals', () => {
  test('a message for another AppID is refused as wrongAppId', () => {
    fc.assert(
      fc.property(message, anyAppId, anyAppId, aesKey, (text, sender, receiver, key) => {
        fc.pre(sender !== receiver);
        const encrypted = new WechatCipher({ appId: sender, encodingAesKey: key }).encrypt(text);
        expect(decryptOutcome(new WechatCipher({ appId: receiver, encodingAesKey: key }), encrypted)).toEqual({ refused: 'wrongAppId' });
      }),
      { numRuns: 200 },
    );
  });

  test('a message under an unrelated key is refused', () => {
    fc.assert(
      fc.property(message, realAppId, aesKey, aesKey, (text, appId, key, other) => {
        fc.pre(key !== other);
        const encrypted = new WechatCipher({ appId, encodingAesKey: other }).encrypt(text);
        expect(decryptOutcome(new WechatCipher({ appId, encodingAesKey: key }), encrypted)).toHaveProperty('refused');
      }),
      { numRuns: 200 },
    );
  });

  test('tampered ciphertext: never the original message, never anything but WechatCryptoError, and its msg_signature no longer matches', () => {
    fc.assert(
      fc.property(message, realAppId, aesKey, tamper, (text, appId, key, change) => {
        const cipher = new WechatCipher({ appId, encodingAesKey: key });
        const encrypted = cipher.encrypt(text);
        const forged = applyTamper(Buffer.from(encrypted, 'base64'), change).toString('base64');
        const result = decryptOutcome(cipher, forged);
        // CBC has no integrity: a flip in an early block can decrypt to a different text. That is
        // why the channel checks msg_signature first, which no tampering gets past.
        if ('message' in result) expect(result.message).not.toBe(text);
        const signature = messageSignature('token', '1714037059', '42', encrypted);
        expect(signaturesEqual(messageSignature('token', '1714037059', '42', forged), signature)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test('a change in the last block (padding and AppID) is always refused', () => {
    fc.assert(
      fc.property(
        message,
        realAppId,
        aesKey,
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 255 }),
        (text, appId, key, fromEnd, mask) => {
          const cipher = new WechatCipher({ appId, encodingAesKey: key });
          const bytes = Buffer.from(cipher.encrypt(text), 'base64');
          bytes[bytes.length - fromEnd] ^= mask;
          expect(decryptOutcome(cipher, bytes.toString('base64'))).toHaveProperty('refused');
        },
      ),
      { numRuns: 200 },
    );
  });

  test('any string as Encrypt is decrypted or refused with WechatCryptoError, never a crash', () => {
    const base64ish = fc.stringMatching(/^[A-Za-z0-9+/]{0,120}={0,3}$/);
    fc.assert(
      fc.property(fc.oneof(base64ish, utf16Text(120)), realAppId, aesKey, (encrypted, appId, key) => {
        decryptOutcome(new WechatCipher({ appId, encodingAesKey: key }), encrypted);
      }),
      { numRuns: 300 },
    );
  });

  test('a malformed EncodingAESKey is refused as badKey, and the key never appears in the message', () => {
    fc.assert(
      fc.property(utf16Text(50), (key) => {
        fc.pre(!/^[A-Za-z0-9+/]{43}$/.test(key));
        try {
          new WechatCipher({ appId: 'wx1', encodingAesKey: key });
          throw new Error('accepted a malformed key');
        } catch (error) {
          expect(error).toBeInstanceOf(WechatCryptoError);
          expect((error as WechatCryptoError).reason).toBe('badKey');
          if (key.length >= 4) expect((error as Error).message).not.toContain(key);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('signatures', () => {
  // The scheme hashes the sorted parts joined together, so only values of the shapes WeChat uses
  // are certain to be told apart: a token of letters and digits, Unix seconds and a numeric nonce.
  const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{2,31}$/);
  const timestamp = fc.stringMatching(/^1[0-9]{9}$/);
  const nonce = fc.stringMatching(/^[0-9]{1,10}$/);
  const encrypt = fc.stringMatching(/^[A-Za-z0-9+/]{24,64}={0,2}$/);

  test('plainSignature changes when any one of token, timestamp or nonce changes', () => {
    fc.assert(
      fc.property(token, timestamp, nonce, token, timestamp, nonce, (t, ts, n, t2, ts2, n2) => {
        const signature = plainSignature(t, ts, n);
        expect(signature).toMatch(/^[0-9a-f]{40}$/);
        if (t2 !== t) expect(plainSignature(t2, ts, n)).not.toBe(signature);
        if (ts2 !== ts) expect(plainSignature(t, ts2, n)).not.toBe(signature);
        if (n2 !== n) expect(plainSignature(t, ts, n2)).not.toBe(signature);
      }),
      { numRuns: 300 },
    );
  });

  test('messageSignature changes when any one input changes, Encrypt included', () => {
    fc.assert(
      fc.property(token, timestamp, nonce, encrypt, token, timestamp, nonce, encrypt, (t, ts, n, e, t2, ts2, n2, e2) => {
        const signature = messageSignature(t, ts, n, e);
        if (t2 !== t) expect(messageSignature(t2, ts, n, e)).not.toBe(signature);
        if (ts2 !== ts) expect(messageSignature(t, ts2, n, e)).not.toBe(signature);
        if (n2 !== n) expect(messageSignature(t, ts, n2, e)).not.toBe(signature);
        if (e2 !== e) expect(messageSignature(t, ts, n, e2)).not.toBe(signature);
      }),
      { numRuns: 300 },
    );
  });

  test('signaturesEqual accepts exactly the signature (in either case) and nothing forged', () => {
    const forged = fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{40}$/), utf16Text(60), fc.string({ unit: 'grapheme', maxLength: 45 }));
    fc.assert(
      fc.property(token, timestamp, nonce, forged, (t, ts, n, given) => {
        const signature = plainSignature(t, ts, n);
        expect(signaturesEqual(signature, signature)).toBe(true);
        expect(signaturesEqual(signature, signature.toUpperCase())).toBe(true);
        expect(signaturesEqual(signature, given)).toBe(given.toLowerCase() === signature);
      }),
      { numRuns: 300 },
    );
  });

  test('one wrong hex digit anywhere is refused', () => {
    fc.assert(
      fc.property(token, timestamp, nonce, fc.integer({ min: 0, max: 39 }), fc.integer({ min: 1, max: 15 }), (t, ts, n, at, delta) => {
        const signature = plainSignature(t, ts, n);
        const digit = ((Number.parseInt(signature[at], 16) + delta) % 16).toString(16);
        const forged = `${signature.slice(0, at)}${digit}${signature.slice(at + 1)}`;
        expect(signaturesEqual(signature, forged)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
