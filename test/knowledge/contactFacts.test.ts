import { DistrictDirectory } from '../../desk/districts';
import { maskPersonalText } from '../../desk/privacy';
import { readContactFacts, type ContactFacts } from '../../knowledge/contactFacts';

const shanghai = DistrictDirectory.forProvince('上海');

describe("the customer's name and address from a one-line message", () => {
  test.each<[string, ContactFacts, string]>([
    ['我叫王小明，电话13812345678，地址上海市浦东新区张杨路500号', { name: '王小明', address: '上海市浦东新区张杨路500号' }, '浦东新区'],
    ['王先生 13812345678 徐汇区漕溪北路88号3楼', { name: '王', honorific: 'mr', address: '徐汇区漕溪北路88号3楼' }, '徐汇区'],
    ['地址是闵行区莘庄镇莘东路1号 联系人李女士', { name: '李', honorific: 'ms', address: '闵行区莘庄镇莘东路1号' }, '闵行区'],
    ['我姓张，住在杨浦区国权路525号5栋302室，明天下午来吧', { name: '张', address: '杨浦区国权路525号5栋302室' }, '杨浦区'],
    ['上海市浦东新区张杨路500号明天下午来吧', { address: '上海市浦东新区张杨路500号' }, '浦东新区'],
    ['家住长宁区天山路1号，麻烦尽快', { address: '长宁区天山路1号' }, '长宁区'],
    ['收件人 张三 上海 闵行区 七宝镇 漕宝路3366号', { name: '张三', address: '上海 闵行区 七宝镇 漕宝路3366号' }, '闵行区'],
    ['陈女士，宝山区友谊路1588弄12号1201', { name: '陈', honorific: 'ms', address: '宝山区友谊路1588弄12号1201' }, '宝山区'],
    ['我的名字叫刘洋，家在松江区九亭镇', { name: '刘洋', address: '松江区九亭镇' }, '松江区'],
    ['麻烦来一下静安区南京西路1266号', { address: '静安区南京西路1266号' }, '静安区'],
    ['电视坏了，我在普陀区真北路3199号，电话 139-1234-5678', { address: '普陀区真北路3199号' }, '普陀区'],
    [
      '住址 浦东新区 金桥镇 金穗路1398号 王女士 18912345678',
      { name: '王', honorific: 'ms', address: '浦东新区 金桥镇 金穗路1398号' },
      '浦东新区',
    ],
    ['上海市嘉定区安亭镇墨玉南路888号，李先生', { name: '李', honorific: 'mr', address: '上海市嘉定区安亭镇墨玉南路888号' }, '嘉定区'],
    ['地址：静安区江宁路77号 3号楼 1201室', { address: '静安区江宁路77号 3号楼 1201室' }, '静安区'],
    ['地址在青浦区华新镇华志路123弄45号 明天上午', { address: '青浦区华新镇华志路123弄45号' }, '青浦区'],
    ['我家在虹口区四川北路1885号附近', { address: '虹口区四川北路1885号' }, '虹口区'],
    ['上门地址：金山区石化街道卫零路500号', { address: '金山区石化街道卫零路500号' }, '金山区'],
    ['电话13812345678 地址 奉贤区南桥镇 解放东路 888号', { address: '奉贤区南桥镇 解放东路 888号' }, '奉贤区'],
    ['我住在阳光花园5栋302', { address: '阳光花园5栋302' }, ''],
    ['我是张伟，手机13812345678', { name: '张伟' }, ''],
    ['叫我小王就行', { name: '小王' }, ''],
    ['我姓欧阳', { name: '欧阳' }, ''],
    ['联系人：欧阳娜娜 139 1234 5678', { name: '欧阳娜娜' }, ''],
    ['我是王小明', { name: '王小明' }, ''],
    ['张杨路500号', { address: '张杨路500号' }, ''],
    [
      'my name is Li Lei, address 88 Caoxi Rd, Xuhui District, Shanghai',
      { name: 'Li Lei', address: '88 Caoxi Rd, Xuhui District, Shanghai' },
      '',
    ],
    [
      'Mr. Wang, 1000 Century Avenue, Pudong New Area, Shanghai, please come tomorrow',
      { name: 'Wang', honorific: 'mr', address: '1000 Century Avenue, Pudong New Area, Shanghai' },
      '',
    ],
  ])('%s', (text, facts, district) => {
    // English addresses name districts in pinyin, which the directory does not read: '' skips the check.
    const read = readContactFacts(text);
    expect(read).toEqual(facts);
    if (district) {
      const match = shanghai.find(read.address ?? '');
      expect(match.kind === 'found' && match.district.name).toBe(district);
    }
  });

  test.each([
    '我是想问一下',
    '我是在京东买的',
    '我是上海的',
    '我先生在家',
    '王师傅什么时候到',
    '我是马上要用',
    '我是周末才在家',
    '我是华为的老用户',
    '叫我什么都行',
    '我叫了快递',
    '你好小姐，电视开不了机',
    '电视开不了机',
    'my name is not important',
    // A city alone, a building without its street, a district without a street: no address to go to.
    '我在上海市买的',
    '5号楼3单元',
    '路由器放在2楼',
  ])('%s gives neither name nor address', (text) => {
    expect(readContactFacts(text)).toEqual({});
  });

  test.each([
    ['我叫王小明，地址上海市浦东新区张杨路500号', '上海市浦东新区****'],
    ['王先生 徐汇区漕溪北路88号3楼', '徐汇区****'],
    ['陈女士，宝山区友谊路1588弄12号1201', '宝山区****'],
  ])('the address read from %s is masked to its district where a role does not need it', (text, masked) => {
    expect(maskPersonalText(readContactFacts(text).address ?? '')).toBe(masked);
  });
});
