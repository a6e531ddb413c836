import { FaqIndex } from '../../knowledge/faqIndex';
import { GuideIndex } from '../../knowledge/guideIndex';
import { loadManual } from '../../knowledge/manual';
import { ManualRetriever } from '../../knowledge/manualRetriever';
import type { FaqEntry, Guide, Manual } from '../../knowledge/manualTypes';
import { createTokenizer } from '../../knowledge/tokenizer';
import { syntheticManual } from '../../scripts/bench';
import { referenceRanking } from '../helpers/miniSearchReference';

function faq(e: Partial<FaqEntry> & Pick<FaqEntry, 'id' | 'question' | 'similar' | 'steps'>): FaqEntry {
  return { topic: 'howto', tags: [], categories: [], models: [], ...e };
}

/** A small manual shaped like knowledge/data: the same question for two products, a policy entry for all. */
const manual: Manual = {
  faqs: [
    faq({
      id: 'phone-charging',
      topic: 'charging',
      categories: ['phone'],
      question: '手机无法充电怎么办？',
      similar: ['手机插上充电器没反应', '手机电量一直不涨'],
      steps: ['换一根原装数据线和充电头再试。', '清理充电口里的灰尘。'],
      tags: ['充电', '充电器'],
    }),
    faq({
      id: 'laptop-charging',
      topic: 'charging',
      categories: ['laptop'],
      question: '笔记本电脑无法充电怎么办？',
      similar: ['电脑插着电源适配器不充电', '笔记本电量一直不涨'],
      steps: ['确认电源适配器指示灯亮起。', '在电源管理软件里关闭电池保护模式。'],
      tags: ['充电', '电源适配器'],
    }),
    faq({
      id: 'phone-battery-drain',
      topic: 'charging',
      categories: ['phone'],
      question: '手机耗电太快怎么办？',
      similar: ['手机电池不耐用', '手机掉电快'],
      steps: ['在设置 > 电池里查看耗电排行。', '关闭不常用应用的后台刷新。'],
      tags: ['耗电', '电池'],
    }),
    faq({
      id: 'laptop-battery-drain',
      topic: 'charging',
      categories: ['laptop'],
      question: '笔记本电脑耗电太快怎么办？',
      similar: ['笔记本电池不耐用', '电脑续航太短'],
      steps: ['把电源模式切换为节能。', '降低屏幕亮度。'],
      tags: ['耗电', '续航'],
    }),
    faq({
      id: 'phone-screenshot',
      categories: ['phone'],
      question: '手机怎么截屏？',
      similar: ['手机截图怎么弄', '怎么截取手机屏幕'],
      steps: ['同时按住电源键和音量下键。', '或从屏幕顶部下拉，点击截屏图标。'],
      tags: ['截屏', '截图'],
    }),
    faq({
      id: 'router-reset',
      topic: 'settings',
      categories: ['router'],
      question: '路由器怎么恢复出厂设置？',
      similar: ['路由器密码忘了怎么重置', '路由器怎么复位'],
      // Mentions 截屏 in an answer step only: must not outrank the entry that is about it.
      steps: ['用牙签长按复位孔 10 秒。', '指示灯全亮后松开，重新设置网络；可截屏保存新密码。'],
      tags: ['重置', '复位'],
    }),
    faq({
      id: 'invoice',
      topic: 'service',
      question: '怎么开发票？',
      similar: ['购买后能补开发票吗', '电子发票在哪里下载'],
      steps: ['在订单详情页点击申请开票。', '电子发票开好后会发到你的邮箱。'],
      tags: ['发票'],
    }),
    faq({
      id: 'warranty-period',
      topic: 'warranty',
      question: '产品的保修期是多久？',
      similar: ['保修多长时间', '过了多久就不保修了'],
      steps: ['整机保修期以购买凭证日期起算。', '可在公众号输入序列号查询保修状态。'],
      tags: ['保修', '三包'],
    }),
  ],
  guides: [
    guide('no-charge', '无法充电', ['充不进电', '插上电没反应', '电量不涨']),
    guide('no-boot', '无法开机', ['开不了机', '按电源键没反应', '黑屏开不了机']),
    guide('no-wifi', '连不上无线网络', ['wifi连不上', '搜不到wifi']),
  ],
  synonyms: [
    { terms: ['无法充电', '充不进电', '充不上电', '不充电'] },
    { terms: ['截屏', '截图', '截取屏幕'] },
    { terms: ['耗电快', '掉电快', '耗电太快', '不耐用'] },
    { terms: ['笔记本', '笔记本电脑', '电脑'] },
  ],
  dictionary: ['电源适配器', '续航'],
};

function guide(id: string, symptom: string, phrases: string[]): Guide {
  return {
    id,
    symptom,
    phrases,
    start: 's1',
    steps: [
      {
        id: 's1',
        instruction: '重启设备。',
        detail: '长按电源键十秒。',
        question: '好了吗？',
        branches: [
          { answer: '好了', next: 'solved' },
          { answer: '没好', next: 'report' },
        ],
      },
    ],
    categories: [],
    models: [],
  };
}

