import { FactsExtractor, asksAboutFee, saysDontKnow, saysSkip, type DamageKind, type MessageFacts } from '../../knowledge/facts';
import type { ProductVocabulary } from '../../knowledge/recognizer';

// A slice of desk/data/catalogue.yaml, written out because knowledge/ (and its tests) must not need desk/.
const PRODUCTS: ProductVocabulary = {
  categories: [
    { id: 'phone', words: ['手机', '电话', '智能手机', 'phone', 'smartphone'] },
    { id: 'tv', words: ['电视', '电视机', 'tv'] },
    { id: 'earbuds', words: ['蓝牙耳机', '耳机', '充电仓', 'earbuds'] },
    { id: 'router', words: ['路由器', '路由', 'router'] },
    { id: 'watch', words: ['智能手表', '电话手表', '手表', '手环', 'watch'] },
  ],
  models: [
    { id: 'X20', category: 'phone', names: ['星耀 X20', '星耀20', 'xingyao x20'] },
    { id: 'X20 Pro', category: 'phone', names: ['星耀 X20 Pro', 'x20pro', '星耀20pro'] },
    { id: 'X30 Ultra', category: 'phone', names: ['星耀 X30 Ultra', 'x30u', '超大杯'] },
    { id: 'Buds 3', category: 'earbuds', names: ['声动 Buds 3', 'buds3'] },
    { id: 'AX3000', category: 'router', names: ['疾风 AX3000 路由器', '疾风3000'] },
    { id: 'V55', category: 'tv', names: ['远景 V55 电视', '远景55'] },
  ],
  serialPatterns: [
    { category: 'phone', pattern: 'PH[0-9]{2}[A-Z][0-9]{7}' },
    { category: 'earbuds', pattern: 'EB[0-9]{2}[A-Z]{2}[0-9]{5}' },
  ],
};

const TODAY = '2026-11-22';
const extractor = FactsExtractor.fromFiles(PRODUCTS);
const read = (text: string): MessageFacts => extractor.read(text, { today: TODAY });

describe('FactsExtractor: product family and model', () => {
  test.each<[string, string | undefined, string | undefined]>([
    ['我的X20 Pro摔了一下屏幕碎了', 'phone', 'X20 Pro'],
    ['x20pro充不进电', 'phone', 'X20 Pro'],
    ['星耀 X20 开不了机', 'phone', 'X20'],
    ['超大杯拍照模糊', 'phone', 'X30 Ultra'],
    ['X200 不是我们的型号', undefined, undefined],
    ['我的耳机连不上手机', 'earbuds', undefined],
    ['手机连不上路由器', 'phone', undefined],
    ['电话手表不亮了', 'watch', undefined],
    ['远景55没有图像', 'tv', 'V55'],
    ['我的buds3左耳没声音', 'earbuds', 'Buds 3'],
    // 电话 and 手机 as the label of a number do not name a product.
    ['电话13800138000', undefined, undefined],
    ['手机号 13800138000，路由器老掉线', 'router', undefined],
    ['有事打电话给我，耳机没声音', 'earbuds', undefined],
    ['你好', undefined, undefined],
  ])('%s → %s / %s', (text, category, modelId) => {
    const facts = read(text);
    expect(facts.category).toBe(category);
    expect(facts.modelId).toBe(modelId);
  });

  test('a serial names its family; the one in a sentence is found with spaces or lower case', () => {
    expect(read('序列号是 ph26p7014547')).toMatchObject({ serial: 'PH26P7014547', category: 'phone' });
    expect(read('SN: EB26 AX56492，左耳不响')).toMatchObject({ serial: 'EB26AX56492', category: 'earbuds' });
  });

  test.each<[string, string | undefined]>([
    ['洗衣机坏了要报修', '洗衣机'],
    ['我家冰箱不制冷', '冰箱'],
    ['空调遥控器坏了', '空调'],
    // One of ours named beside it: the message is about ours.
    ['手机连不上洗衣机的app', undefined],
    ['手机坏了', undefined],
    // Its connection is our router's business, as the dialogs decide it (ProductScope).
    ['扫地机器人连不上wifi了', undefined],
  ])('a product we do not service: %s → %s', (text, foreign) => {
    expect(read(text).foreignProduct).toBe(foreign);
  });
});

