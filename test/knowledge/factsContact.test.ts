import { FactsExtractor } from '../../knowledge/facts';

// Product words are not what this suite is about: an empty vocabulary keeps it to names and addresses.
const extractor = new FactsExtractor({ products: { categories: [], models: [], serialPatterns: [] }, symptomCues: ['黑屏'], notOurs: [] });

describe('FactsExtractor: the name and address given with the other facts', () => {
  test.each([
    [
      '我叫王小明，电话13812345678，地址上海市浦东新区张杨路500号',
      { customerName: '王小明', phone: '13812345678', address: '上海市浦东新区张杨路500号' },
    ],
    [
      '王先生 13812345678 徐汇区漕溪北路88号3楼',
      { customerName: '王', honorific: 'mr', phone: '13812345678', address: '徐汇区漕溪北路88号3楼' },
    ],
    [
      '电视黑屏了，地址是闵行区莘庄镇莘东路1号 联系人李女士',
      { customerName: '李', honorific: 'ms', address: '闵行区莘庄镇莘东路1号', symptom: '电视黑屏了' },
    ],
  ])('%s', (text, expected) => {
    expect(extractor.read(text)).toMatchObject(expected);
  });

  test.each(['我是想问一下，电视黑屏了', '我是在京东买的'])('%s names no one and gives no address', (text) => {
    const facts = extractor.read(text);
    expect(facts.customerName).toBeUndefined();
    expect(facts.address).toBeUndefined();
  });
});
