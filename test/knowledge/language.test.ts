import { detectLanguage } from '../../knowledge';

describe('detectLanguage: a conversation changes language only on a clear sentence', () => {
  test.each<[string, string, 'zh-CN' | 'en' | undefined]>([
    // Chinese is Chinese, with or without Latin words inside.
    ['a Chinese sentence', '我的手机充不进电了', 'zh-CN'],
    ['Chinese with an English word', '我的phone坏了', 'zh-CN'],
    ['Chinese with a model name', 'X30 Ultra 屏幕不亮了', 'zh-CN'],
    ['a single Chinese word', '好', 'zh-CN'],
    ['English with a mixed-in Chinese word', 'My phone is broken, I bought it at 京东', 'en'],
    // Clear English sentences and the few one-word messages that can only be English.
    ['an English sentence', 'Hello, my phone is broken', 'en'],
    ['two English words', 'Report a fault', 'en'],
    ['an English request for a person', 'I want to talk to a human', 'en'],
    ['one-word English help', 'help', 'en'],
    ['one-word English thanks', 'thanks', 'en'],
    ['never mind', 'never mind', 'en'],
    // Nothing that tells: the conversation keeps its language.
    ['a model name', 'X30 Ultra', undefined],
    ['another model name', 'X20 Pro', undefined],
    ['a laptop model', 'Book 16 Pro', undefined],
    ['a tablet model', 'Pad Mini', undefined],
    ['a tech word', 'Wi-Fi', undefined],
    ['tech words', 'USB Type-C HDMI', undefined],
    ['ok', 'ok', undefined],
    ['OK with punctuation', 'OK!!', undefined],
    ['ok ok', 'ok ok', undefined],
    ['a number', '3', undefined],
    ['a phone number', '13800138000', undefined],
    ['a serial', 'PH26P7014547', undefined],
    ['an earbuds serial', 'EB26AX56492', undefined],
    ['a ticket number', 'S261122-0042', undefined],
    ['a Taobao order number', '3521 8745 6634 1207 58', undefined],
    ['emoji', '👍👍', undefined],
    ['question marks', '？？？', undefined],
    ['keyboard mashing', 'asdfgh', undefined],
    ['two mashed words', 'asdf qwer', undefined],
    ['pinyin', 'ni hao', undefined],
    ['a brand', 'iPhone', undefined],
    ['a name', 'Li Lei', undefined],
    ['a link', 'https://example.com/order/123', undefined],
  ])('%s: "%s" → %s', (_what, text, locale) => {
    expect(detectLanguage(text)).toBe(locale);
  });
});
