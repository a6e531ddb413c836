import { chineseTokenizer, matchChoice } from '../../dialogs/choices';

describe('Chinese choices', () => {
  test('every Han character is a token, Latin words stay whole', () => {
    expect(chineseTokenizer('预约维修 X20 Pro').map((t) => t.text)).toEqual(['预', '约', '维', '修', 'X20', 'Pro']);
  });

  test.each([
    ['预约', ['预约维修', '查询进度'], '预约维修'],
    ['送修', ['上门维修', '送修到服务网点', '寄修'], '送修到服务网点'],
    ['寄修吧', ['上门维修', '送修到服务网点', '寄修'], '寄修'],
    ['上门', ['上门维修', '送修到服务网点'], '上门维修'],
    ['2', ['上门维修', '送修到服务网点', '寄修'], '送修到服务网点'],
    ['第三个', ['上门维修', '送修到服务网点', '寄修'], '寄修'],
    ['确认', ['确认提交', '修改信息'], '确认提交'],
    ['修改', ['确认提交', '修改信息'], '修改信息'],
    ['郊区', ['市区', '郊区'], '郊区'],
    ['Mail-in', ['On-site visit', 'Carry-in to a service point', 'Mail-in'], 'Mail-in'],
  ])('%s picks %s', (answer, options, expected) => {
    expect(matchChoice(answer, options)).toBe(expected);
  });

  test.each([
    ['天气不错', ['上门维修', '寄修']],
    ['9', ['上门维修', '寄修']],
  ])('%s picks nothing', (answer, options) => {
    expect(matchChoice(answer, options)).toBeUndefined();
  });
});

describe('createChoicePrompt', () => {
  // A ChoicePrompt as every dialog gets it, in a tiny dialog: ask, then echo the choice.
  async function run(style: 'buttons' | 'inline', answer: string): Promise<string[]> {
    const { ConversationState, MemoryStorage, TestAdapter } = await import('botbuilder');
    const { DialogSet, ListStyle, WaterfallDialog } = await import('botbuilder-dialogs');
    const { createChoicePrompt } = await import('../../dialogs/choices');
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty('dialogs'));
    const prompt = createChoicePrompt('choice');
    if (style === 'inline') prompt.style = ListStyle.inline;
    dialogs.add(prompt);
    dialogs.add(
      new WaterfallDialog('ask', [
        async (step) => step.prompt('choice', { prompt: '请选择服务方式', choices: ['上门维修', '送修到服务网点', '寄修'] }),
        async (step) => {
          await step.context.sendActivity(`选了：${(step.result as { value: string }).value}`);
          return step.endDialog();
        },
      ]),
    );
    const replies: string[] = [];
    const adapter = new TestAdapter(async (context) => {
      const dc = await dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === 'empty') await dc.beginDialog('ask');
      await state.saveChanges(context);
    });
    adapter.locale = 'zh-cn';
    await adapter.send('你好').startTest();
    replies.push(...adapter.activeQueue.splice(0).map((a) => a.text ?? ''));
    await adapter.send(answer).startTest();
    replies.push(...adapter.activeQueue.splice(0).map((a) => a.text ?? ''));
    return replies;
  }

  test('reads naturally in Chinese when the choices are written inline', async () => {
    const [question] = await run('inline', '1');
    expect(question).toBe('请选择服务方式 (1) 上门维修、(2) 送修到服务网点、或 (3) 寄修');
  });

  test('understands part of a Chinese choice', async () => {
    const replies = await run('buttons', '送修');
    expect(replies.at(-1)).toBe('选了：送修到服务网点');
  });
});
