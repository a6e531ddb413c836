import type { Redis } from 'ioredis';
import { DRAFT_KEEP_SECONDS, FlowDraftStore } from '../../desk/flowDrafts';
import { testRedis } from '../helpers/redis';

describe('FlowDraftStore', () => {
  let redis: Redis;
  let drafts: FlowDraftStore;
  const instance = {
    id: 'faultReportDialog',
    state: { dialogs: { dialogStack: [{ id: 'faultReportLoop', state: { options: { serial: 'PH26P7014547' } } }] } },
  };

  beforeEach(() => {
    redis = testRedis();
    drafts = new FlowDraftStore(redis, () => new Date('2026-11-22T02:00:00.000Z'));
  });
  afterEach(async () => {
    await redis.quit();
  });

  test('keeps the last unfinished flow of a conversation for 24 hours, under the conversation', async () => {
    await drafts.save('conv-1', { flow: 'fault_report', facts: ['serial'], instance });
    expect(await drafts.get('conv-1')).toEqual({ flow: 'fault_report', facts: ['serial'], instance, savedAt: '2026-11-22T02:00:00.000Z' });
    const ttl = await redis.ttl('cs:conv:{conv-1}:draft');
    expect(ttl).toBeGreaterThan(DRAFT_KEEP_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);
    expect(await drafts.get('conv-2')).toBeUndefined();
  });

  test('a later draft replaces the earlier one; discarding forgets it', async () => {
    await drafts.save('conv-1', { flow: 'fault_report', facts: ['serial'], instance });
    await drafts.save('conv-1', { flow: 'fault_report', facts: ['serial', 'symptom'], instance });
    expect((await drafts.get('conv-1'))?.facts).toEqual(['serial', 'symptom']);
    await drafts.discard('conv-1');
    expect(await drafts.get('conv-1')).toBeUndefined();
  });

  test('an unreadable draft is no draft (and nothing breaks)', async () => {
    await redis.set('cs:conv:{conv-1}:draft', '{"flow": 42}');
    expect(await drafts.get('conv-1')).toBeUndefined();
    await redis.set('cs:conv:{conv-1}:draft', 'not json');
    expect(await drafts.get('conv-1')).toBeUndefined();
  });
});
