import type { Redis } from 'ioredis';
import { RedisStorage, StorageConflictError } from '../../bot/redisStorage';
import { testRedis } from '../helpers/redis';
import { until } from '../helpers/until';

// The cases of botbuilder's own storage tests (storageBaseTests), against a real Redis.
describe('RedisStorage', () => {
  let redis: Redis;
  let storage: RedisStorage;

  beforeEach(() => {
    redis = testRedis();
    storage = new RedisStorage(redis);
  });
  afterEach(async () => {
    await redis.quit();
  });

  test('reading unknown keys returns nothing for them', async () => {
    await expect(storage.read(['unknown', 'unknown2'])).resolves.toEqual({});
    await expect(storage.read([])).resolves.toEqual({});
  });

  test('creates objects and returns them with a string eTag', async () => {
    const items = { createPoco: { id: 1 }, createPocoStoreItem: { id: 2, eTag: '*' } };
    await storage.write(items);
    const read = await storage.read(['createPoco', 'createPocoStoreItem']);
    expect(read.createPoco).toMatchObject({ id: 1 });
    expect(read.createPocoStoreItem).toMatchObject({ id: 2 });
    expect(typeof read.createPoco.eTag).toBe('string');
    expect(read.createPoco.eTag).not.toEqual('*');
  });

  test('handles keys with odd characters', async () => {
    const key = '!@#$%^&*()~/\\><,.?\';"`~:{}[]|';
    await storage.write({ [key]: { id: 1 } });
    const read = await storage.read([key]);
    expect(read[key]).toMatchObject({ id: 1 });
  });

  test('nested objects and unicode survive the round trip', async () => {
    const doc = { customer: { name: '张三', phones: ['13800138000'] }, steps: [{ ok: true }, { ok: false }] };
    await storage.write({ nested: doc });
    const read = await storage.read(['nested']);
    expect(read.nested).toMatchObject(doc);
  });

  test('an update with the current eTag succeeds and changes the eTag', async () => {
    await storage.write({ pocoItem: { id: 1, count: 1 } });
    const first = await storage.read(['pocoItem']);
    const updated = { ...first.pocoItem, count: 2 };
    await storage.write({ pocoItem: updated });
    const second = await storage.read(['pocoItem']);
    expect(second.pocoItem.count).toBe(2);
    expect(second.pocoItem.eTag).not.toEqual(first.pocoItem.eTag);
  });

  test('an update with a stale eTag is rejected and changes nothing', async () => {
    await storage.write({ item: { id: 1, count: 1 } });
    const stale = (await storage.read(['item'])).item;
    await storage.write({ item: { ...stale, count: 2 } });
    await expect(storage.write({ item: { ...stale, count: 3 } })).rejects.toBeInstanceOf(StorageConflictError);
    expect((await storage.read(['item'])).item.count).toBe(2);
  });

  test('an update with eTag "*" or without eTag overwrites', async () => {
    await storage.write({ item: { id: 1, count: 1 } });
    await storage.write({ item: { id: 1, count: 2, eTag: '*' } });
    expect((await storage.read(['item'])).item.count).toBe(2);
    await storage.write({ item: { id: 1, count: 3 } });
    expect((await storage.read(['item'])).item.count).toBe(3);
  });

  test('a new object with an eTag is created', async () => {
    await storage.write({ fresh: { id: 9, eTag: 'made-up' } });
    expect((await storage.read(['fresh'])).fresh).toMatchObject({ id: 9 });
  });

  test('deletes objects, and deleting unknown keys is fine', async () => {
    await storage.write({ delete1: { id: 1 }, delete2: { id: 2 } });
    await storage.delete(['delete1']);
    const read = await storage.read(['delete1', 'delete2']);
    expect(read.delete1).toBeUndefined();
    expect(read.delete2).toMatchObject({ id: 2 });
    await expect(storage.delete(['unknown_key'])).resolves.toBeUndefined();
  });

  test('batch operations read, write and delete several keys', async () => {
    await storage.write({ batch1: { count: 10 }, batch2: { count: 20 }, batch3: { count: 30 } });
    const read = await storage.read(['batch1', 'batch2', 'batch3']);
    expect([read.batch1.count, read.batch2.count, read.batch3.count]).toEqual([10, 20, 30]);
    await storage.delete(['batch1', 'batch2', 'batch3']);
    await expect(storage.read(['batch1', 'batch2', 'batch3'])).resolves.toEqual({});
  });

  test('two writers starting from the same version: exactly one wins', async () => {
    await storage.write({ race: { n: 0 } });
    const base = (await storage.read(['race'])).race;
    const results = await Promise.allSettled([storage.write({ race: { ...base, n: 1 } }), storage.write({ race: { ...base, n: 2 } })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  test('a document lives its idle time from its last write, then is gone', async () => {
    const short = new RedisStorage(redis, { ttlSeconds: 3600 });
    await short.write({ 'web/conversations/c1/': { step: 1 } });
    await redis.expire('cs:state:{web/conversations/c1/}', 5);
    const read = await short.read(['web/conversations/c1/']);
    await short.write({ 'web/conversations/c1/': { ...read['web/conversations/c1/'], step: 2 } });
    const ttl = await redis.ttl('cs:state:{web/conversations/c1/}');
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    await redis.pexpire('cs:state:{web/conversations/c1/}', 1);
    await until(async () => (await short.read(['web/conversations/c1/']))['web/conversations/c1/'] === undefined, 'the state to expire');
    expect(() => new RedisStorage(redis, { ttlSeconds: 0 })).toThrow(RangeError);
  });
});
