import { productScopeOf } from '../../app/app';
import { Catalogue } from '../../desk/catalogue';
import { loadManual } from '../../knowledge/manual';

describe('ProductScope: what we do not make is recognised at once', () => {
  const manual = loadManual();
  const scope = productScopeOf(Catalogue.default(), manual.notOurs ?? [], manual.otherBrands ?? []);

  test.each([
    ['洗衣机坏了', { word: '洗衣机', kind: 'product' }],
    ['我家冰箱不制冷了', { word: '冰箱', kind: 'product' }],
    ['空调保修几年', { word: '空调', kind: 'product' }],
    ['my washing machine is broken', { word: 'washing machine', kind: 'product' }],
    ['我的华为手机屏幕碎了', { word: '华为手机', kind: 'brand', maker: '华为' }],
    ['小米电视黑屏', { word: '小米电视', kind: 'brand', maker: '小米' }],
    ['荣耀30充不进电', { word: '荣耀30', kind: 'brand', maker: '荣耀' }],
    ['苹果的笔记本开不了机', { word: '苹果的笔记本', kind: 'brand', maker: '苹果' }],
    // A product name by itself: no maker's name to point to, so the reply says "该品牌".
    ['iPhone 15 摔了', { word: 'iPhone 15', kind: 'brand' }],
    // 电话 in a phone number is not our phone.
    ['洗衣机不转了，我电话13800138000', { word: '洗衣机', kind: 'product' }],
    ['my iPhone screen cracked', { word: 'iPhone', kind: 'brand' }],
    ['Samsung TV has no picture', { word: 'Samsung TV', kind: 'brand', maker: 'Samsung' }],
  ])('%s → %j', (text, mention) => {
    expect(scope.foreignIn(text)).toEqual(mention);
  });

  test.each([
    ['our own product', '我的手机充不进电'],
    ['our model', '星耀 X30 Ultra 屏幕碎了'],
    ['our brand', '青禾平板开不了机'],
    ['a brand beside our product', '耳机连不上苹果手机'],
    ['an accessory of another brand', '苹果充电器能给手机充电吗'],
    ['another maker’s device on our network', '小米电视连不上wifi'],
    ['a foreign device and the network', '扫地机器人连不上wifi'],
    ['a shop, not a product', '我是在华为商城买的耳机'],
    ['an apple', '苹果'],
    ['nothing at all', '你好'],
  ])('not foreign: %s ("%s")', (_what, text) => {
    expect(scope.foreignIn(text)).toBeUndefined();
  });
});
