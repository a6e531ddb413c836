import { createTokenizer } from '../../knowledge/tokenizer';

const synonyms = [
  { terms: ['无法充电', '充不进电', '充不上电', '充电没反应'] },
  { terms: ['无法开机', '开不了机', '开不开机'] },
  { terms: ['蓝牙耳机', '无线耳机'] },
];
const dictionary = ['鸿蒙', '掉电快', '息屏显示'];

describe.each(['jieba', 'segmenter'] as const)('tokenizer (%s)', (engine) => {
  const tokenizer = createTokenizer({ dictionary, synonyms, forceEngine: engine === 'segmenter' ? 'segmenter' : undefined });

  it('runs on the engine asked for (jieba loads on this machine)', () => {
    expect(tokenizer.engine).toBe(engine);
  });

  it('gives colloquial and standard wording the same tokens, so 充不进电 finds an entry written as 无法充电', () => {
    const colloquial = tokenizer.tokens('手机充不进电');
    const standard = tokenizer.tokens('手机无法充电');
    expect(new Set(colloquial)).toEqual(new Set(standard));
    expect(colloquial).toContain('无法充电');
    expect(tokenizer.tokens('开不了机了')).toContain('无法开机');
  });

  it('keeps the user dictionary words whole', () => {
    expect(tokenizer.tokens('升级鸿蒙以后手机掉电快')).toEqual(expect.arrayContaining(['鸿蒙', '掉电快']));
    expect(tokenizer.tokens('手表的息屏显示在哪里开')).toContain('息屏显示');
  });

  it('adds every Han character, so paraphrases that split words differently still overlap', () => {
    const tokens = tokenizer.tokens('屏幕碎了');
    expect(tokens).toEqual(expect.arrayContaining(['屏', '幕', '碎']));
  });

  it('drops particles and question frames but keeps negations that change the meaning', () => {
    const tokens = tokenizer.tokens('请问我的手机为什么连不上网呢？');
    for (const noise of ['的', '呢', '请问', '为什么', '我', '？', '?']) expect(tokens).not.toContain(noise);
    expect(tokens).toContain('不');
    expect(tokens).toEqual(expect.arrayContaining(['手机', '网']));
  });

  it('normalises width and case, and splits model names into their parts', () => {
    const tokens = tokenizer.tokens('ＷｉＦｉ连不上，型号Mate60 Pro');
    expect(tokens).toEqual(expect.arrayContaining(['wifi', 'mate60', 'mate', '60', 'pro']));
    expect(tokens.some((t) => /[A-Z，]/.test(t))).toBe(false);
  });

  it("rewrites each word once: a standard term holding another group's term stays as it is", () => {
    const nested = createTokenizer({
      dictionary,
      synonyms: [
        { terms: ['无线网络', 'wifi'] },
        { terms: ['无线网', '歪费'] },
        { terms: ['上门维修', '上门修'] },
        { terms: ['报修', '维修'] },
      ],
      forceEngine: engine === 'segmenter' ? 'segmenter' : undefined,
    });
    expect(nested.tokens('无线网络')).not.toContain('络络');
    expect(nested.tokens('上门维修')).not.toContain('报修');
    expect(nested.tokens('维修')).toContain('报修');
  });

  it('matches Latin synonyms as whole words, keeping the word itself beside the standard', () => {
    const latin = createTokenizer({
      dictionary,
      synonyms: [{ terms: ['平板', 'pad'] }, { terms: ['路由器', 'BE7200'] }],
      forceEngine: engine === 'segmenter' ? 'segmenter' : undefined,
    });
    expect(latin.tokens('touchpad失灵')).not.toContain('平板');
    expect(latin.tokens('pad11怎么分屏')).toEqual(expect.arrayContaining(['平板', 'pad']));
    expect(latin.tokens('BE7200怎么开wifi7')).toEqual(expect.arrayContaining(['路由器', 'be7200']));
  });

  it('folds common pinyin slips before the synonyms (冲不进电 → 无法充电) but not real words (反映问题)', () => {
    expect(tokenizer.tokens('手机冲不进电')).toContain('无法充电');
    expect(tokenizer.tokens('我要反映问题')).toContain('映');
    expect(tokenizer.tokens('按了没反映')).toContain('应');
  });

  it('drops frames that ask without naming a topic (怎么回事, 要不要)', () => {
    expect(tokenizer.tokens('这是怎么回事')).not.toContain('回事');
    expect(tokenizer.tokens('系统要不要升级')).not.toContain('不');
  });

  it('gives nothing for punctuation and emoji only', () => {
    expect(tokenizer.tokens('？？！！。。😂')).toEqual([]);
  });
});
