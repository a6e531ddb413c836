import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INTENTS, type Intent } from '../../knowledge/intents';
import { recognizeIntent } from '../../knowledge/recognizeIntent';
import { defaultIntentsFile, loadIntentFile } from '../../knowledge/intentFile';
import { IntentRecognizer, type ProductVocabulary } from '../../knowledge/recognizer';

// A slice of desk/data/catalogue.yaml, written out because knowledge/ (and its tests) must not need desk/.
const PRODUCTS: ProductVocabulary = {
  categories: [
    { id: 'phone', words: ['手机', 'phone', 'smartphone'] },
    { id: 'tv', words: ['电视', '电视机', 'tv'] },
    { id: 'earbuds', words: ['耳机', 'earbuds'] },
    { id: 'router', words: ['路由器', 'router'] },
  ],
  models: [
    { id: 'X20', category: 'phone', names: ['星耀 X20', '星耀20', 'xingyao x20'] },
    { id: 'X20 Pro', category: 'phone', names: ['星耀 X20 Pro', 'x20pro', '星耀20pro'] },
    { id: 'AX3000', category: 'router', names: ['疾风 AX3000 路由器', '疾风3000'] },
  ],
  serialPatterns: [
    { category: 'phone', pattern: 'PH[0-9]{2}[A-Z][0-9]{7}' },
    { category: 'earbuds', pattern: 'EB[0-9]{2}[A-Z]{2}[0-9]{5}' },
  ],
};

const recognizer = IntentRecognizer.fromFile(undefined, PRODUCTS);

describe('IntentRecognizer: intents', () => {
  test.each<[string, Intent]>([
    ['你好', 'greeting'],
    ['亲 在吗？', 'greeting'],
    ['good morning', 'greeting'],
    ['快充在哪里开', 'faq'],
    ['发票怎么开', 'faq'],
    ['电池保修几个月', 'faq'],
    ['How do I reset the router?', 'faq'],
    ['我手机充不进电了咋整', 'troubleshoot'],
    ['你好，路由器老掉线', 'troubleshoot'],
    ['耳机只有一边响', 'troubleshoot'],
    ['my earbuds keep disconnecting', 'troubleshoot'],
    ['我要报修', 'fault_report'],
    ['手机坏了要修', 'fault_report'],
    ['屏幕碎了，想寄修', 'fault_report'],
    ['充不进电，帮我安排维修吧', 'fault_report'],
    ['I need my TV repaired', 'fault_report'],
    // Questions about a repair's time or price, or about returning, are questions, not requests.
    ['维修大概要几天', 'faq'],
    ['修一下要多少钱', 'faq'],
    ['买了5天的耳机有杂音能退吗', 'faq'],
    ['手机坏了帮我修一下，要多少钱', 'fault_report'],
    ['还在保修期吗', 'warranty'],
    ['我这台过保了没', 'warranty'],
    ['Is my phone still under warranty?', 'warranty'],
    ['想约个时间让师傅上门', 'appointment'],
    ['预约改到周五下午', 'appointment'],
    ['查一下我的维修单 S261122-0042', 'ticket_status'],
    ['S261122-0042', 'ticket_status'],
    ['手机修好了没', 'ticket_status'],
    ['我要投诉', 'complaint'],
    ['太差了，我要打12315', 'complaint'],
    ['我要投诉，工单S261122-0042一个月没人管', 'complaint'],
    ['给这次服务打个分', 'rating'],
    ['师傅很专业，五星', 'rating'],
    ['转人工', 'human'],
    ['I want to talk to a real person', 'human'],
    ['明天天气怎么样', 'other'],
    ['讲个笑话', 'other'],
    ['你们招人吗', 'other'],
  ])('%s → %s', (text, intent) => {
    const result = recognizer.recognize(text);
    expect(result.intent).toBe(intent);
    expect(result.reason.length).toBeGreaterThan(5);
  });

  test('an empty message is other, and says so', () => {
    expect(recognizer.recognize('  ！！ ')).toMatchObject({ intent: 'other', confidence: 0, reason: 'empty message' });
  });
});

describe('IntentRecognizer: general rules', () => {
  test.each<[string, string, Intent]>([
    // negation calls a cue off; what else the customer says decides
    ['negation', '我不想投诉，就问下维修进度', 'ticket_status'],
    ['negation', '不用转人工，保修期多久', 'faq'],
    ['negation', '不想报修，先帮我排查一下', 'troubleshoot'],
    ['negation', "I don't want to complain, just check my repair status", 'ticket_status'],
    // …but a negated verdict is still a complaint, and 特别 is no negator
    ['negated verdict', '别敷衍我', 'complaint'],
    ['特别 is not 别', '你们特别差劲', 'complaint'],
    // a service word used as a modifier is not a repair request; 保修 is not 修
    ['modifier', '寄修的邮费谁出', 'faq'],
    ['modifier', '送修的平板到网点了吗', 'ticket_status'],
    ['保修 is not 修', '屏幕裂了的话保修政策怎么算', 'faq'],
    // a question about the policy outweighs the fault it mentions
    ['policy question', '屏幕碎了换屏多少钱', 'faq'],
    // symptoms from the guides' phrases and the synonym groups, and potential complements (测不准)
    ['guide phrase', '电量一直不涨', 'troubleshoot'],
    ['synonym group', '手机屏幕乱码', 'troubleshoot'],
    ['potential complement', '手环步数记不准', 'troubleshoot'],
    ['remote help', '能远程协助我设置一下吗，网还是断', 'troubleshoot'],
    // A-not-A questions
    ['A-not-A', '耳机支不支持无线充电', 'faq'],
    ['A-not-A status', '我这台在不在保', 'warranty'],
    // small talk without a word of the trade
    ['off-topic', '明天会下雪吗', 'other'],
    ['off-topic', '给我推荐首歌吧，我想听音乐', 'other'],
  ])('%s: %s → %s', (_rule, text, intent) => {
    expect(recognizer.recognize(text).intent).toBe(intent);
  });

  test('a negated cue is not quoted as the reason', () => {
    expect(recognizer.recognize('我不想投诉，就问下维修进度').reason).not.toContain('投诉');
  });

  test('a recognizer without a lexicon still works', () => {
    const bare = new IntentRecognizer(loadIntentFile(defaultIntentsFile()), undefined, { synonyms: [], symptomPhrases: [] });
    expect(bare.recognize('我要报修').intent).toBe('fault_report');
  });
});

