import path from 'node:path';
import { loadStories, parseStory } from '../../scripts/stories/storyFile';
import { runStories } from '../../scripts/stories/storyRunner';
import { startStoryService, type RunningStoryService } from '../../scripts/stories/storyService';
import { testRedisUrl } from '../helpers/redis';

const STORIES = path.join(__dirname, '../../knowledge/eval/stories');

describe('conversation stories over WeChat (npm run eval -- conversations DIR --channel wechat)', () => {
  let service: RunningStoryService;
  beforeAll(async () => {
    service = await startStoryService({ ...process.env, REDIS_URL: testRedisUrl() }, { wechat: true });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
  });

  test('web stories told over WeChat hold there too: buttons are the numbered options, answers come whole', async () => {
    const wanted = ['earbuds-case-charging', 'earbuds-dont-know-serial'];
    const stories = loadStories(STORIES)
      .filter((story) => wanted.includes(story.id))
      .map((story) => ({ ...story, channel: 'wechat' as const }));
    expect(stories).toHaveLength(2);
    const results = await runStories(stories, service, { concurrency: 2 });
    for (const result of results) expect(result.failures).toEqual([]);
    // A WeChat conversation is the follower's OpenID.
    expect(results.every((result) => result.conversationId.startsWith('o'))).toBe(true);
    expect(
      results.every((result) => result.greeting?.buttons.some((button) => button.label === '报修' && /^\d+$/.test(button.sends))),
    ).toBe(true);
  }, 60_000);

  test('a check that does not hold on WeChat fails the story', async () => {
    const story = parseStory(
      'name: 截屏\nchannel: wechat\nturns:\n  - 手机怎么截屏\n  - button: 没有这个按钮\nend:\n  ticket: true\n',
      'inline.yaml',
    );
    const [result] = await runStories([story], service);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(
      expect.arrayContaining([expect.stringMatching(/^turn 2: no button "没有这个按钮" to press/), 'ticket: no ticket was created']),
    );
  }, 60_000);
});
