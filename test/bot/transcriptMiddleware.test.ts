import { TestAdapter, type Activity } from 'botbuilder';
import type { Redis } from 'ioredis';
import { TranscriptMiddleware } from '../../bot/transcriptMiddleware';
import { TranscriptStore } from '../../desk/transcripts';
import { testRedis } from '../helpers/redis';

/** `levels` objects inside each other, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = { inner: value };
  return value;
}

describe('the transcript of a turn whose activity is nested too deep', () => {
  let redis: Redis;

  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    await redis.quit();
  });

  test('a 5,000-level value that got past a channel is recorded as a note, and the turn is answered', async () => {
    const transcripts = new TranscriptStore(redis);
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('收到');
    }).use(new TranscriptMiddleware(transcripts));

    const inbound: Partial<Activity> = { type: 'message', text: '你好', value: nested(5000), channelData: { source: 'test' } };
    await adapter.send(inbound).assertReply('收到');

    const entries = await transcripts.read(adapter.conversation.conversation.id);
    expect(entries.map((entry) => [entry.direction, entry.activity.text])).toEqual([
      ['in', '你好'],
      ['out', '收到'],
    ]);
    expect(entries[0].activity.value).toBe('[not recorded: is nested deeper than 32 levels]');
    // What is within the limits is kept as it came.
    expect(entries[0].activity.channelData).toEqual({ source: 'test' });
  });

  test('an ordinary value is kept as it came', async () => {
    const transcripts = new TranscriptStore(redis);
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('收到');
    }).use(new TranscriptMiddleware(transcripts));
    await adapter.send({ type: 'message', text: '报修', value: nested(5) }).assertReply('收到');
    const [inbound] = await transcripts.read(adapter.conversation.conversation.id);
    expect(inbound.activity.value).toEqual(nested(5));
  });
});
