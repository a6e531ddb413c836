import { asksAQuestion, asksForRepair, asksForSomethingElse, readStepAnswer, type StepReading } from '../../knowledge/guideAnswers';
import { loadManual } from '../../knowledge/manual';
import type { GuideStep } from '../../knowledge/manualTypes';

const manual = loadManual();
const steps = manual.guides.flatMap((guide) => guide.steps.map((step) => ({ step, name: `${guide.id}/${step.id}` })));
const stepById = (id: string): GuideStep => steps.find(({ step }) => step.id === id)?.step as GuideStep;
const zh = { locale: 'zh-CN' as const, dontKnowButtons: ['不会操作', "I don't know how"] };
const en = { locale: 'en' as const, dontKnowButtons: ["I don't know how", '不会操作'] };

/** Steps that ask whether the fix helped: their first answer is the good one, their last the bad one. */
const helpedSteps = steps.filter(
  ({ step }) => step.branches[0].outcome === 'good' && step.branches[step.branches.length - 1].outcome === 'bad',
);

const first = (_step: GuideStep): StepReading => ({ kind: 'branch', index: 0, by: 'words' });
const last = (step: GuideStep): StepReading => ({ kind: 'branch', index: step.branches.length - 1, by: 'words' });

describe('readStepAnswer on every step of the shipped guides', () => {
  test.each(steps)('$name: every button, and its number, is its own branch in both languages', ({ step }) => {
    step.branches.forEach((branch, index) => {
      const button: StepReading = { kind: 'branch', index, by: 'button' };
      expect({ label: branch.answer, reading: readStepAnswer(branch.answer, step, zh) }).toEqual({ label: branch.answer, reading: button });
      expect({ label: branch.en?.answer, reading: readStepAnswer(branch.en?.answer ?? '', step, en) }).toEqual({
        label: branch.en?.answer,
        reading: button,
      });
      expect(readStepAnswer(String(index + 1), step, zh)).toEqual(button);
    });
    expect(readStepAnswer(String(step.branches.length + 1), step, zh)).toEqual({ kind: 'dontKnow' });
    expect(readStepAnswer('不会操作', step, zh)).toEqual({ kind: 'dontKnow' });
    expect(readStepAnswer("I don't know how", step, en)).toEqual({ kind: 'dontKnow' });
  });

  // The finding: 还是不行 (and every reply with a 不) was read as the 不会操作 button.
  test.each(steps)('$name: no reply that says it did not help is read as 不会操作', ({ step }) => {
    for (const reply of [
      '还是不行',
      '不行',
      '不亮',
      '还是不亮',
      '连不上',
      '不掉了',
      '还是开不了',
      '不好使',
      'still not working',
      "doesn't work",
    ]) {
      expect({ reply, reading: readStepAnswer(reply, step, zh).kind }).not.toEqual({ reply, reading: 'dontKnow' });
    }
  });

  test.each(helpedSteps)("$name: helped / did not help in the customer's own words pick the good and the bad answer", ({ step }) => {
    // A reply that is one of the step's own buttons (好了, 还是不行 on the router's steps) is read as that button.
    const indexOf = (reading: StepReading): number | string => (reading.kind === 'branch' ? reading.index : reading.kind);
    for (const reply of ['好了', '可以了', '好了，谢谢', '搞定了', '嗯，可以了'])
      expect({ reply, index: indexOf(readStepAnswer(reply, step, zh)) }).toEqual({ reply, index: 0 });
    for (const reply of [
      '还是不行',
      '不行',
      '没反应',
      '没用',
      '一样',
      '还是老样子',
      '试了，还是不行啊',
      '没好',
      '没什么效果',
      '不知道为什么还是不行',
    ]) {
      expect({ reply, index: indexOf(readStepAnswer(reply, step, zh)) }).toEqual({ reply, index: step.branches.length - 1 });
    }
    for (const reply of ['fixed', 'it worked', 'solved, thanks'])
      expect({ reply, index: indexOf(readStepAnswer(reply, step, en)) }).toEqual({ reply, index: 0 });
    for (const reply of ['still not working', "doesn't work", 'no luck, same as before', "didn't help"]) {
      expect({ reply, index: indexOf(readStepAnswer(reply, step, en)) }).toEqual({ reply, index: step.branches.length - 1 });
    }
  });

  test.each(steps)('$name: not knowing how, or where, asks for the detail', ({ step }) => {
    for (const reply of ['不会', '我不会操作', '找不到这个按钮', '在哪里', '不知道怎么弄', '看不懂', '什么意思']) {
      expect({ reply, reading: readStepAnswer(reply, step, zh) }).toEqual({ reply, reading: { kind: 'dontKnow' } });
    }
    for (const reply of ["where is it? I can't find it", 'how do I do that'])
      expect({ reply, reading: readStepAnswer(reply, step, en) }).toEqual({ reply, reading: { kind: 'dontKnow' } });
  });
});

