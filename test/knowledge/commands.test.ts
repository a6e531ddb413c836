import {
  changeOfMind,
  detectLanguage,
  isExplicitCancel,
  recognizeCommand,
  recognizeIntent,
  requestIn,
  shortRequestOf,
} from '../../knowledge';

describe('recognizeCommand', () => {
  test.each([
    ['取消', 'cancel'],
    ['退出', 'cancel'],
    ['算了，不要了', 'cancel'],
    ['请帮我取消吧', 'cancel'],
    ['Cancel', 'cancel'],
    ['帮助', 'help'],
    ['怎么用？', 'help'],
    ['help', 'help'],
    ['菜单', 'menu'],
    ['重新开始', 'menu'],
    ['返回主菜单', 'menu'],
    ['menu', 'menu'],
    ['转人工', 'human'],
    ['我要转人工，你听不懂', 'human'],
    ['人工客服', 'human'],
    ['找真人', 'human'],
    ['I want to talk to a human', 'human'],
  ])('%s → %s', (text, command) => {
    expect(recognizeCommand(text)).toBe(command);
  });

  test.each(['取消订单后怎么退款', '帮助我查一下保修', '我的手机坏了', '1', ''])('"%s" is not a command', (text) => {
    expect(recognizeCommand(text)).toBeUndefined();
  });
});

describe('recognizeIntent (menu level)', () => {
  test.each([
    ['报修', 'fault_report'],
    ['我的手机坏了', 'fault_report'],
    ['保修查询', 'warranty'],
    ['我想预约上门', 'appointment'],
    ['查一下工单进度', 'ticket_status'],
    ['我要投诉', 'complaint'],
    ['评价', 'rating'],
    ['故障排查', 'troubleshoot'],
    ['你好', 'greeting'],
    ['Hello there', 'greeting'],
    ['Warranty check', 'warranty'],
    ['Report a fault', 'fault_report'],
    ['I want to report a fault', 'fault_report'],
    ['Can I book a visit?', 'appointment'],
    ['this is something else', 'other'],
  ])('%s → %s', (text, intent) => {
    expect(recognizeIntent(text).intent).toBe(intent);
  });

  test('says why it chose an intent', () => {
    expect(recognizeIntent('我要投诉你们').reason).toContain('投诉');
  });
});

describe('detectLanguage', () => {
  test.each([
    ['你好', 'zh-CN'],
    ['我的phone坏了', 'zh-CN'],
    ['Hello, my phone is broken', 'en'],
    ['help', 'en'],
    ['1', undefined],
    ['EB26AX56492', undefined],
    ['X20 Pro', undefined],
    ['ok', undefined],
    ['👍', undefined],
  ])('%s → %s', (text, locale) => {
    expect(detectLanguage(text)).toBe(locale);
  });
});

describe('leaving a flow in the customer’s own words', () => {
  test.each([
    ['算了', 'cancel'],
    ['先这样', 'cancel'],
    ['先这样吧', 'cancel'],
    ['取消吧', 'cancel'],
    ['不办了', 'cancel'],
    ['不用了', 'cancel'],
    ['不弄了', 'cancel'],
    ['以后再说', 'cancel'],
    ['那算了吧', 'cancel'],
    ['算了不修了', 'cancel'],
    ['好吧，那先这样', 'cancel'],
    ['不用了，谢谢', 'cancel'],
    ['never mind', 'cancel'],
    ['Forget it', 'cancel'],
    ['ok, cancel', 'cancel'],
    ['stop', 'cancel'],
    ['再见', 'goodbye'],
    ['拜拜', 'goodbye'],
    ['bye', 'goodbye'],
    ['没有了，谢谢', 'done'],
    ['谢谢', 'done'],
    ['好的谢谢', 'done'],
    ["that's all", 'done'],
    ['先这样吧，我晚点再试', 'cancel'],
    ['我晚点再试', 'cancel'],
    ['好吧我待会再试', 'cancel'],
    ['算了，回头再弄', 'cancel'],
    ['不办了，有空再说', 'cancel'],
    ['太麻烦了，人工', 'human'],
  ])('%s → %s', (text, command) => {
    expect(recognizeCommand(text)).toBe(command);
  });

  test.each([
    ['取消预约', 'a request about an appointment'],
    ['取消订单后怎么退款', 'a question'],
    ['不取消', 'a negation'],
    ['别取消，我还要报修', 'a negation and a request'],
    ['就这样', 'possibly "submit as it is" at a confirmation'],
    ['没问题', 'a confirmation'],
    ['好的', 'an acknowledgement'],
    ['不开机了', 'a symptom that starts with 不'],
    ['不用了，我要投诉', 'a change of mind: leaving for something else'],
  ])('"%s" is not a command (%s)', (text) => {
    expect(recognizeCommand(text) === 'cancel' || recognizeCommand(text) === 'done').toBe(false);
  });

  test.each([
    ['取消', true],
    ['请帮我取消吧', true],
    ['cancel', true],
    ['算了', false],
    ['不用了谢谢', false],
  ])('%s is an explicit cancel: %s', (text, explicit) => {
    expect(isExplicitCancel(text)).toBe(explicit);
  });
});

