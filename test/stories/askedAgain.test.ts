import { knowledgeTextsFor } from '../../dialogs/knowledgeTexts';
import { peopleTextsFor } from '../../dialogs/peopleTexts';
import { serviceTextsFor } from '../../dialogs/serviceTexts';
import { MENU_INTENTS, textsFor } from '../../dialogs/texts';
import { asksFor, findAskedAgain, type Exchange } from '../../scripts/stories/askedAgain';
import type { BotReply } from '../../scripts/stories/storyChannels';
import type { Fact } from '../../scripts/stories/storyFile';

const reply = (texts: string[], buttons: string[] = []): BotReply => ({
  status: 200,
  messages: texts.map((text) => ({ text })),
  buttons: buttons.map((label) => ({ label, sends: label })),
});
const exchange = (said: string, texts: string[], options: { gives?: Fact[]; buttons?: string[] } = {}): Exchange => ({
  said,
  gives: options.gives ?? [],
  reply: reply(texts, options.buttons),
});

describe('the bot asking for a fact, in the catalogues’ own words', () => {
  const zh = serviceTextsFor('zh-CN');
  const en = serviceTextsFor('en');
  test.each<[Fact, string]>([
    ['phone', zh.askPhone],
    ['phone', en.askPhone],
    ['phone', peopleTextsFor('zh-CN').callbackAskPhone],
    ['serial', zh.askProduct],
    ['serial', en.askProduct],
    ['serial', zh.warrantyAsk],
    ['model', zh.pickModel('手机')],
    ['model', en.pickModel('phone')],
    ['name', zh.askName],
    ['name', en.askName],
    ['address', zh.askAddress('mailIn')],
    ['address', en.askAddress('onsite')],
    ['symptom', zh.askSymptom],
    ['symptom', en.askSymptom],
    ['symptom', knowledgeTextsFor('zh-CN').askSymptom],
    ['purchaseDate', zh.askPurchaseDate],
    ['purchaseDate', en.askPurchaseDate],
    ['damage', zh.askDamage],
    ['damage', en.askDamage],
    ['ticketId', zh.ticketAskId],
    ['ticketId', en.ticketAskId],
  ])('%s: %s', (fact, text) => {
    expect(asksFor(fact, text)).toBe(true);
  });

  test('showing a value back or listing it in the summary is not asking for it', () => {
    const summary = zh.confirmSummary([zh.summaryLine(zh.summary.phone, '138****8000'), zh.summaryLine(zh.summary.serial, 'PH26P7014547')]);
    expect(asksFor('phone', summary)).toBe(false);
    expect(asksFor('serial', summary)).toBe(false);
    expect(asksFor('phone', en.confirmSummary([en.summaryLine(en.summary.phone, '138****8000')]))).toBe(false);
    expect(asksFor('phone', peopleTextsFor('zh-CN').callbackConfirmPhone('138****8000'))).toBe(false);
    // The last four digits prove whose ticket it is: another question than the phone number.
    expect(asksFor('phone', zh.ticketAskPhone4)).toBe(false);
    expect(asksFor('name', zh.askPhone)).toBe(false);
    expect(asksFor('serial', zh.askSymptom)).toBe(false);
  });
});

describe('findAskedAgain', () => {
  const zh = serviceTextsFor('zh-CN');

  test('the same prompt a third time is asking again; twice is not', () => {
    const twice = [exchange('报修', [zh.askProduct]), exchange('不知道', [zh.productNotFound, zh.askProduct])];
    expect(findAskedAgain(twice)).toEqual([]);
    const thrice = [...twice, exchange('真不知道', [zh.productNotFound, zh.askProduct])];
    expect(findAskedAgain(thrice)).toEqual([expect.objectContaining({ kind: 'repeated', turn: 3 })]);
  });

  test('prompts compare without spaces and punctuation, but step numbers differ', () => {
    const steps = ['第1步：请重启。\n好了吗？', '第2步：请重启。 好了吗？', '第3步：请重启，好了吗'];
    expect(findAskedAgain(steps.map((text) => exchange('没好', [text])))).toEqual([]);
    const same = ['第1步：请重启。\n好了吗？', '第1步：请重启。 好了吗？', '第1步 请重启 好了吗'];
    expect(findAskedAgain(same.map((text) => exchange('没好', [text])))).toHaveLength(1);
  });

  test('the main menu after each finished task is not a repeated prompt', () => {
    const menu = MENU_INTENTS.map((intent) => textsFor('zh-CN').menu[intent]);
    const tasks = ['查保修', '查工单', '评价'].map((said) => exchange(said, ['好的。', textsFor('zh-CN').menuAgain], { buttons: menu }));
    expect(findAskedAgain(tasks)).toEqual([]);
  });

  test('有帮助吗 after three different answers is three questions', () => {
    const helpful = knowledgeTextsFor('zh-CN').faqHelpful;
    const answers = ['截屏：同时按电源键和音量减键', '深色模式：设置-显示', '热点：设置-个人热点'].map((answer) =>
      exchange('问', [answer, helpful]),
    );
    expect(findAskedAgain(answers)).toEqual([]);
  });

  test('a fact the customer gave is not asked for from that turn on', () => {
    const exchanges = [
      exchange('报修，X20 Pro 充不进电，电话13800138000', [zh.askDamage], { gives: ['model', 'symptom', 'phone'] }),
      exchange('没有', [zh.askServiceMode]),
      exchange('送修', [zh.askName]),
      exchange('王先生', [zh.askPhone]),
    ];
    expect(findAskedAgain(exchanges)).toEqual([{ kind: 'givenFact', turn: 4, detail: expect.stringContaining('phone, given in turn 1') }]);
    // Asked before it was given: an ordinary question.
    expect(findAskedAgain([exchange('报修', [zh.askPhone]), exchange('13800138000', [zh.askName], { gives: ['phone'] })])).toEqual([]);
  });
});
