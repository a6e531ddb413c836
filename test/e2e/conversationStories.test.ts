import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadStories, parseStory, type Story } from '../../scripts/stories/storyFile';
import { storyReport } from '../../scripts/stories/storyReport';
import { runStories, runStory, storyClock } from '../../scripts/stories/storyRunner';
import { startTestApp, type RunningApp } from '../helpers/testApp';

const STORIES = path.join(__dirname, '../../knowledge/eval/stories');

/** The stories that pass today; the rest measure what issue 12 is still building. */
function passingIds(): string[] {
  return readFileSync(path.join(STORIES, 'passing.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

const inline = (source: string): Story => parseStory(source, 'inline.yaml');

describe('conversation stories (npm run eval -- conversations)', () => {
  const stories = loadStories(STORIES);
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({ rateLimits: undefined }, { now: storyClock() });
  });
  afterAll(async () => {
    await running.stop();
  });
  const service = () => ({ app: running.app, url: running.url });

  test('at least 40 stories, every one parses, and passing.txt names only stories that exist', () => {
    expect(stories.length).toBeGreaterThanOrEqual(40);
    const ids = new Set(stories.map((story) => story.id));
    expect(passingIds().filter((id) => !ids.has(id))).toEqual([]);
  });

  test('a check that does not hold fails the story and says which; the report ends with the two figures', async () => {
    const right = inline('name: 截屏\nturns:\n  - 手机怎么截屏\n  - 有帮助\nend:\n  faq: phone-screenshot\n  ticket: false\n');
    const wrong = inline(
      'name: 截屏，查错了\nturns:\n  - 手机怎么截屏\n  - button: 没有这个按钮\nend:\n  faq: phone-dark-mode\n  ticket: true\n  rated: true\n',
    );
    const [passed, failed] = await runStories([right, wrong], service(), { concurrency: 2 });
    expect(passed.failures).toEqual([]);
    expect(passed.passed).toBe(true);
    expect(failed.passed).toBe(false);
    expect(failed.failures).toEqual([
      expect.stringMatching(/^turn 2: no button "没有这个按钮" to press/),
      'ticket: no ticket was created',
      'faq phone-dark-mode was not answered',
      'rated: expected true, recorded none',
    ]);
    const report = storyReport([passed, failed]);
    expect(report).toContain('FAIL inline — 截屏，查错了');
    expect(report).toContain('     1 > 手机怎么截屏');
    expect(report.slice(-2)).toEqual(['resolved without a person: 1/2', 'asked again: 0']);
  });

  test('a story that must reach a person is counted apart, and the hand-off is read from the queue', async () => {
    const result = await runStory(inline('name: 要人工\nturns:\n  - 转人工\nend:\n  handoff: true\n'), service());
    expect(result.handedOff).toBe(true);
    expect(result.failures).toEqual([]);
    const wronglyCalm = await runStory(inline('name: 要人工但说不要\nturns:\n  - 转人工\n'), service());
    expect(wronglyCalm.failures).toEqual(['handoff: the customer was handed to a person']);
    expect(storyReport([result, wronglyCalm]).slice(-3)).toEqual([
      'reached a person as they should: 1/1',
      'resolved without a person: 0/1',
      'asked again: 0',
    ]);
  });

  test('every story in passing.txt passes', async () => {
    const passing = new Set(passingIds());
    const results = await runStories(
      stories.filter((story) => passing.has(story.id)),
      service(),
      { concurrency: 3 },
    );
    const failed = results.filter((result) => !result.passed).map((result) => [result.story.id, ...result.failures]);
    expect(failed).toEqual([]);
    expect(results).toHaveLength(passing.size);
  }, 120_000);
});
