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

  it('gives nothing for punctuation and emoji only', () => {
    expect(tokenizer.tokens('？？！！。。😂')).toEqual([]);
  });
});
