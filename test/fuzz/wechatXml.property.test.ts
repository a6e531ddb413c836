import fc from 'fast-check';
import {
  MAX_WECHAT_XML_BYTES,
  WechatXmlError,
  buildEncryptedReply,
  buildTextReply,
  parseInbound,
  parseWechatXml,
} from '../../adapters/wechat/wechatXml';
import { xmlOf } from '../helpers/wechatUser';
import { HOSTILE_PIECES, mixedText, unicodeText, utf16Text, xmlCharText } from './arbitraries';

/** What buildTextReply keeps of a text: XML 1.0 cannot carry the rest even inside CDATA. */
const NON_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/**
 * What any XML reader gives back of a text that was sent: characters XML 1.0 cannot carry even
 * inside CDATA are dropped by buildTextReply, and line ends are normalised to \n by the reader
 * (XML 1.0 §2.11, CDATA included; WeChat's own reader does the same).
 */
const carried = (text: string): string => lineEnds(text.replace(NON_XML, ''));
const lineEnds = (text: string): string => text.replace(/\r\n?/g, '\n');

/** Runs the parser; a WechatXmlError is an answer, anything else thrown is a bug. */
function outcome(xml: string): { fields: Record<string, string> } | { refused: string } {
  try {
    return { fields: parseWechatXml(xml) };
  } catch (error) {
    if (error instanceof WechatXmlError) return { refused: error.reason };
    throw error;
  }
}

/** Pieces of XML, well-formed or not, for bodies that are almost a WeChat push. */
const xmlPiece = fc.oneof(
  fc.constantFrom(
    '<xml>',
    '</xml>',
    '<Content>',
    '</Content>',
    '<MsgType>text</MsgType>',
    '<ToUserName><![CDATA[gh_1]]></ToUserName>',
    '<FromUserName>o1</FromUserName>',
    '<CreateTime>1714037059</CreateTime>',
    '<MsgId>24000000000000000</MsgId>',
    '<a/>',
    '<a>',
    '</a>',
    '<![CDATA[',
    '<!-- c -->',
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<?pi x?>',
    '<__proto__>',
    '</__proto__>',
    '<constructor>1</constructor>',
    '&#1114112;',
    '&#xD800;',
    '&#65;',
    ' a="1"',
  ),
  fc.constantFrom(...HOSTILE_PIECES),
  unicodeText(6),
);
const almostXml = fc.array(xmlPiece, { maxLength: 30 }).map((pieces) => pieces.join(''));

/** A syntactically valid push with random element names and values (names from XML's name rules, roughly). */
const elementName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/);
const wellFormedPush = fc
  .uniqueArray(fc.tuple(elementName, xmlCharText(40), fc.boolean()), { selector: ([name]) => name, maxLength: 8 })
  .map((elements) => ({
    elements,
    xml: `<xml>${elements.map(([name, value, inCdata]) => `<${name}>${inCdata ? cdataOf(value) : escaped(value)}</${name}>`).join('')}</xml>`,
  }));

function cdataOf(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function escaped(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** XML whitespace only (not U+3000 or NBSP): what the parser trims outside CDATA. */
const xmlTrimmed = (value: string): string => value.replace(/^[ \t\r\n]+/, '').replace(/[ \t\r\n]+$/, '');

describe('parseWechatXml on any input', () => {
  test('returns string fields or refuses with WechatXmlError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(almostXml, utf16Text(200), mixedText(20)), (xml) => {
        const result = outcome(xml);
        if ('fields' in result) {
          for (const value of Object.values(result.fields)) expect(typeof value).toBe('string');
          // What the parser accepts, parseInbound reads or refuses with the same error type.
          try {
            parseInbound(result.fields);
          } catch (error) {
            if (!(error instanceof WechatXmlError)) throw error;
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  test('a DOCTYPE or ENTITY declaration anywhere, in any case, is refused before parsing', () => {
    const declaration = fc.mixedCase(fc.constantFrom('<!DOCTYPE', '<!ENTITY'));
    fc.assert(
      fc.property(almostXml, declaration, fc.nat(), (xml, decl, at) => {
        const cut = at % (xml.length + 1);
        const hostile = `${xml.slice(0, cut)}${decl} x SYSTEM "file:///etc/passwd">${xml.slice(cut)}`;
        expect(outcome(hostile)).toEqual({ refused: 'forbiddenDtd' });
      }),
      { numRuns: 200 },
    );
  });

  test('an unknown entity reference is never expanded: it stays the literal text', () => {
    const entityName = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/).filter((name) => !['amp', 'lt', 'gt', 'quot', 'apos'].includes(name));
    fc.assert(
      fc.property(entityName, (name) => {
        const result = outcome(`<xml><Content>a&${name};b</Content></xml>`);
        // Either refused as malformed, or read as the very characters sent; never a substitution.
        if ('fields' in result) expect(result.fields.Content).toBe(`a&${name};b`);
        else expect(result.refused).toBe('malformed');
      }),
      { numRuns: 100 },
    );
  });

  test('anything over the size limit is refused as tooLarge, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.oneof(almostXml, unicodeText(50)).filter((chunk) => chunk.length > 0),
        fc.nat({ max: 2000 }),
        (chunk, extra) => {
          const needed = Math.ceil((MAX_WECHAT_XML_BYTES + 1 + extra) / Buffer.byteLength(chunk));
          const huge = chunk.repeat(needed);
          expect(outcome(huge)).toEqual({ refused: 'tooLarge' });
        },
      ),
      { numRuns: 30 },
    );
  });

  test('deep nesting inside <xml> is read or refused, never a stack overflow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6000 }), (depth) => {
        const xml = `<xml><ToUserName>a</ToUserName>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</xml>`;
        const result = outcome(xml);
        if ('fields' in result) expect(result.fields.ToUserName).toBe('a');
      }),
      { numRuns: 20 },
    );
  });
});

