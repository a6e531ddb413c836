import type { Redis } from 'ioredis';
import { TRANSCRIPT_INDEX_KEY, TranscriptStore, type NewTranscriptEntry } from '../../desk/transcripts';
import { testRedis } from '../helpers/redis';

const DAY_MS = 24 * 3600 * 1000;

const said = (conversationId: string, text: string, at?: string): NewTranscriptEntry => ({
  conversationId,
  channel: 'web',
  direction: 'in',
  speaker: 'user',
  at,
  activity: { type: 'message', text },
});

describe('TranscriptStore retention', () => {
  let redis: Redis;
  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    await redis.quit();
  });

  test('each append gives the transcript its full retention again', async () => {
    const store = new TranscriptStore(redis, { keepSeconds: 3600 });
    await store.append([said('c1', '你好')]);
    await redis.expire('cs:conv:{c1}:transcript', 10);
    const [id] = await store.append([said('c1', '还在吗')]);
    const ttl = await redis.ttl('cs:conv:{c1}:transcript');
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect((await store.read('c1')).map((entry) => [entry.id, entry.activity.text])).toEqual([
      [expect.any(String), '你好'],
      [id, '还在吗'],
    ]);
  });

  test('a long conversation keeps about the last maxEntries entries, newest intact', async () => {
    const store = new TranscriptStore(redis, { maxEntries: 50 });
    for (let batch = 0; batch < 6; batch++) {
      await store.append(Array.from({ length: 50 }, (_, i) => said('long', `第${batch * 50 + i + 1}条`)));
    }
    const entries = await store.read('long');
    // MAXLEN ~ drops whole stream nodes (100 entries each by default), so "about" means at most one node more.
    expect(entries.length).toBeGreaterThanOrEqual(50);
    expect(entries.length).toBeLessThan(300);
    expect(entries.at(-1)?.activity.text).toBe('第300条');
    expect(entries[0].activity.text).not.toBe('第1条');
  });

  test('the shared index forgets conversations whose last entry is older than the retention', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const store = new TranscriptStore(redis, { keepSeconds: 30 * 24 * 3600, now: () => clock });
    const sayNow = (conversationId: string) => store.append([said(conversationId, '你好', new Date(clock).toISOString())]);
    await sayNow('january');
    clock += 20 * DAY_MS;
    await sayNow('late-january');
    expect(await redis.zrange(TRANSCRIPT_INDEX_KEY, 0, -1)).toEqual(['january', 'late-january']);
    clock += 11 * DAY_MS;
    await sayNow('february');
    expect(await redis.zrange(TRANSCRIPT_INDEX_KEY, 0, -1)).toEqual(['late-january', 'february']);
  });

  test('settings that would make a transcript last forever are refused', () => {
    expect(() => new TranscriptStore(redis, { keepSeconds: 0 })).toThrow(RangeError);
    expect(() => new TranscriptStore(redis, { maxEntries: 1.5 })).toThrow(RangeError);
  });
});
