import { chineseTokenizer, matchChoice } from '../../dialogs/choices';

describe('Chinese choices', () => {
  test('every Han character is a token, Latin words stay whole', () => {
    expect(chineseTokenizer('预约维修 X20 Pro').map((t) => t.text)).toEqual(['预', '约', '维', '修', 'X20', 'Pro']);
  });

  test.each([
    ['预约', ['预约维修', '查询进度'], '预约维修'],
    ['送修', ['上门维修', '送修到服务网点', '寄修'], '送修到服务网点'],
    ['寄修吧', ['上门维修', '送修到服务网点', '寄修'], '寄修'],
    ['上门', ['上门维修', '送修到服务网点'], '上门维修'],
    ['2', ['上门维修', '送修到服务网点', '寄修'], '送修到服务网点'],
    ['第三个', ['上门维修', '送修到服务网点', '寄修'], '寄修'],
    ['确认', ['确认提交', '修改信息'], '确认提交'],
    ['修改', ['确认提交', '修改信息'], '修改信息'],
    ['郊区', ['市区', '郊区'], '郊区'],
    ['Mail-in', ['On-site visit', 'Carry-in to a service point', 'Mail-in'], 'Mail-in'],
  ])('%s picks %s', (answer, options, expected) => {
    expect(matchChoice(answer, options)).toBe(expected);
  });

  test.each([
    ['天气不错', ['上门维修', '寄修']],
    ['9', ['上门维修', '寄修']],
  ])('%s picks nothing', (answer, options) => {
    expect(matchChoice(answer, options)).toBeUndefined();
  });
});