describe('readStepAnswer, case by case', () => {
  test('a yes to "还掉线吗？" is the bad answer, a no the good one; in English the question asks the other way', () => {
    const restart = stepById('rdrop-restart');
    expect(readStepAnswer('是的', restart, zh)).toEqual(last(restart));
    expect(readStepAnswer('没有', restart, zh)).toEqual(first(restart));
    expect(readStepAnswer('还掉', restart, zh)).toEqual(last(restart));
    // "Is the connection stable after the restart?"
    expect(readStepAnswer('yes', restart, en)).toEqual(first(restart));
    expect(readStepAnswer('no', restart, en)).toEqual(last(restart));
  });

  test('a yes or no to "现在能充进电了吗？" is the good or the bad answer', () => {
    const charger = stepById('charge-swap-charger');
    expect(readStepAnswer('嗯', charger, zh)).toEqual(first(charger));
    expect(readStepAnswer('没有', charger, zh)).toEqual(last(charger));
    expect(readStepAnswer('能充进去了', charger, zh)).toEqual(first(charger));
  });

  test('a step that asks what the customer sees takes its buttons in other words and yes / no, not 好了', () => {
    const swelling = stepById('heat-safety-check');
    expect(readStepAnswer('好了', swelling, zh)).toEqual({ kind: 'unclear' });
    expect(readStepAnswer('没有鼓包', swelling, zh)).toEqual({ kind: 'branch', index: 1, by: 'words' });
    expect(readStepAnswer('有点鼓', swelling, zh)).toEqual({ kind: 'branch', index: 0, by: 'words' });
    expect(readStepAnswer('是的', swelling, zh)).toEqual(first(swelling));
    const modem = stepById('rnet-modem-light');
    expect(readStepAnswer('对', modem, zh)).toEqual(first(modem));
    expect(readStepAnswer('不是', modem, zh)).toEqual(last(modem));
    // An either-or question: yes says nothing.
    expect(readStepAnswer('是的', stepById('rdrop-scope'), zh)).toEqual({ kind: 'unclear' });
    expect(readStepAnswer('所有设备', stepById('rdrop-scope'), zh)).toEqual({ kind: 'branch', index: 0, by: 'words' });
  });

  test('a button said with a particle between its words: 同步上了 / 同步好了 is 同步了, 没同步上 is 没同步', () => {
    const sync = stepById('wsync-basic');
    const index = (reply: string): number | string => {
      const reading = readStepAnswer(reply, sync, zh);
      return reading.kind === 'branch' ? reading.index : reading.kind;
    };
    expect(['同步上了', '同步好了', '已经同步了'].map(index)).toEqual([0, 0, 0]);
    expect(['没同步上', '还是没同步'].map(index)).toEqual([1, 1]);
  });

  test('a one-character button said at the end of a sentence: 电源指示灯是亮的 is 亮, 指示灯不亮的 is 不亮', () => {
    const step = manual.guides
      .flatMap((guide) => guide.steps)
      .find((candidate) => candidate.branches.map((b) => b.answer).join('|') === '亮|不亮') as GuideStep;
    expect(step).toBeDefined();
    expect(readStepAnswer('电源指示灯是亮的', step, zh)).toEqual({ kind: 'branch', index: 0, by: 'words' });
    expect(readStepAnswer('指示灯不亮的', step, zh)).toEqual({ kind: 'branch', index: 1, by: 'words' });
  });

  test('a negated button is not that button: 还是不亮 is 不亮, not 亮', () => {
    const light = stepById('tvpic-power-light');
    expect(readStepAnswer('还是不亮', light, zh)).toEqual({ kind: 'branch', index: 1, by: 'words' });
    expect(readStepAnswer('灯亮着呢', light, zh)).toEqual({ kind: 'branch', index: 0, by: 'words' });
    expect(readStepAnswer('亮着', light, zh)).toEqual({ kind: 'branch', index: 0, by: 'words' });
    // 看不到 is a button here, and part of one on the remote's camera test.
    expect(readStepAnswer('看不到', stepById('tvpic-flashlight'), zh)).toEqual({ kind: 'branch', index: 1, by: 'button' });
    expect(readStepAnswer('看不到', stepById('tvrc-camera-test'), zh)).toEqual({ kind: 'branch', index: 1, by: 'words' });
  });

  test('好的 / 稍等 / 我试试 say the customer is on it', () => {
    for (const reply of ['好的', '稍等', '我试试', 'ok'])
      expect(readStepAnswer(reply, stepById('charge-swap-charger'), zh)).toEqual({ kind: 'wait' });
  });

  test('requests for something else are told apart from answers', () => {
    for (const text of ['还是不行，我要报修', '给个评价', '查一下工单进度', '保修期多久', '换个屏幕多少钱'])
      expect({ text, other: asksForSomethingElse(text) }).toEqual({ text, other: true });
    for (const text of ['还是不行', '好了', '不会操作', '没反应', '可以了谢谢'])
      expect({ text, other: asksForSomethingElse(text) }).toEqual({ text, other: false });
    expect(asksForRepair('还是不行，我要报修')).toBe(true);
    expect(asksForRepair('查一下工单进度')).toBe(false);
    for (const text of ['路由器的管理地址是多少？', '重置会丢数据吗', 'why does it keep dropping?'])
      expect({ text, question: asksAQuestion(text) }).toEqual({ text, question: true });
    for (const text of ['还是不行', '好的', '没有']) expect({ text, question: asksAQuestion(text) }).toEqual({ text, question: false });
  });
});