const OFF_MANUAL = ['你们公司的股票代码是多少', '明天北京天气怎么样', '帮我订一张去上海的机票', '推荐一部好看的电影'];

describe.each(['jieba', 'segmenter'] as const)('FaqIndex (%s)', (engine) => {
  const tokenizer = createTokenizer({
    dictionary: manual.dictionary,
    synonyms: manual.synonyms,
    forceEngine: engine === 'segmenter' ? 'segmenter' : undefined,
  });
  const index = FaqIndex.build(manual, tokenizer);
  const top = (q: string, opts = {}): string | undefined => index.search(q, opts)[0]?.entry.id;

  it('finds entries from paraphrases that share few exact words with them', () => {
    expect(top('手机截个图要按哪几个键')).toBe('phone-screenshot');
    expect(top('买了东西想要张发票')).toBe('invoice');
    expect(top('保修能保几年')).toBe('warranty-period');
    expect(top('路由器想复位')).toBe('router-reset');
  });

  it('treats colloquial synonyms like the standard term (充不上电 → 无法充电, 电池掉电快 → 耗电太快)', () => {
    expect(top('手机充不上电了')).toBe('phone-charging');
    expect(top('手机最近掉电快')).toBe('phone-battery-drain');
  });

  it('ranks an entry asked about above one that only mentions the words in its steps', () => {
    const hits = index.search('截屏');
    expect(hits[0]!.entry.id).toBe('phone-screenshot');
    const router = hits.find((h) => h.entry.id === 'router-reset');
    if (router) expect(router.score).toBeLessThan(hits[0]!.score / 2);
  });

  it("puts the customer's own product first when the question fits several", () => {
    expect(top('电池不耐用', { category: 'laptop' })).toBe('laptop-battery-drain');
    expect(top('电池不耐用', { category: 'phone' })).toBe('phone-battery-drain');
    expect(top('电量一直不涨', { category: 'laptop' })).toBe('laptop-charging');
    expect(top('电量一直不涨', { category: 'phone' })).toBe('phone-charging');
    // Entries for every product rank as the customer's own product's entries do.
    expect(top('怎么开发票', { category: 'tv' })).toBe('invoice');
  });

  it('answers a policy question about a named product with the entry for every product', () => {
    // The product word matched every one of the product's entries (手机, 手, 机: three terms, and
    // the matched-term count multiplies the score), so 手机屏幕 (手机截屏) beat 保修; the policy entry
    // answers for that product too.
    expect(top('手机屏幕保修吗')).toBe('warranty-period');
    expect(top('我的手机屏幕还保修吗')).toBe('warranty-period');
    expect(top('保修多长时间', { category: 'phone' })).toBe('warranty-period');
    // Still the product's own entry when that is what is asked.
    expect(top('手机截图怎么弄')).toBe('phone-screenshot');
  });

  it('lets an explicit product in the question win over the profile', () => {
    expect(top('笔记本电脑耗电太快', { category: 'phone' })).toBe('laptop-battery-drain');
  });

  it('is confident on real questions and not sure on questions the manual does not cover', () => {
    for (const q of ['手机充不进电怎么办', '路由器怎么恢复出厂设置', '怎么开发票']) {
      const answer = index.answerOf(q);
      expect(answer?.confident).toBe(true);
    }
    for (const q of OFF_MANUAL) {
      const answer = index.answerOf(q);
      expect(answer === undefined || !answer.confident).toBe(true);
    }
  });

  it("is not sure of an entry only for another product that never names the question's product", () => {
    // The only screenshot entry is the phone's, and none of its phrasings says 笔记本: it may be
    // offered, but not as a sure answer for a laptop.
    const hits = index.search('笔记本怎么截屏');
    expect(hits.map((h) => h.entry.id)).toContain('phone-screenshot');
    expect(hits[0]!.confidence).toBeLessThan(FaqIndex.CONFIDENT);
    expect(index.answerOf('手机怎么截屏')?.confident).toBe(true);
  });

  it('keeps confidence in 0..1, highest for the first hit', () => {
    const hits = index.search('手机无法充电', { limit: 5 });
    expect(hits.length).toBeGreaterThan(1);
    for (const h of hits) {
      expect(h.confidence).toBeGreaterThanOrEqual(0);
      expect(h.confidence).toBeLessThanOrEqual(1);
    }
    expect(hits[0]!.confidence).toBeGreaterThan(hits[1]!.confidence);
  });

  it('returns nothing for an empty or punctuation-only message', () => {
    expect(index.search('？？')).toEqual([]);
    expect(index.answerOf('。。')).toBeUndefined();
  });
});

