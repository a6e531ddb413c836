import type { Redis } from 'ioredis';
import type { ConversationFacts, EscalationOutcome, HandoffServices, RatingScore } from '../../dialogs/handoffServices';
import { RatingDialog, type RatingOptions } from '../../dialogs/ratingDialog';
import { buttonsOf, dialogHarness, textOf, type DialogHarness } from '../helpers/dialogHarness';
import { testRedis } from '../helpers/redis';

/** The port as an in-memory object that remembers what the dialog asked of it. */
class FakePeople implements HandoffServices {
  readonly ratings: Parameters<HandoffServices['recordRating']>[0][] = [];

  async escalate(): Promise<EscalationOutcome> {
    return { kind: 'afterHours', opens: '09:00' };
  }
  async noteFacts(): Promise<void> {}
  async facts(): Promise<ConversationFacts> {
    return {};
  }
  async recordRating(input: Parameters<HandoffServices['recordRating']>[0]): Promise<void> {
    this.ratings.push(input);
  }
  async requestCallback(): Promise<{ id: string }> {
    throw new Error('not used by the rating');
  }
}

const ZH_LABELS = ['非常不满意', '不满意', '一般', '满意', '非常满意'];
const EN_LABELS = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];

describe('RatingDialog', () => {
  let redis: Redis;
  let people: FakePeople;
  let harness: DialogHarness;
  let beginWith: RatingOptions;
  /** What the dialog ended with, as the caller sees it. */
  let results: unknown[];

  beforeEach(() => {
    redis = testRedis();
    people = new FakePeople();
    beginWith = {};
    results = [];
    harness = dialogHarness(redis, new RatingDialog(people), () => beginWith);
    results = harness.results;
  });
  afterEach(async () => {
    await redis.quit();
  });

  /** Sends each message and returns the bot's replies to each. */
  const converse = (...messages: string[]) => harness.converse(...messages);
  const conversationId = (): string => harness.conversationId();

  test('asks 请为本次服务打分 with the five answers as buttons, lowest first so that a number is its score', async () => {
    const [ask] = await converse('评价');
    expect(textOf(ask)).toContain('请为本次服务打分');
    expect(buttonsOf(ask[ask.length - 1])).toEqual(ZH_LABELS);
    expect(people.ratings).toEqual([]);
  });

  test('after a hand-off it asks the same question, a little more gently', async () => {
    beginWith = { afterHandoff: true };
    const [ask] = await converse('你好');
    expect(textOf(ask)).toMatch(/麻烦您.*请为本次服务打分/);
  });

  test('a flow started by a message that is already a rating records it without asking', async () => {
    beginWith = { utterance: '给五星好评' };
    const [reply] = await converse('给五星好评');
    expect(textOf(reply)).not.toContain('请为本次服务打分');
    expect(textOf(reply)).toContain('感谢');
    expect(people.ratings).toEqual([expect.objectContaining({ score: 5 })]);
  });

  test('a flow started by asking to rate asks the question', async () => {
    beginWith = { utterance: '我想给这次服务打个分' };
    const [ask] = await converse('我想给这次服务打个分');
    expect(textOf(ask)).toContain('请为本次服务打分');
    expect(people.ratings).toEqual([]);
  });

  test.each<[string, RatingScore]>([
    ['非常满意', 5],
    ['满意', 4],
    ['一般', 3],
    ['不满意', 2],
    ['非常不满意', 1],
    ['5分', 5],
    ['五星', 5],
    ['1', 1],
    ['3', 3],
    ['打4分', 4],
    ['很好', 5],
    ['服务挺好的', 4],
    ['太差了', 1],
    ['👍', 5],
    ['⭐⭐⭐⭐⭐', 5],
    ['很好，谢谢', 5],
  ])('%s is recorded as %i', async (answer, score) => {
    const turns = await converse('评价', answer, ...(score <= 2 ? ['跳过'] : []));
    const last = turns[turns.length - 1];
    expect(people.ratings).toEqual([{ conversationId: conversationId(), channel: 'test', score, comment: undefined }]);
    expect(last).toHaveLength(1);
    expect(last[0].text).toContain('感谢');
    expect(last[0].text).not.toContain('\n');
    expect(results).toEqual([{ score }]);
  });

  test('a low score asks once what to improve, and stores the answer as the comment', async () => {
    const [, followUp, thanks] = await converse('评价', '不满意', '等了二十分钟才有人回复');
    expect(textOf(followUp)).toContain('有什么需要改进的地方吗？');
    expect(textOf(followUp)).toContain('跳过');
    expect(buttonsOf(followUp[followUp.length - 1])).toEqual(['跳过']);
    expect(people.ratings).toEqual([{ conversationId: conversationId(), channel: 'test', score: 2, comment: '等了二十分钟才有人回复' }]);
    expect(thanks).toHaveLength(1);
    expect(textOf(thanks)).toContain('感谢您的反馈');
    expect(results).toEqual([{ score: 2 }]);
  });

  test('跳过 (or 没有) records the low score without a comment', async () => {
    await converse('评价', '1分', '没有');
    expect(people.ratings).toEqual([{ conversationId: conversationId(), channel: 'test', score: 1, comment: undefined }]);
  });

  test('a low score that already says why is not asked again', async () => {
    const [, thanks] = await converse('评价', '太差了，等了半天没人理');
    expect(people.ratings).toEqual([{ conversationId: conversationId(), channel: 'test', score: 1, comment: '等了半天没人理' }]);
    expect(textOf(thanks)).not.toContain('改进的地方吗');
  });

  test('a message that is no rating ends the dialog unrecorded and hands the words back to the caller', async () => {
    const [, reply] = await converse('评价', '我的耳机连不上蓝牙怎么办');
    expect(reply).toEqual([]);
    expect(people.ratings).toEqual([]);
    expect(results).toEqual([{ unanswered: true, utterance: '我的耳机连不上蓝牙怎么办' }]);
  });

  test('nonsense gets one polite re-prompt with the buttons, and a rating after it still counts', async () => {
    const [, again, thanks] = await converse('评价', '啊？', '5分');
    expect(textOf(again)).toContain('抱歉');
    expect(buttonsOf(again[again.length - 1])).toEqual(ZH_LABELS);
    expect(people.ratings).toEqual([expect.objectContaining({ score: 5 })]);
    expect(textOf(thanks)).toContain('感谢');
  });

  test('nonsense twice is not asked a third time: the customer is let go, nothing recorded', async () => {
    const [, , second] = await converse('评价', '啊？', '嗯');
    expect(second).toEqual([]);
    expect(people.ratings).toEqual([]);
    expect(results).toEqual([{ unanswered: true, utterance: '嗯' }]);
  });

  test('a score on another scale is asked again rather than guessed', async () => {
    const [, again] = await converse('评价', '10分');
    expect(textOf(again)).toContain('1–5');
    expect(people.ratings).toEqual([]);
  });

  test.each(['不用了', '谢谢'])('%s ends politely without a rating', async (answer) => {
    const [, reply] = await converse('评价', answer);
    expect(textOf(reply)).toContain('不打扰您了');
    expect(people.ratings).toEqual([]);
    expect(results).toEqual([{ declined: true }]);
  });

  test('an English customer is asked, followed up and thanked in English', async () => {
    const [ask, followUp, thanks] = await converse('I would like to rate the service', 'Very dissatisfied', 'skip');
    expect(textOf(ask)).toContain('rate our service');
    expect(buttonsOf(ask[ask.length - 1])).toEqual(EN_LABELS);
    expect(textOf(followUp)).toContain('What could we do better?');
    expect(buttonsOf(followUp[followUp.length - 1])).toEqual(['Skip']);
    expect(textOf(thanks)).toContain('Thank you');
    for (const turn of [ask, followUp, thanks]) expect(textOf(turn)).not.toMatch(/\p{Script=Han}/u);
    expect(people.ratings).toEqual([{ conversationId: conversationId(), channel: 'test', score: 1, comment: undefined }]);
  });

  test('English ratings in words and numbers are understood', async () => {
    await converse('Please rate us', '4 stars');
    expect(people.ratings).toEqual([expect.objectContaining({ score: 4 })]);
  });
});
