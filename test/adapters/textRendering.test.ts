import { ActivityTypes, CardFactory, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import { renderAsText, splitText } from '../../adapters/textRendering';

const WECHAT = { maxBytes: 2048 };

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A piece cut inside a surrogate pair would not survive a UTF-8 round trip. */
function isWholeUtf8(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

function expectWithin(pieces: string[], maxBytes: number): void {
  for (const piece of pieces) {
    expect(bytes(piece)).toBeLessThanOrEqual(maxBytes);
    expect(isWholeUtf8(piece)).toBe(true);
  }
}

function withoutWhitespace(text: string): string {
  return text.replace(/\s+/g, '');
}

describe('renderAsText', () => {
  test('a menu of suggested actions becomes numbered text, and its options are returned', () => {
    const menu = MessageFactory.suggestedActions(['报修', '保修查询', '工单进度'], '您好，请问需要什么帮助？');
    expect(renderAsText([menu], WECHAT)).toEqual({
      messages: ['您好，请问需要什么帮助？\n\n请回复数字选择：\n1. 报修\n2. 保修查询\n3. 工单进度'],
      choices: [
        { title: '报修', text: '报修' },
        { title: '保修查询', text: '保修查询' },
        { title: '工单进度', text: '工单进度' },
      ],
    });
  });

  test('the hint is English for an English customer', () => {
    const menu = MessageFactory.suggestedActions(['Repair', 'Warranty'], 'How can I help?');
    expect(renderAsText([menu], { ...WECHAT, locale: 'en-US' }).messages).toEqual([
      'How can I help?\n\nReply with a number:\n1. Repair\n2. Warranty',
    ]);
    expect(renderAsText([menu], { ...WECHAT, locale: 'zh-CN' }).messages[0]).toContain('请回复数字选择：');
  });

  test('several replies of a turn are one message, so a message budget is not spent on each', () => {
    const turn: Partial<Activity>[] = [
      MessageFactory.text('已为您登记报修。'),
      { type: ActivityTypes.Typing },
      MessageFactory.text('工单号：**T20240001**'),
      MessageFactory.suggestedActions(['查询进度', '返回菜单'], '还需要什么帮助吗？'),
    ];
    expect(renderAsText(turn, WECHAT).messages).toEqual([
      '已为您登记报修。\n\n工单号：**T20240001**\n\n还需要什么帮助吗？\n\n请回复数字选择：\n1. 查询进度\n2. 返回菜单',
    ]);
  });

  test('activities that are not messages are skipped; nothing to say is no message', () => {
    const others: Partial<Activity>[] = [
      { type: ActivityTypes.Typing },
      { type: 'delay', value: 500 },
      { type: ActivityTypes.Event, name: 'ticketCreated', text: 'internal' },
      { type: ActivityTypes.Trace, text: 'trace' },
      { type: ActivityTypes.EndOfConversation, text: 'bye' },
    ];
    expect(renderAsText(others, WECHAT)).toEqual({ messages: [], choices: [] });
    expect(renderAsText([], WECHAT)).toEqual({ messages: [], choices: [] });
    expect(renderAsText([...others, MessageFactory.text('好的')], WECHAT).messages).toEqual(['好的']);
  });

  test('a hero card gives its words as text and its buttons as options', () => {
    const card = CardFactory.heroCard('X200 扫地机', '电池不充电怎么办', [], [
      '查看排查步骤',
      { type: 'postBack', title: '预约上门', value: { action: 'book', modelId: 'X200' } },
      { type: 'openUrl', title: '说明书', value: 'https://example.com/x200.pdf' },
    ] as (string | CardAction)[]);
    const rendered = renderAsText([MessageFactory.attachment(card, '为您找到：')], WECHAT);
    expect(rendered.messages).toEqual([
      '为您找到：\n\nX200 扫地机\n电池不充电怎么办\n\n说明书：https://example.com/x200.pdf\n\n请回复数字选择：\n1. 查看排查步骤\n2. 预约上门',
    ]);
    expect(rendered.choices).toEqual([
      { title: '查看排查步骤', text: '查看排查步骤' },
      { title: '预约上门', text: '预约上门', value: { action: 'book', modelId: 'X200' } },
    ]);
  });

  test('a thumbnail card renders like a hero card, subtitle included', () => {
    const card = CardFactory.thumbnailCard('工单 T1', [], ['评价'], { subtitle: '已完成', text: '感谢您的耐心' });
    expect(renderAsText([MessageFactory.attachment(card)], WECHAT).messages).toEqual([
      '工单 T1\n已完成\n感谢您的耐心\n\n请回复数字选择：\n1. 评价',
    ]);
  });

  test.each<[string, CardAction, { title: string; text: string; value?: unknown } | undefined]>([
    ['imBack sends its value', { type: 'imBack', title: '是的', value: '是' }, { title: '是的', text: '是' }],
    ['postBack with a string sends it', { type: 'postBack', title: '否', value: 'no' }, { title: '否', text: 'no' }],
    [
      'postBack with an object keeps it',
      { type: 'postBack', title: '确认', value: { ok: true } },
      { title: '确认', text: '确认', value: { ok: true } },
    ],
    [
      'messageBack sends its text and keeps its value',
      { type: 'messageBack', title: '评 5 星', text: '5星', value: { stars: 5 } },
      { title: '评 5 星', text: '5星', value: { stars: 5 } },
    ],
    [
      'messageBack without text sends the title',
      { type: 'messageBack', title: '好评', value: { stars: 5 } },
      { title: '好评', text: '好评', value: { stars: 5 } },
    ],
    ['openUrl is no option', { type: 'openUrl', title: '官网', value: 'https://example.com' }, undefined],
    ['call is no option', { type: 'call', title: '客服热线', value: 'tel:4001234567' }, undefined],
  ])('suggested action: %s', (_name, action, expected) => {
    const activity: Partial<Activity> = { type: 'message', text: '请选择', suggestedActions: { to: [], actions: [action] } };
    const rendered = renderAsText([activity], WECHAT);
    expect(rendered.choices).toEqual(expected ? [expected] : []);
    if (!expected) expect(rendered.messages[0]).toContain(`${action.title}：${String(action.value)}`);
  });

  test('suggested actions of an earlier message are gone once another message follows', () => {
    const turn = [MessageFactory.suggestedActions(['旧选项'], '第一条'), MessageFactory.text('第二条')];
    expect(renderAsText(turn, WECHAT)).toEqual({ messages: ['第一条\n\n第二条'], choices: [] });
  });

  test('the same option offered by a card and by suggested actions gets one number', () => {
    const card = CardFactory.heroCard('工单 T1', undefined, ['返回菜单']);
    const turn = [MessageFactory.attachment(card), MessageFactory.suggestedActions(['返回菜单', '人工客服'], '还有别的吗？')];
    expect(renderAsText(turn, WECHAT).choices.map((c) => c.title)).toEqual(['返回菜单', '人工客服']);
  });

  test.each<[string, { contentType: string; contentUrl?: string; name?: string }, string | undefined]>([
    [
      'an image with a name and link',
      { contentType: 'image/png', name: '接线图.png', contentUrl: 'https://cdn.example.com/a.png' },
      '[图片] 接线图.png https://cdn.example.com/a.png',
    ],
    [
      'a file with only a link',
      { contentType: 'application/pdf', contentUrl: 'https://cdn.example.com/m.pdf' },
      '[附件] https://cdn.example.com/m.pdf',
    ],
    ['an inline image without a name', { contentType: 'image/png', contentUrl: 'data:image/png;base64,iVBORw0KGgo=' }, undefined],
    ['an adaptive card', { contentType: 'application/vnd.microsoft.card.adaptive' }, undefined],
  ])('other attachments: %s', (_name, attachment, line) => {
    const rendered = renderAsText([{ type: 'message', text: '请看：', attachments: [attachment] }], WECHAT);
    expect(rendered.messages).toEqual([line ? `请看：\n\n${line}` : '请看：']);
  });

  test('English attachment labels for English customers', () => {
    const activity: Partial<Activity> = { type: 'message', attachments: [{ contentType: 'image/jpeg', name: 'label.jpg' }] };
    expect(renderAsText([activity], { ...WECHAT, locale: 'en' }).messages).toEqual(['[Image] label.jpg']);
  });

  test('options without any text still come with the hint', () => {
    const activity = MessageFactory.suggestedActions(['是', '否']);
    expect(renderAsText([activity], WECHAT).messages).toEqual(['请回复数字选择：\n1. 是\n2. 否']);
  });

  describe('a long turn and its numbered list', () => {
    const sentence = '这是一段比较长的售后说明文字。'; // 15 characters, 45 bytes
    const menu = (body: string) => MessageFactory.suggestedActions(['报修', '保修查询'], body);
    const list = '请回复数字选择：\n1. 报修\n2. 保修查询';

    test('the list is appended to the last piece when it fits there', () => {
      const { messages } = renderAsText([menu(sentence.repeat(6))], { maxBytes: 200 });
      expectWithin(messages, 200);
      expect(messages.length).toBe(2);
      expect(messages[1].endsWith(`\n\n${list}`)).toBe(true);
      expect(messages.slice(0, -1).some((m) => m.includes('请回复'))).toBe(false);
    });

    test('the list is a message of its own when the last piece has no room for it', () => {
      // 180 bytes of text leave room for the hint line, but not for the whole list.
      const { messages } = renderAsText([menu(sentence.repeat(4))], { maxBytes: 210 });
      expectWithin(messages, 210);
      expect(messages).toEqual([sentence.repeat(4), list]);
    });

    test('a list too long for one message is still cut within the limit', () => {
      const titles = Array.from({ length: 30 }, (_, i) => `第${i + 1}种故障现象`);
      const { messages, choices } = renderAsText([MessageFactory.suggestedActions(titles, '请选择：')], { maxBytes: 120 });
      expect(choices).toHaveLength(30);
      expectWithin(messages, 120);
      expect(messages.join('\n')).toContain('30. 第30种故障现象');
    });
  });
});

describe('splitText', () => {
  test('a text within the limit is left as it is', () => {
    const text = '您好！\n您的工单已受理。';
    expect(splitText(text, bytes(text))).toEqual([text]);
    expect(splitText('', 100)).toEqual([]);
  });

  test.each([
    ['Chinese (3 bytes a character)', '请先关闭电源。等待十秒后重新开机！如果仍然不行，请联系我们；我们会尽快处理。', 30],
    ['emoji (4 bytes, surrogate pairs)', '😀😃😄😁。😆😅😂🤣！🥲☺️😊😇？🙂🙃😉😌😍🥰😘😗😙😚', 10],
    ['English', 'Turn it off. Wait ten seconds. Turn it on again!\nStill broken? Call us.', 20],
  ])('%s: every piece is within the limit and nothing is lost', (_name, text, maxBytes) => {
    const pieces = splitText(text, maxBytes);
    expect(pieces.length).toBeGreaterThan(1);
    expectWithin(pieces, maxBytes);
    expect(withoutWhitespace(pieces.join(''))).toBe(withoutWhitespace(text));
  });

  test('pieces end where sentences end, even when a blind cut would pack more', () => {
    const text = '第一句话比较短。第二句话也不长！第三句话在这里？第四句；';
    const pieces = splitText(text, 40); // two sentences are 48 bytes: one per message
    expect(pieces).toEqual(['第一句话比较短。', '第二句话也不长！', '第三句话在这里？第四句；']);
  });

  test('line breaks and ". " are sentence ends, but not the dot in a number', () => {
    expect(splitText('Version 3.5 is out. Update now please\nthanks', 20)).toEqual(['Version 3.5 is out.', 'Update now please', 'thanks']);
  });

  test('short sentences share a message', () => {
    expect(splitText('一。二。三。四。五。六。', 12)).toEqual(['一。二。', '三。四。', '五。六。']);
  });

  test('a 10,000-character text without punctuation is cut within the limit and re-joins to the original', () => {
    const alphabet = ['售', '后', 'a', '😀', '服', 'Z', '务', '🔧'];
    const text = Array.from({ length: 10_000 }, (_, i) => alphabet[(i * 7 + (i >> 3)) % alphabet.length]).join('');
    expect(Array.from(text)).toHaveLength(10_000);
    const pieces = splitText(text, 2048);
    expectWithin(pieces, 2048);
    expect(pieces.join('')).toBe(text);
    // Full pieces: each is less than one character (4 bytes) short of the limit.
    expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(bytes(text) / 2048));
    expect(pieces.length).toBeLessThanOrEqual(Math.ceil(bytes(text) / 2045));
  });

  test('a single overlong sentence is hard-cut, starting in the room the message before it left', () => {
    const text = `开头。${'这'.repeat(50)}。结尾。`; // 57 characters, 171 bytes: three messages of 60 bytes
    const pieces = splitText(text, 60);
    expectWithin(pieces, 60);
    expect(pieces).toEqual([`开头。${'这'.repeat(17)}`, '这'.repeat(20), `${'这'.repeat(13)}。结尾。`]);
  });

  test('an overlong sentence is cut after a sentence end or a space when one is near the end', () => {
    expect(splitText('please keep the receipt and the serial number ready', 20)).toEqual([
      'please keep the',
      'receipt and the',
      'serial number ready',
    ]);
    expect(splitText(`Hi there, dear customer. ${'x'.repeat(31)}`, 30)).toEqual(['Hi there, dear customer.', 'x'.repeat(30), 'x']);
  });

  test('an emoji made of several characters is not torn apart when it fits', () => {
    const family = '👨‍👩‍👧'; // 18 bytes: man, ZWJ, woman, ZWJ, girl
    const pieces = splitText(family.repeat(5), 40);
    expect(pieces).toEqual([family.repeat(2), family.repeat(2), family]);
  });

  test('a limit below one UTF-8 character is refused', () => {
    expect(() => splitText('abc', 3)).toThrow(RangeError);
    expect(() => renderAsText([MessageFactory.text('abc')], { maxBytes: 0 })).toThrow(RangeError);
  });
});
