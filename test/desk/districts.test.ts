import { DistrictDirectory, type DistrictMatch } from '../../desk/districts';

const shanghai = DistrictDirectory.forProvince('上海');

const summary = (match: DistrictMatch): string => {
  if (match.kind === 'found') return `${match.district.name} ${match.district.code}`;
  if (match.kind === 'outside') return `outside ${match.province}`;
  return `unsure ${match.candidates.map((d) => d.name).join(',')}`;
};

describe("the customer's district from the address they give", () => {
  test.each([
    ['上海市徐汇区漕溪北路88号', '徐汇区 310104'],
    ['徐汇区漕溪北路88号3楼', '徐汇区 310104'],
    ['浦东张江高科技园区碧波路690号', '浦东新区 310115'],
    ['上海浦东新区世纪大道100号', '浦东新区 310115'],
    ['闵行七宝', '闵行区 310112'],
    ['上海 闵行区 七宝镇 漕宝路3366号', '闵行区 310112'],
    ['我家在杨浦五角场附近', '杨浦区 310110'],
    ['静安寺旁边的小区', '静安区 310106'],
    ['崇明县城桥镇', '崇明区 310151'],
    ['卢湾区淮海中路', '黄浦区 310101'],
    ['闸北区共和新路', '静安区 310106'],
    ['南汇惠南镇', '浦东新区 310115'],
    ['上海市松江区九亭镇', '松江区 310117'],
    ['Xuhui 漕溪北路', 'unsure '],
    // A road named after a district is not the district: 宝山路 is in 静安区.
    ['宝山路100号', 'unsure '],
    ['徐汇还是长宁我也说不清', 'unsure 徐汇区,长宁区'],
    ['北京市朝阳区建国路', 'outside 北京市'],
    ['江苏省昆山市花桥镇', 'outside 江苏省'],
  ])('%s → %s', (address, expected) => {
    expect(summary(shanghai.find(address))).toBe(expected);
  });

  test('Shanghai has its 16 districts, by official and short name', () => {
    expect(shanghai.districts()).toHaveLength(16);
    expect(shanghai.byName('浦东')?.code).toBe('310115');
    expect(shanghai.byName('浦东新区')?.shortName).toBe('浦东');
    expect(shanghai.byName('卢湾区')).toBeUndefined();
  });
});