describe('short requests are understood in every state', () => {
  test.each([
    ['给个评价', 'rating'],
    ['评价一下', 'rating'],
    ['我要评价', 'rating'],
    ['打个分', 'rating'],
    ['Rate our service', 'rating'],
    ['查下单子', 'ticket_status'],
    ['查工单', 'ticket_status'],
    ['帮我查一下工单', 'ticket_status'],
    ['工单进度', 'ticket_status'],
    ['Ticket status', 'ticket_status'],
    ['投诉', 'complaint'],
    ['我要投诉', 'complaint'],
    ['查保修', 'warranty'],
    ['报修', 'fault_report'],
    ['故障排查', 'troubleshoot'],
  ])('%s → %s', (text, intent) => {
    expect(shortRequestOf(text)).toBe(intent);
  });

  test.each(['好评', '屏幕碎了', '13800138000', 'X30 Ultra', '是', '确认提交', '我不想评价'])('"%s" is not a short request', (text) => {
    expect(shortRequestOf(text)).toBeUndefined();
  });

  test.each([
    ['师傅一直没来，我要投诉', 'complaint'],
    ['麻烦帮我查下我的工单进度', 'ticket_status'],
    ['服务挺好，我想评价一下', 'rating'],
    ['我就想给你们打个分', 'rating'],
    ['给你们的服务打个分吧', 'rating'],
  ])('a request inside a longer message: %s → %s', (text, intent) => {
    expect(requestIn(text)).toBe(intent);
  });

  test.each(['我不想投诉，就是问问', '屏幕不亮了', '我是在官网买的'])('"%s" asks for no other service', (text) => {
    expect(requestIn(text)).toBeUndefined();
  });
});

describe('changeOfMind', () => {
  test.each([
    ['不报修了，我要投诉', '我要投诉'],
    ['算了，查下工单吧', '查下工单吧'],
    ['不修了 给个评价', '给个评价'],
    ['不想报修了，我要投诉', '我要投诉'],
    ['Never mind, I want to check my ticket', 'I want to check my ticket'],
    ['不是报修，我就想给你们打个分', '我就想给你们打个分'],
    ['我不是要报修，帮我查下单子', '帮我查下单子'],
  ])('%s → %s', (text, rest) => {
    expect(changeOfMind(text)).toBe(rest);
  });

  test.each(['不报修了', '算了', '不开机了，我要报修', '不是摔的，是进水了', '不用了谢谢'])('"%s" changes to nothing', (text) => {
    expect(changeOfMind(text)).toBeUndefined();
  });
});

describe('requests inside a message are requests, not mentions', () => {
  test.each(['上次维修进度太慢了，这次又坏了', '工单进度一直不更新，屏幕还是碎的'])('"%s" is no request to look a ticket up', (text) => {
    expect(requestIn(text)).toBeUndefined();
  });

  test.each([
    ['直接报修', 'fault_report'],
    ['还是报修吧', 'fault_report'],
    ['帮我查下维修进度', 'ticket_status'],
  ])('%s → %s', (text, intent) => {
    expect(requestIn(text)).toBe(intent);
  });
});