describe('FactsExtractor: phone, order number, purchase date, proof', () => {
  test.each<[string, string | undefined]>([
    ['电话13800138000', '13800138000'],
    ['联系方式：138 0013 8000', '13800138000'],
    ['+86-139-0013-9000 找我', '13900139000'],
    ['序列号PH26P7014547', undefined],
    ['订单号 3912456789012345678', undefined],
  ])('phone: %s → %s', (text, phone) => {
    expect(read(text).phone).toBe(phone);
  });

  test('a Taobao order number is read, and not taken for a phone', () => {
    expect(read('订单号3912 4567 8901 2345 67')).toMatchObject({ orderId: '391245678901234567' });
  });

  test.each<[string, string | undefined, boolean | undefined]>([
    ['前年618买的', '2024-06-18', true],
    ['上个月买的，屏幕有条纹', '2026-10-31', true],
    ['去年双十一在淘宝下单的', '2025-11-11', true],
    ['2025年3月5日购买', '2025-03-05', false],
    ['买了5天的耳机有杂音能退吗', '2026-11-17', true],
    ['用了一年多的路由器老掉线', '2025-11-22', true],
    // When a fault began is not when it was bought.
    ['昨天开始充不进电', undefined, undefined],
    ['三天前开始老是死机', undefined, undefined],
  ])('purchase date: %s → %s', (text, date, approximate) => {
    const facts = read(text);
    expect(facts.purchaseDate).toBe(date);
    expect(facts.approximateDate).toBe(approximate);
  });

  test.each<[string, boolean | undefined]>([
    ['有发票', true],
    ['发票还留着', true],
    ['发票丢了', false],
    ['没有发票也没有订单', false],
    ['找不到小票了', false],
    ['屏幕碎了', undefined],
  ])('proof: %s → %s', (text, proof) => {
    expect(read(text).proof).toBe(proof);
  });

  test('without today no purchase date is read', () => {
    expect(extractor.read('前年618买的').purchaseDate).toBeUndefined();
  });
});

describe('FactsExtractor: damage, with negation', () => {
  test.each<[string, Partial<Record<DamageKind, boolean>>]>([
    ['我的X20 Pro摔了一下屏幕碎了', { physicalDamage: true }],
    ['手机掉地上了', { physicalDamage: true }],
    ['不小心从桌上掉下来', { physicalDamage: true }],
    ['屏幕裂了', { physicalDamage: true }],
    ['被压坏了', { physicalDamage: true }],
    ['没摔过', { physicalDamage: false }],
    ['从来没有摔过', { physicalDamage: false }],
    ['不是摔的，自己就裂了', { physicalDamage: true }],
    ['手机进水了', { liquid: true }],
    ['掉水里泡了一下', { liquid: true }],
    ['淋雨以后开不了机', { liquid: true }],
    ['洒了咖啡在键盘上', { liquid: true }],
    ['没进水', { liquid: false }],
    ['没有进过水', { liquid: false }],
    ['没摔也没进水', { physicalDamage: false, liquid: false }],
    ['没摔过，但是进水了', { physicalDamage: false, liquid: true }],
    ['自己拆过后盖', { disassembled: true }],
    ['在外面修过一次', { disassembled: true }],
    ['之前找第三方换过屏', { disassembled: true }],
    ['没拆过', { disassembled: false }],
    ['I dropped it and the screen cracked', { physicalDamage: true }],
    ['it got wet in the rain', { liquid: true }],
    ['never dropped', { physicalDamage: false }],
    ['it was not dropped, it just died', { physicalDamage: false }],
    ['the phone dropped off the table', { physicalDamage: true }],
    ['can it survive a drop', {}],
    // Not damage: unpacking, a hypothetical, a voltage.
    ['拆封了能退吗', {}],
    ['戴手表洗澡会不会进水', {}],
    ['手机能泡水吗', {}],
    ['电压不稳', {}],
    ['充不进电', {}],
  ])('%s → %j', (text, damage) => {
    expect(read(text).damage).toEqual(damage);
  });

  test('the words of damage that happened are kept, trimmed of chatter', () => {
    expect(read('你好，我的手机摔了一下，屏幕碎了').damageWords).toEqual(['摔了一下', '屏幕碎了']);
    expect(read('没摔过').damageWords).toEqual([]);
  });
});

