import { maskAddress, maskAddressesInText, maskPersonalText, maskPhone, maskPhonesInText } from '../../desk/privacy';

describe('maskPhone', () => {
  test('keeps the first three and last four digits of a whole mobile number', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
  });
  test.each(['', '1380013800', 'abc'])('anything that is not 11 digits ("%s") is hidden entirely', (value) => {
    expect(maskPhone(value)).toBe('****');
  });
});

describe('maskPhonesInText', () => {
  test.each([
    ['我电话13812345678', '我电话138****5678'],
    ['13812345678', '138****5678'],
    ['电话：138 1234 5678，谢谢', '电话：138****5678，谢谢'],
    ['138-1234-5678', '138****5678'],
    ['+86 138 1234 5678', '+86 138****5678'],
    ['+86-13812345678', '+86-138****5678'],
    ['+8613812345678', '+86138****5678'],
    ['8613812345678', '86138****5678'],
    ['打１３８１２３４５６７８找我', '打138****5678找我'],
    ['my number is 19912345678.', 'my number is 199****5678.'],
    ['两个号码 13812345678 和 15987654321', '两个号码 138****5678 和 159****4321'],
    ['座机021-12345678', '座机021-****5678'],
    ['座机 0755 1234567 白天打', '座机 0755 ****4567 白天打'],
    ['(021)12345678', '(021)****5678'],
    ['（010）87654321', '(010)****4321'],
    ['+86 21 12345678', '+86 21 ****5678'],
    ['010-87654321转8', '010-****4321转8'],
  ])('masks %s', (text, masked) => {
    expect(maskPhonesInText(text)).toBe(masked);
  });

  test.each([
    ['a ticket id', '我的工单号是S261122-0042，查一下'],
    ['a ticket id without its dash', 'S2611220042'],
    ['a serial number', '序列号 PH25A1381234'],
    ['a serial that ends in eleven digits', 'SN13812345678'],
    ['an 18-digit order number', '订单号 391245678901234567'],
    ['a 19-digit order number', '3913812345678901234'],
    ['an order number in groups', '订单号 3912 1381 2345 6789 01'],
    ['a mobile-like run inside a longer number', '123813812345678'],
    ['twelve digits', '138123456789'],
    ['ten digits', '1381234567'],
    ['a number that does not start like a mobile', '12812345678'],
    ['a date and a time', '2026-11-22 10:00 购买，09:00-18:00 营业'],
    ["a 400 hotline (a company line, not a customer's)", '客服热线 400-123-4567'],
    ['a price and a count', '维修费 1380 元，共 3 次'],
    ['an already masked number', '138****5678'],
    ['a conversation id', 'web-3f2a1381-2345-6789-abcd-138123456789'],
  ])('leaves %s alone', (_what, text) => {
    expect(maskPhonesInText(text)).toBe(text);
  });

  test('masking twice changes nothing more', () => {
    const once = maskPhonesInText('手机13812345678，座机021-12345678');
    expect(maskPhonesInText(once)).toBe(once);
  });
});

describe('addresses', () => {
  test.each([
    ['上海市浦东新区张江路88号', '上海市浦东新区****'],
    ['广东省深圳市南山区科技园科苑路15号3栋201', '广东省深圳市南山区****'],
    ['张江路88号', '张江路****'],
    ['上海市', '上海市'],
  ])('maskAddress keeps the district of %s', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });

  test.each([
    ['我家在上海市浦东新区张江路88号3号楼，麻烦上门', '我家在上海市浦东新区****，麻烦上门'],
    ['地址：北京市朝阳区阳光小区5栋2单元301室', '地址：北京市朝阳区****'],
    ['寄到 中山大道西123号', '寄到 中山大道西****'],
  ])('finds and masks the address in %s', (text, masked) => {
    expect(maskAddressesInText(text)).toBe(masked);
  });

  test.each(['路由器放在2楼信号不好', '重启路由器3次了', '第2步做完了', '型号是X20'])('leaves "%s" alone', (text) => {
    expect(maskAddressesInText(text)).toBe(text);
  });

  test('maskPersonalText masks phones and addresses in one sentence', () => {
    expect(maskPersonalText('电话13812345678，地址上海市浦东新区张江路88号')).toBe('电话138****5678，地址上海市浦东新区****');
  });
});
