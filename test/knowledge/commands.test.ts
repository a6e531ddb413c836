import { detectLanguage, recognizeCommand, recognizeIntent } from '../../knowledge';

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