describe('FactsExtractor: the symptom in the customer’s own words', () => {
  test.each<[string, string | undefined]>([
    ['我的X20 Pro摔了一下屏幕碎了，电话13800138000', '摔了一下屏幕碎了'],
    ['你好，我手机充不进电了想报修', '充不进电了'],
    ['我手机充不进电了想', '充不进电了'],
    ['耳机左耳没声音了要修', '左耳没声音了'],
    ['左耳没声音了要', '左耳没声音了'],
    ['前年618买的星耀20，最近老是自动关机', '最近老是自动关机'],
    ['序列号PH26P7014547，充不进电', '充不进电'],
    ['我的耳机连不上手机', '连不上手机'],
    ['买了5天的耳机有杂音能退吗', '有杂音'],
    ['电视开不了机怎么办', '开不了机'],
    ['请问路由器老掉线是怎么回事', '老掉线'],
    ['充电口松了，想修一下', '充电口松了'],
    ['电视没有图像，有声音', '没有图像'],
    ['手机屏幕有条纹，上个月买的', '屏幕有条纹'],
    ['My X20 Pro screen is cracked', 'screen is cracked'],
    ['There is no sound from the left earbud', 'There is no sound from the left earbud'],
    // Chatter, requests and button labels are no symptom.
    ['我要报修', undefined],
    ['你好，在吗', undefined],
    ['还是不行', undefined],
    ['不知道', undefined],
    ['确认提交', undefined],
    ['没摔过，也没进水', undefined],
    ['手机坏了', undefined],
    ['戴手表洗澡会不会进水', undefined],
  ])('%s → %s', (text, symptom) => {
    expect(read(text).symptom).toBe(symptom);
  });

  test.each<[string, string | undefined]>([
    // Asked for the fault, every clause is the description, only the chatter goes.
    ['充不进电，前天开始的', '充不进电，前天开始的'],
    ['就是屏幕上有一条竖线', '屏幕上有一条竖线'],
    ['你好 我的手机 屏幕一闪一闪的', '屏幕一闪一闪的'],
    ["The screen doesn't turn on", "screen doesn't turn on"],
    ['嗯', undefined],
    ['跳过', undefined],
  ])('as the answer to "describe the fault": %s → %s', (answer, symptom) => {
    expect(extractor.describedSymptom(answer)).toBe(symptom);
  });
});

describe('FactsExtractor: the service the customer asks for', () => {
  test.each<[string, string | undefined]>([
    ['X30 Ultra 进水了开不了机 要寄修', 'mailIn'],
    ['电视坏了，麻烦上门修一下', 'onsite'],
    ['我自己送到网点', 'carryIn'],
    ['I would like a home visit', 'onsite'],
    // Questions about a service do not choose it.
    ['上门维修要收费吗', undefined],
    ['寄修多久能回来', undefined],
    ['屏幕碎了', undefined],
  ])('%s → %s', (text, mode) => {
    expect(read(text).serviceMode).toBe(mode);
  });
});

describe('fee questions and the short answers', () => {
  test.each<[string, boolean]>([
    ['换屏多少钱', true],
    ['换个屏幕多少钱', true],
    ['修一下要多少钱', true],
    ['电池换一个多少', true],
    ['电池换一个多少钱啊', true],
    ['过保了修要多少钱', true],
    ['how much to replace the screen', true],
    ['How much does a battery replacement cost?', true],
    ['运费多少钱', false],
    ['延保多少钱', false],
    ['买一台新的多少钱', false],
    ['会不会乱收费', false],
    ['上门维修收费吗', false],
    ['路由器的管理密码默认是多少', false],
    ['你们的售后电话是多少', false],
  ])('%s → %s', (text, fee) => {
    expect(asksAboutFee(text)).toBe(fee);
  });

  test.each<[string, boolean]>([
    ['不知道', true],
    ['不知道啊', true],
    ['找不到', true],
    ['没有', true],
    ['忘了', true],
    ['不记得了', true],
    ['我也不清楚', true],
    ['没找到序列号', true],
    ["I don't know", true],
    ['no idea', true],
    ["I don't know the serial", true],
    ['i do not know the model', true],
    ["I don't know why it stopped charging after the update yesterday", false],
    ['星耀 X20', false],
    ['不知道为什么充不进电了，昨天还好好的', false],
  ])('saysDontKnow(%s) → %s', (text, expected) => {
    expect(saysDontKnow(text)).toBe(expected);
  });

  test('skip', () => {
    expect(saysSkip('跳过')).toBe(true);
    expect(saysSkip('先跳过吧')).toBe(true);
    expect(saysSkip('Skip')).toBe(true);
    expect(saysSkip('屏幕碎了')).toBe(false);
  });
});
