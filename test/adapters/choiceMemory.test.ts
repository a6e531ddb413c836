import type { Redis } from 'ioredis';
import { ChoiceMemory } from '../../adapters/choiceMemory';
import type { RenderedChoice } from '../../adapters/textRendering';
import { testRedis } from '../helpers/redis';
import { until } from '../helpers/until';

const TEN: RenderedChoice[] = Array.from({ length: 10 }, (_, i) => ({ title: `选项${i + 1}`, text: `option ${i + 1}` }));
const MENU: RenderedChoice[] = [
  { title: '报修', text: '报修' },
  { title: '保修查询', text: '保修查询' },
  { title: '预约上门', text: '预约上门', value: { action: 'book', slot: 3 } },
];

describe('ChoiceMemory', () => {
  let redis: Redis;
  let memory: ChoiceMemory;

  beforeEach(() => {
    redis = testRedis();
    memory = new ChoiceMemory(redis);
  });
  afterEach(async () => {
    await redis.quit();
  });

  test.each([
    ['1', 1],
    ['１', 1],
    [' 2 ', 2],
    ['\u30003\u3000', 3],
    ['3.', 3],
    ['3．', 3],
    ['4、', 4],
    ['5。', 5],
    ['选1', 1],
    ['选 2', 2],
    ['选第3个', 3],
    ['第2个', 2],
    ['第 6 项', 6],
    ['第二个', 2],
    ['第十个', 10],
    ['一', 1],
    ['五', 5],
    ['十', 10],
    ['#3', 3],
    ['＃７', 7],
    ['10', 10],
  ])('"%s" picks option %i', async (text, position) => {
    await memory.remember('conv-a', TEN);
    await expect(memory.resolve('conv-a', text)).resolves.toEqual(TEN[position - 1]);
  });

  test('a picked option keeps its value', async () => {
    await memory.remember('conv-a', MENU);
    await expect(memory.resolve('conv-a', '3')).resolves.toEqual(MENU[2]);
  });

  test.each(['4', '0', '00', '四', '第五个', '#9', '99'])('"%s" is out of range of three options', async (text) => {
    await memory.remember('conv-a', MENU);
    await expect(memory.resolve('conv-a', text)).resolves.toBeUndefined();
  });

  test.each(['12345678901', '2个都不行', '1号下午', '1 2', '1,2', '2个', '报修', '一下', '1-2', '选', '', '   ', '-1', '1.5'])(
    '"%s" is not a choice',
    async (text) => {
      await memory.remember('conv-a', TEN);
      await expect(memory.resolve('conv-a', text)).resolves.toBeUndefined();
    },
  );

  test('new options replace the old ones', async () => {
    await memory.remember('conv-a', TEN);
    await memory.remember('conv-a', MENU);
    await expect(memory.resolve('conv-a', '1')).resolves.toEqual(MENU[0]);
    await expect(memory.resolve('conv-a', '5')).resolves.toBeUndefined();
  });

  test('an answer without options forgets the options shown before', async () => {
    await memory.remember('conv-a', MENU);
    await memory.remember('conv-a', []);
    await expect(memory.resolve('conv-a', '1')).resolves.toBeUndefined();
    expect(await redis.exists('cs:conv:{conv-a}:choices')).toBe(0);
  });

  test('forget drops the options', async () => {
    await memory.remember('conv-a', MENU);
    await memory.forget('conv-a');
    await expect(memory.resolve('conv-a', '1')).resolves.toBeUndefined();
  });

  test("conversations do not see each other's options", async () => {
    await memory.remember('conv-a', MENU);
    await memory.remember('conv-b', TEN);
    await expect(memory.resolve('conv-a', '1')).resolves.toEqual(MENU[0]);
    await expect(memory.resolve('conv-b', '1')).resolves.toEqual(TEN[0]);
    await expect(memory.resolve('conv-c', '1')).resolves.toBeUndefined();
  });

  test('options expire: 24 hours by default, or as configured', async () => {
    await memory.remember('conv-a', MENU);
    const ttl = await redis.ttl('cs:conv:{conv-a}:choices');
    expect(ttl).toBeGreaterThan(24 * 3600 - 5);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);

    await new ChoiceMemory(redis, { ttlSeconds: 60 }).remember('conv-b', MENU);
    const shortTtl = await redis.ttl('cs:conv:{conv-b}:choices');
    expect(shortTtl).toBeGreaterThan(55);
    expect(shortTtl).toBeLessThanOrEqual(60);
  });

  test('options that expired cannot be picked', async () => {
    await new ChoiceMemory(redis, { ttlSeconds: 1 }).remember('conv-a', MENU);
    await redis.pexpire('cs:conv:{conv-a}:choices', 1);
    await until(async () => (await redis.exists('cs:conv:{conv-a}:choices')) === 0, 'the options to expire');
    await expect(memory.resolve('conv-a', '1')).resolves.toBeUndefined();
  });

  test('unreadable stored options are no options, not an error', async () => {
    await redis.set('cs:conv:{conv-a}:choices', '{not json');
    await expect(memory.resolve('conv-a', '1')).resolves.toBeUndefined();
    await redis.set('cs:conv:{conv-a}:choices', JSON.stringify([{ label: 'old shape' }]));
    await expect(memory.resolve('conv-a', '1')).resolves.toBeUndefined();
  });

  test('a TTL that is not a positive whole number of seconds is refused', () => {
    expect(() => new ChoiceMemory(redis, { ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => new ChoiceMemory(redis, { ttlSeconds: 1.5 })).toThrow(RangeError);
  });
});
