import type { Redis } from 'ioredis';
import { CallbackDialog, type CallbackOptions } from '../../dialogs/callbackDialog';
import type { ConversationFacts, EscalationOutcome, HandoffServices } from '../../dialogs/handoffServices';
import { buttonsOf, dialogHarness, textOf, type DialogHarness } from '../helpers/dialogHarness';
import { testRedis } from '../helpers/redis';

/** The port as an in-memory object that remembers what the dialog asked of it. */
class FakePeople implements HandoffServices {
  readonly callbacks: Parameters<HandoffServices['requestCallback']>[0][] = [];
  known: ConversationFacts = {};

  async escalate(): Promise<EscalationOutcome> {
    return { kind: 'afterHours', opens: '09:00' };
  }
  async noteFacts(_conversationId: string, facts: ConversationFacts): Promise<void> {
    Object.assign(this.known, facts);
  }
  async facts(): Promise<ConversationFacts> {
    return this.known;
  }
  async recordRating(): Promise<void> {
    throw new Error('not used by the call-back');
  }
  async requestCallback(input: Parameters<HandoffServices['requestCallback']>[0]): Promise<{ id: string }> {
    this.callbacks.push(input);
    return { id: `C261122-${String(this.callbacks.length).padStart(4, '0')}` };
  }
}

describe('CallbackDialog', () => {
  let redis: Redis;
  let people: FakePeople;
  let harness: DialogHarness;
  let beginWith: CallbackOptions;
  let results: unknown[];

  beforeEach(() => {
    redis = testRedis();
    people = new FakePeople();
    beginWith = { opens: '09:00', reason: 'asked' };
    results = [];
    harness = dialogHarness(redis, new CallbackDialog(people), () => beginWith);
    results = harness.results;
  });
  afterEach(async () => {
    await redis.quit();
  });

  const converse = (...messages: string[]) => harness.converse(...messages);
  const conversationId = (): string => harness.conversationId();

  test('with a known phone: asks first, confirms the number masked, registers and says when', async () => {
    people.known = { phone: '13800138000' };
    const [ask, confirm, done] = await converse('转人工', '登记回电', '可以');
    expect(textOf(ask)).toContain('需要为您登记回电吗？');
    expect(buttonsOf(ask[ask.length - 1])).toEqual(['登记回电', '不用了']);
    expect(textOf(confirm)).toBe('回电号码用 138****8000 可以吗？');
    expect(textOf(confirm)).not.toContain('13800138000');
    expect(textOf(done)).toBe('已登记回电（编号 C261122-0001），客服会在 09:00 后尽快给您打电话。');
    expect(people.callbacks).toEqual([{ conversationId: conversationId(), channel: 'test', phone: '13800138000', note: 'asked' }]);
    expect(results).toEqual([{ callbackId: 'C261122-0001' }]);
  });

  test('confirmed already: no "shall I?" question; a typed number (any format) is taken', async () => {
    beginWith = { confirmed: true };
    const [ask, done] = await converse('给我回电话', '我的手机是 139-0013-9000');
    expect(textOf(ask)).toContain('请留一个手机号');
    expect(textOf(ask)).not.toContain('需要为您登记回电吗');
    expect(textOf(done)).toBe('已登记回电（编号 C261122-0001），客服会尽快给您打电话。');
    expect(people.callbacks).toEqual([{ conversationId: conversationId(), channel: 'test', phone: '13900139000', note: undefined }]);
  });

  test('a known number can be replaced by another one', async () => {
    people.known = { phone: '13800138000' };
    const [, , askNumber, done] = await converse('转人工', '好的', '换个号码', '13700137000');
    expect(textOf(askNumber)).toContain('请留一个手机号');
    expect(textOf(done)).toContain('已登记回电');
    expect(people.callbacks).toEqual([expect.objectContaining({ phone: '13700137000' })]);
  });

  test('a new number typed at the confirmation is used straight away', async () => {
    people.known = { phone: '13800138000' };
    await converse('转人工', '登记回电', '打这个吧 13600136000');
    expect(people.callbacks).toEqual([expect.objectContaining({ phone: '13600136000' })]);
  });

  test('a number given instead of a yes registers at once', async () => {
    const [, done] = await converse('转人工', '13800138000');
    expect(textOf(done)).toContain('已登记回电（编号 C261122-0001）');
    expect(people.callbacks).toEqual([expect.objectContaining({ phone: '13800138000' })]);
  });

  test('a bad number gets a polite re-prompt, and a good one after it is taken', async () => {
    const [, , bad, worse, done] = await converse('转人工', '登记回电', '12345', '1380013800', '13800138000');
    for (const turn of [bad, worse]) expect(textOf(turn)).toContain('这个号码好像不对');
    expect(textOf(done)).toContain('已登记回电');
    expect(people.callbacks).toEqual([expect.objectContaining({ phone: '13800138000' })]);
  });

  test('after three bad numbers it stops asking, kindly, and registers nothing', async () => {
    const [, , first, second, third] = await converse('转人工', '登记回电', 'abc', '123', '02112345678');
    expect(textOf(first)).toContain('这个号码好像不对');
    expect(textOf(second)).toContain('这个号码好像不对');
    expect(textOf(third)).toContain('抱歉');
    expect(textOf(third)).toContain('这次先不登记了');
    expect(people.callbacks).toEqual([]);
    expect(results).toEqual([{}]);
  });

  test.each(['不用了', '不登记'])('declining (%s) ends kindly, nothing registered', async (answer) => {
    const [, reply] = await converse('转人工', answer);
    expect(textOf(reply)).toContain('不登记回电了');
    expect(people.callbacks).toEqual([]);
    expect(results).toEqual([{}]);
  });

  test('declining while asked for the number also ends kindly', async () => {
    beginWith = { confirmed: true };
    const [, reply] = await converse('回电', '算了');
    expect(textOf(reply)).toContain('不登记回电了');
    expect(people.callbacks).toEqual([]);
  });

  test('an answer that is neither yes nor no is asked once more, then handed back to the caller', async () => {
    const [, again, handedBack] = await converse('转人工', '啊？', '保修期多久');
    expect(textOf(again)).toContain('登记回电');
    expect(buttonsOf(again[again.length - 1])).toEqual(['登记回电', '不用了']);
    expect(handedBack).toEqual([]);
    expect(results).toEqual([{ unanswered: true, utterance: '保修期多久' }]);
    expect(people.callbacks).toEqual([]);
  });

  test('an English customer is answered in English', async () => {
    people.known = { phone: '13800138000' };
    const [ask, confirm, done] = await converse('Can somebody call me back', 'Call me back', 'yes');
    expect(textOf(ask)).toBe('Shall I register a call-back for you?');
    expect(buttonsOf(ask[ask.length - 1])).toEqual(['Call me back', 'No, thanks']);
    expect(textOf(confirm)).toBe('Shall we call you on 138****8000?');
    expect(textOf(done)).toBe('Call-back registered (number C261122-0001). An agent will phone you as soon as possible after 09:00.');
    expect(people.callbacks).toEqual([expect.objectContaining({ phone: '13800138000' })]);
  });
});