describe('FaqIndex on the service manual: entries only for another product', () => {
  const shipped = loadManual();
  const index = FaqIndex.build(shipped, createTokenizer({ dictionary: shipped.dictionary, synonyms: shipped.synonyms }));

  it('hedges one whose phrasings never name the product asked about', () => {
    // The phone's wireless-charging and face-unlock entries say nothing of earbuds or tablets.
    for (const q of ['耳机支持无线充电吗', '平板支持人脸解锁吗']) {
      const [hit] = index.search(q);
      expect(hit?.entry.categories).toEqual(['phone']);
      expect(hit!.confidence).toBeLessThan(FaqIndex.CONFIDENT);
    }
  });

  it('answers nothing with confidence about products we neither make nor service, but their Wi-Fi is a router question', () => {
    for (const q of ['冰箱保修几年', '你们的微波炉坏了能修吗', '无人机电池充不进电']) {
      expect(index.search(q)[0]!.confidence).toBeLessThan(FaqIndex.CONFIDENT);
    }
    const router = index.answerOf('扫地机器人连不上家里的wifi');
    expect(router?.hit.entry.id).toBe('router-old-device-no-wifi');
    expect(router?.confident).toBe(true);
  });

  it('still answers from one that names it (有线耳机 in the phone entry)', () => {
    const answer = index.answerOf('有线耳机没声');
    expect(answer?.hit.entry.id).toBe('phone-wired-headset');
    expect(answer?.confident).toBe(true);
  });
});

describe.each(['jieba', 'segmenter'] as const)('FaqIndex fast scorer (%s)', (engine) => {
  // The precomputed postings must rank exactly as MiniSearch does (the index's reference scoring):
  // same entries, same order (ties included), same scores, with and without the product boost.
  const tokenizer = createTokenizer({
    dictionary: manual.dictionary,
    synonyms: manual.synonyms,
    forceEngine: engine === 'segmenter' ? 'segmenter' : undefined,
  });
  const questions = [
    ...manual.faqs.flatMap((e) => [e.question, ...e.similar, ...e.tags, e.steps[0]!]),
    ...OFF_MANUAL,
    '手机截个图要按哪几个键',
    '电池不耐用',
    '电量一直不涨',
    '截屏',
    'wifi 连不上 mate60',
    // A named product with entries for every product in reach: their implied terms (see FaqIndex).
    '手机电池保修吗',
    '我的手机屏幕还保修吗',
    '笔记本电脑的发票怎么开',
  ];
  const profiles = [{}, { category: 'phone' }, { category: 'laptop' }, { category: 'tv', model: 'x1' }, { model: 'mate60' }];

  function expectSameRanking(index: FaqIndex, limit: number): void {
    let compared = 0;
    for (const q of questions) {
      for (const profile of profiles) {
        const fast = index.ranking(q, { ...profile, limit });
        const reference = referenceRanking(index, q, { ...profile, limit });
        expect({ q, profile, ranking: fast }).toEqual({ q, profile, ranking: reference });
        compared += fast.length;
      }
    }
    expect(compared).toBeGreaterThan(questions.length);
  }

  it('ranks the fixture manual exactly like MiniSearch', () => {
    expectSameRanking(FaqIndex.build(manual, tokenizer), manual.faqs.length);
  });

  it('ranks a larger generated manual (repeated texts, so ties) exactly like MiniSearch', () => {
    const faqs = syntheticManual(manual.faqs, 400, 7);
    faqs.forEach((e, i) => {
      if (i % 5 === 0) e.models = ['mate60'];
    });
    expectSameRanking(FaqIndex.build({ ...manual, faqs }, tokenizer), 10);
  });
});

describe('GuideIndex', () => {
  const tokenizer = createTokenizer({ dictionary: manual.dictionary, synonyms: manual.synonyms });
  const guides = GuideIndex.build(manual, tokenizer);

  it('picks the guide for a described symptom', () => {
    expect(guides.find('我手机充不进电了')?.guide.id).toBe('no-charge');
    expect(guides.find('按电源键一点反应都没有，开不了机')?.guide.id).toBe('no-boot');
    expect(guides.find('家里wifi连不上')?.guide.id).toBe('no-wifi');
  });

  it('finds no guide for a message that describes no symptom', () => {
    expect(guides.find('你们几点下班')).toBeUndefined();
    expect(guides.find('我想开发票')).toBeUndefined();
  });
});

describe('ManualRetriever', () => {
  const index = FaqIndex.build(manual, createTokenizer({ dictionary: manual.dictionary, synonyms: manual.synonyms }));

  it('returns the best entries as LangChain documents with their id, score and confidence', async () => {
    const docs = await new ManualRetriever({ index, category: 'phone' }).invoke('手机截图怎么弄');
    expect(docs.length).toBeGreaterThan(0);
    expect(docs[0]!.metadata.faqId).toBe('phone-screenshot');
    expect(docs[0]!.pageContent).toContain('同时按住电源键和音量下键');
    expect(docs[0]!.metadata.confidence).toBeGreaterThan(0);
  });

  it('leaves out unsure hits when asked to', async () => {
    const docs = await new ManualRetriever({ index, minConfidence: FaqIndex.CONFIDENT }).invoke('明天北京天气怎么样');
    expect(docs).toEqual([]);
  });
});