describe('parseWechatXml on well-formed pushes', () => {
  test('every element comes back with its text: CDATA verbatim, escaped text decoded and trimmed of XML whitespace', () => {
    fc.assert(
      fc.property(wellFormedPush, ({ elements, xml }) => {
        const result = outcome(xml);
        expect(result).toHaveProperty('fields');
        const fields = (result as { fields: Record<string, string> }).fields;
        expect(Object.keys(fields).sort()).toEqual(elements.map(([name]) => name).sort());
        for (const [name, value, inCdata] of elements) expect(fields[name]).toBe(inCdata ? lineEnds(value) : xmlTrimmed(lineEnds(value)));
      }),
      { numRuns: 300 },
    );
  });

  test('an element given twice is refused as duplicateElement', () => {
    fc.assert(
      fc.property(elementName, xmlCharText(10), xmlCharText(10), (name, first, second) => {
        const xml = `<xml><${name}>${cdataOf(first)}</${name}><${name}>${cdataOf(second)}</${name}></xml>`;
        expect(outcome(xml)).toEqual({ refused: 'duplicateElement' });
      }),
      { numRuns: 100 },
    );
  });

  test('a text push as WeChat builds it is read back exactly (MsgId stays the same digits)', () => {
    fc.assert(
      fc.property(
        xmlCharText(30).filter((id) => id !== ''),
        xmlCharText(30).filter((id) => id !== ''),
        xmlCharText(300),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (toUser, fromUser, content, msgId) => {
          const xml = xmlOf({
            ToUserName: toUser,
            FromUserName: fromUser,
            CreateTime: '1714037059',
            MsgType: 'text',
            Content: content,
            MsgId: msgId.toString(),
          });
          expect(parseInbound(parseWechatXml(xml))).toEqual({
            kind: 'text',
            toUser: lineEnds(toUser),
            fromUser: lineEnds(fromUser),
            createTime: '1714037059',
            content: lineEnds(content),
            msgId: msgId.toString(),
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('buildTextReply → parseWechatXml', () => {
  test('any content survives the round trip: CDATA ends, emoji, Chinese; only characters XML cannot carry are dropped', () => {
    fc.assert(
      fc.property(
        utf16Text(30),
        utf16Text(30),
        fc.oneof(mixedText(30), utf16Text(300)),
        fc.nat({ max: 2 ** 32 }),
        (toUser, fromUser, content, createTime) => {
          const xml = buildTextReply({ toUser, fromUser, createTime, content });
          expect(parseWechatXml(xml)).toEqual({
            ToUserName: carried(toUser),
            FromUserName: carried(fromUser),
            CreateTime: String(createTime),
            MsgType: 'text',
            Content: carried(content),
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a content that needs many CDATA splits still reads back whole', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(']]>', ']', '>', ']]', 'a', '中'), { maxLength: 200 }), (pieces) => {
        const content = pieces.join('');
        const fields = parseWechatXml(buildTextReply({ toUser: 'o1', fromUser: 'gh_1', createTime: 1, content }));
        expect(fields.Content).toBe(content);
      }),
      { numRuns: 200 },
    );
  });

  test('an unusable createTime is refused before anything is built', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double().filter((n) => !Number.isSafeInteger(n) || n < 0),
          fc.integer({ max: -1 }),
        ),
        (createTime) => {
          expect(() => buildTextReply({ toUser: 'o1', fromUser: 'gh_1', createTime, content: 'x' })).toThrow(RangeError);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('buildEncryptedReply → parseWechatXml', () => {
  test('the envelope reads back as sent', () => {
    const base64ish = fc.stringMatching(/^[A-Za-z0-9+/]{0,200}={0,2}$/);
    fc.assert(
      fc.property(
        base64ish,
        fc.stringMatching(/^[0-9a-f]{40}$/),
        fc.stringMatching(/^\d{1,12}$/),
        utf16Text(20),
        (encrypt, msgSignature, timestamp, nonce) => {
          const fields = parseWechatXml(buildEncryptedReply({ encrypt, msgSignature, timestamp, nonce }));
          expect(fields).toEqual({ Encrypt: encrypt, MsgSignature: msgSignature, TimeStamp: timestamp, Nonce: carried(nonce) });
        },
      ),
      { numRuns: 200 },
    );
  });
});