describe('IntentRecognizer: reasons', () => {
  test('a cue names the words', () => {
    expect(recognizer.recognize('我要报修').reason).toContain('cue "报修"');
  });

  test('a ticket id alone is explained by the id', () => {
    expect(recognizer.recognize('S261122-0042').reason).toContain('ticket id S261122-0042');
  });

  test('a symptom without a repair request is explained as such', () => {
    expect(recognizer.recognize('电视没声音了').reason).toMatch(/symptom "[^"]+" without a repair request/);
  });

  test('without a cue or hint the nearest examples are quoted', () => {
    const { intent, reason } = recognizer.recognize('不想跟机器人聊了');
    expect(intent).toBe('human');
    expect(reason).toMatch(/^nearest examples: "[^"]+"/);
  });

  test('nothing fitting says what came closest', () => {
    expect(recognizer.recognize('你们老家过年吃饺子还是汤圆').reason).toMatch(/nothing fits|nearest examples/);
  });

  test('confidences and alternatives are probabilities, best first', () => {
    const { confidence, alternatives } = recognizer.recognize('手机发烫');
    expect(confidence).toBeGreaterThan(0.5);
    expect(confidence).toBeLessThanOrEqual(1);
    for (const alt of alternatives) expect(alt.confidence).toBeLessThanOrEqual(confidence);
    expect(new Set(alternatives.map((a) => a.intent)).size).toBe(alternatives.length);
  });
});

describe('IntentRecognizer: entities', () => {
  const TODAY = '2026-11-22';
  test.each<[string, Record<string, string>]>([
    ['工单Ｓ２６１１２２－００４２进度', { ticketId: 'S261122-0042' }],
    ['单号s2611220042', { ticketId: 'S261122-0042' }],
    ['淘宝订单 3321456789012345678 的耳机坏了', { taobaoOrderId: '3321456789012345678', category: 'earbuds' }],
    ['电话 138 0013 8000，约明天上门', { phone: '13800138000' }],
    ['我的星耀X20 Pro序列号PH23A1234567还在保修吗', { modelId: 'X20 Pro', serial: 'PH23A1234567', category: 'phone' }],
    ['星耀20 屏幕碎了', { modelId: 'X20', category: 'phone' }],
    ['疾风3000老掉线', { modelId: 'AX3000', category: 'router' }],
    ['耳机序列号 EB23AB12345', { serial: 'EB23AB12345', category: 'earbuds' }],
    ['去年双十一买的电视过保了吗', { category: 'tv', date: '2025-11-11' }],
    ['3月5日买的手机', { category: 'phone', date: '2026-03-05' }],
  ])('%s', (text, expected) => {
    expect(recognizer.recognize(text, { today: TODAY }).entities).toEqual(expected);
  });

  test('no date without today', () => {
    expect(recognizer.recognize('去年双十一买的电视过保了吗').entities.date).toBeUndefined();
  });

  test('ids are not read as dates or phones', () => {
    const { entities } = recognizer.recognize('订单2025031112345678，工单S261122-0042', { today: TODAY });
    expect(entities).toEqual({ taobaoOrderId: '2025031112345678', ticketId: 'S261122-0042' });
  });

  test('without a product vocabulary there are no product entities', () => {
    const bare = IntentRecognizer.fromFile();
    expect(bare.recognize('星耀X20 序列号PH23A1234567').entities).toEqual({});
  });
});

describe('intents.yaml', () => {
  const data = loadIntentFile(defaultIntentsFile());

  test.each([...INTENTS])('%s has at least 25 Chinese and some English examples', (intent) => {
    const examples = data.intents[intent]?.examples ?? [];
    const chinese = examples.filter((e) => /\p{Script=Han}/u.test(e));
    expect(chinese.length).toBeGreaterThanOrEqual(25);
    expect(examples.length - chinese.length).toBeGreaterThanOrEqual(5);
  });

  test('no dev-set line is copied into the examples', () => {
    const file = path.join(__dirname, '../../knowledge/eval/intents.dev.jsonl');
    const dev = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { text: string }).text.trim().toLowerCase());
    const examples = new Set(Object.values(data.intents).flatMap((spec) => spec?.examples.map((e) => e.trim().toLowerCase()) ?? []));
    expect(dev.filter((text) => examples.has(text))).toEqual([]);
  });

  test('a malformed file names the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'intents-'));
    const bad = path.join(dir, 'intents.yaml');
    writeFileSync(bad, 'intents:\n  greeting:\n    examples: []\n');
    expect(() => IntentRecognizer.fromFile(bad)).toThrow(/intents\.greeting\.examples/);
  });
});

describe('recognizeIntent (thin wrapper)', () => {
  test('routes by the recognizer and keeps the old shape', () => {
    expect(recognizeIntent('我要投诉你们')).toEqual({
      intent: 'complaint',
      confidence: expect.any(Number),
      reason: expect.stringContaining('投诉'),
    });
  });
});
