import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TextDecoder } from 'node:util';

/**
 * WeChat Official Account message crypto (also used by WeCom, where the trailing id is the CorpID).
 * See docs/protocols.md §1: AES-256-CBC, IV = first 16 key bytes, PKCS#7 to 32-byte blocks,
 * plaintext = 16 random bytes ‖ 4-byte BE length ‖ UTF-8 message ‖ AppID.
 *
 * CBC has no integrity of its own: callers must check `msg_signature` (messageSignature +
 * signaturesEqual) before decrypting, so that forged ciphertexts never reach the padding checks.
 */

/** WeChat pads to 32 bytes (the PHP/Java samples' block size), not AES's 16. */
const PAD_BLOCK = 32;
const AES_BLOCK = 16;
const RANDOM_BYTES = 16;
const HEADER_BYTES = RANDOM_BYTES + 4;
const KEY_PATTERN = /^[A-Za-z0-9+/]{43}$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type WechatCryptoReason = 'badKey' | 'badAppId' | 'badBase64' | 'badLength' | 'badPadding' | 'wrongAppId' | 'badUtf8';

export class WechatCryptoError extends Error {
  override readonly name = 'WechatCryptoError';

  constructor(
    readonly reason: WechatCryptoReason,
    message: string = reason,
  ) {
    super(message);
  }
}

function sha1OfSorted(parts: string[]): string {
  // Plain code-unit order, as WeChat's Java sample and @wecom/crypto sort; all inputs are ASCII anyway.
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** `signature` of the URL check and of every POST's query. */
export function plainSignature(token: string, timestamp: string, nonce: string): string {
  return sha1OfSorted([token, timestamp, nonce]);
}

/** `msg_signature` of encrypted pushes and `MsgSignature` of encrypted replies. */
export function messageSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1OfSorted([token, timestamp, nonce, encrypt]);
}

/** Constant-time comparison so that a caller cannot learn a signature byte by byte. */
export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b.toLowerCase(), 'utf8');
  if (left.length !== right.length) {
    return false;
  }
  return timingSafeEqual(left, right);
}

function parseEncodingAesKey(encodingAesKey: string): Buffer {
  // Never echo the key: error messages end up in logs.
  if (!KEY_PATTERN.test(encodingAesKey)) {
    throw new WechatCryptoError('badKey', 'EncodingAESKey must be 43 base64 characters');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) {
    throw new WechatCryptoError('badKey', 'EncodingAESKey must decode to 32 bytes');
  }
  return key;
}

function pad(data: Buffer): Buffer {
  const count = PAD_BLOCK - (data.length % PAD_BLOCK);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

function unpad(padded: Buffer): Buffer {
  const count = padded.at(-1) ?? 0;
  if (count < 1 || count > PAD_BLOCK || count > padded.length) {
    throw new WechatCryptoError('badPadding', 'invalid PKCS#7 padding');
  }
  for (let i = padded.length - count; i < padded.length; i += 1) {
    if (padded[i] !== count) {
      throw new WechatCryptoError('badPadding', 'invalid PKCS#7 padding');
    }
  }
  return padded.subarray(0, padded.length - count);
}

function aes(mode: 'encrypt' | 'decrypt', key: Buffer, data: Buffer): Buffer {
  const iv = key.subarray(0, AES_BLOCK);
  const engine = mode === 'encrypt' ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv);
  // Padding is WeChat's 32-byte variant, handled by pad/unpad; Node's would be 16-byte.
  engine.setAutoPadding(false);
  return Buffer.concat([engine.update(data), engine.final()]);
}

function decodeCiphertext(encrypted: string): Buffer {
  // Buffer.from(…, 'base64') silently skips junk, so validate the alphabet and shape first.
  if (!BASE64_PATTERN.test(encrypted)) {
    throw new WechatCryptoError('badBase64', 'Encrypt is not base64');
  }
  const ciphertext = Buffer.from(encrypted, 'base64');
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    throw new WechatCryptoError('badLength', 'ciphertext is not a whole number of AES blocks');
  }
  return ciphertext;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new WechatCryptoError('badUtf8', 'message is not valid UTF-8');
  }
}

function openEnvelope(key: Buffer, ciphertext: Buffer, appId: Buffer): string {
  const plain = unpad(aes('decrypt', key, ciphertext));
  if (plain.length < HEADER_BYTES) {
    throw new WechatCryptoError('badLength', 'plaintext shorter than its header');
  }
  const messageLength = plain.readUInt32BE(RANDOM_BYTES);
  if (messageLength > plain.length - HEADER_BYTES) {
    throw new WechatCryptoError('badLength', 'declared message length exceeds the plaintext');
  }
  const messageEnd = HEADER_BYTES + messageLength;
  if (!plain.subarray(messageEnd).equals(appId)) {
    throw new WechatCryptoError('wrongAppId', 'message was encrypted for another AppID');
  }
  return decodeUtf8(plain.subarray(HEADER_BYTES, messageEnd));
}

/**
 * How far decryption got before failing. With two keys, the failure that got furthest is the one
 * made with the right key, so it is the one worth reporting.
 */
const FAILURE_DEPTH: Record<WechatCryptoReason, number> = {
  badKey: 0,
  badAppId: 0,
  badBase64: 0,
  badLength: 1,
  badPadding: 0,
  wrongAppId: 2,
  badUtf8: 3,
};

function deeperFailure(current: WechatCryptoError | undefined, next: WechatCryptoError): WechatCryptoError {
  if (current === undefined || FAILURE_DEPTH[next.reason] > FAILURE_DEPTH[current.reason]) {
    return next;
  }
  return current;
}

export interface WechatCipherOptions {
  /** AppID for Official Accounts; CorpID for WeCom callbacks. */
  appId: string;
  encodingAesKey: string;
  /** Still accepted for decryption after the key was changed on the platform. */
  previousEncodingAesKey?: string;
}

export class WechatCipher {
  private readonly appId: Buffer;
  private readonly currentKey: Buffer;
  /** Current key first, so that the usual case costs one AES pass. */
  private readonly keys: readonly Buffer[];

  constructor(options: WechatCipherOptions) {
    if (options.appId.length === 0) {
      throw new WechatCryptoError('badAppId', 'AppID must not be empty');
    }
    this.appId = Buffer.from(options.appId, 'utf8');
    this.currentKey = parseEncodingAesKey(options.encodingAesKey);
    const keys = [this.currentKey];
    if (options.previousEncodingAesKey !== undefined) {
      keys.push(parseEncodingAesKey(options.previousEncodingAesKey));
    }
    this.keys = keys;
  }

  /** Returns the base64 `Encrypt` value. `random` is for reproducible tests only. */
  encrypt(message: string, random: Buffer = randomBytes(RANDOM_BYTES)): string {
    if (random.length !== RANDOM_BYTES) {
      throw new RangeError(`random must be ${RANDOM_BYTES} bytes`);
    }
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const plain = pad(Buffer.concat([random, length, body, this.appId]));
    return aes('encrypt', this.currentKey, plain).toString('base64');
  }

  /** Decrypts an `Encrypt` value (or WeCom's encrypted echostr); throws WechatCryptoError. */
  decrypt(encrypted: string): string {
    const ciphertext = decodeCiphertext(encrypted);
    let failure: WechatCryptoError | undefined;
    for (const key of this.keys) {
      try {
        return openEnvelope(key, ciphertext, this.appId);
      } catch (error) {
        if (!(error instanceof WechatCryptoError)) {
          throw error;
        }
        failure = deeperFailure(failure, error);
      }
    }
    throw failure ?? new WechatCryptoError('badKey', 'no key to decrypt with');
  }
}
