import { createHash, randomBytes } from 'node:crypto';
import { decrypt as wecomDecrypt, encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';

export type WechatMode = 'plaintext' | 'compatible' | 'safe';

export interface WechatAccount {
  token: string;
  appId: string;
  encodingAesKey: string;
}

export interface WechatDelivery {
  status: number;
  /** The raw body: `success`, XML, or a JSON refusal. */
  body: string;
  /** The passive reply's text, decrypted when it was encrypted; undefined for `success`. */
  content?: string;
  /** The reply's To/From (decrypted), to check they were swapped. */
  toUser?: string;
  fromUser?: string;
  /** Whether the reply came encrypted. */
  encrypted: boolean;
}

const parser = new XMLParser({ processEntities: false, parseTagValue: false, ignoreDeclaration: true, cdataPropName: false });

function sha1(...parts: string[]): string {
  return createHash('sha1').update(parts.sort().join('')).digest('hex');
}

function cdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function xmlOf(fields: Record<string, string>): string {
  const elements = Object.entries(fields).map(([name, value]) =>
    /^\d+$/.test(value) && name !== 'Content' ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`,
  );
  return `<xml>${elements.join('')}</xml>`;
}

/**
 * WeChat's servers as one follower of the account sees them: messages pushed to /api/wechat in a
 * chosen mode, signed and (in compatible/safe mode) encrypted with @wecom/crypto — an implementation
 * independent of ours — and the passive replies verified and decrypted the same way.
 */
export class WechatUser {
  private nextMsgId = BigInt(24_000_000_000_000_000) + BigInt(Math.floor(Math.random() * 1e9)) * 1000n;

  constructor(
    private readonly baseUrl: string,
    private readonly account: WechatAccount,
    readonly openId = `o${randomBytes(12).toString('base64url')}`,
    public mode: WechatMode = 'safe',
    readonly accountId = 'gh_0123456789ab',
  ) {}

  newMsgId(): string {
    this.nextMsgId += 1n;
    return this.nextMsgId.toString();
  }

  /** Sends a text and returns the passive reply's text (undefined when WeChat got `success`). */
  async say(text: string, msgId = this.newMsgId()): Promise<string | undefined> {
    const delivery = await this.deliver({ MsgType: 'text', Content: text, MsgId: msgId });
    if (delivery.status !== 200) throw new Error(`/api/wechat answered ${delivery.status}: ${delivery.body}`);
    return delivery.content;
  }

  /** Pushes one message (the common fields are added) and reads the answer. */
  async deliver(fields: Record<string, string>, options: { createTime?: number } = {}): Promise<WechatDelivery> {
    const { pathAndQuery, body } = this.message(fields, options);
    return this.postRaw(pathAndQuery, body);
  }

  /** Posts a body as WeChat would in the current mode; `tamper` changes the query before sending. */
  async post(
    plainXml: string,
    plainFields: Record<string, string> = {},
    tamper?: (query: URLSearchParams) => void,
  ): Promise<WechatDelivery> {
    const { pathAndQuery, body } = this.signed(plainXml, plainFields, tamper);
    return this.postRaw(pathAndQuery, body);
  }

  /** One message as WeChat signs it (and in compatible/safe mode encrypts it), to post as is, once or again. */
  message(fields: Record<string, string>, options: { createTime?: number } = {}): { pathAndQuery: string; body: string } {
    const message = {
      ToUserName: this.accountId,
      FromUserName: this.openId,
      CreateTime: String(options.createTime ?? Math.floor(Date.now() / 1000)),
      ...fields,
    };
    return this.signed(xmlOf(message), message);
  }

  private signed(
    plainXml: string,
    plainFields: Record<string, string>,
    tamper?: (query: URLSearchParams) => void,
  ): { pathAndQuery: string; body: string } {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const query = new URLSearchParams({ signature: sha1(this.account.token, timestamp, nonce), timestamp, nonce, openid: this.openId });
    let body = plainXml;
    if (this.mode !== 'plaintext') {
      const encrypt = wecomEncrypt(this.account.encodingAesKey, plainXml, this.account.appId);
      query.set('encrypt_type', 'aes');
      query.set('msg_signature', getSignature(this.account.token, timestamp, nonce, encrypt));
      const outer = this.mode === 'safe' ? { ToUserName: this.accountId } : plainFields;
      body = xmlOf({ ...outer, Encrypt: encrypt });
    }
    tamper?.(query);
    return { pathAndQuery: `/api/wechat?${query.toString()}`, body };
  }

  async postRaw(pathAndQuery: string, body: string): Promise<WechatDelivery> {
    const response = await fetch(`${this.baseUrl}${pathAndQuery}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    const text = await response.text();
    const delivery: WechatDelivery = { status: response.status, body: text, encrypted: false };
    if (response.status !== 200 || text === 'success' || text === '') return delivery;
    let reply = (parser.parse(text) as { xml: Record<string, string> }).xml;
    if (reply.Encrypt) {
      const signature = getSignature(this.account.token, reply.TimeStamp, reply.Nonce, reply.Encrypt);
      if (signature !== reply.MsgSignature) throw new Error('the encrypted reply has a wrong MsgSignature');
      const inner = wecomDecrypt(this.account.encodingAesKey, reply.Encrypt);
      if (inner.id !== this.account.appId) throw new Error(`the reply was encrypted for ${inner.id}`);
      reply = (parser.parse(inner.message) as { xml: Record<string, string> }).xml;
      delivery.encrypted = true;
    }
    return { ...delivery, content: String(reply.Content ?? ''), toUser: reply.ToUserName, fromUser: reply.FromUserName };
  }
}

/** A random account: token, AppID and a valid 43-character EncodingAESKey. */
export function randomWechatAccount(): WechatAccount {
  return {
    token: `tok${randomBytes(6).toString('hex')}`,
    appId: `wx${randomBytes(8).toString('hex')}`,
    encodingAesKey: randomBytes(32).toString('base64').replace(/=+$/, ''),
  };
}
