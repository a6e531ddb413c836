/**
 * Evaluation (docs/contracts.md §3):
 *
 *   npm run eval -- faq FILE.jsonl [FILE.jsonl …]   lines {"text","faq"[,"locale"]}; faq null = not in the manual
 *   npm run eval -- intents FILE.jsonl              lines {"text","intent"}
 *   npm run eval -- conversations DIR [--only=id,id] [--concurrency=4] [--transcripts] [--channel wechat]
 *                                                   YAML stories (scripts/stories/storyFile.ts)
 *
 * faq and intents print each miss, then summary lines, and end with `accuracy: 0.xxx (N/M)` as the
 * last line. For faq, an entry line is right when the expected entry ranks first (top3: among the
 * first three) in the search the bot makes for the question's language (scripts/faqEval.ts); a
 * `"faq": null` line is right, at both cut-offs, when the best answer is not confident — the bot
 * then says it is not sure instead of answering.
 *
 * conversations tells each story to a real service over the web API, prints each failed story with
 * its checks and transcript, and ends with `resolved without a person: K/N` and `asked again: K`.
 * `--channel wechat` tells every story over WeChat instead (a follower pushing to /api/wechat, the
 * rest of each answer through a local stand-in of WeChat's API), so the checks also hold on a text
 * channel: buttons there are the numbered options, pressed by sending the number.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { buildKnowledge } from '../app/app';
import { loadConfig } from '../app/config';
import { Catalogue } from '../desk/catalogue';
import { todayIn } from '../desk/warranty';
import { IntentRecognizer } from '../knowledge/recognizer';
import { faqLineSchema, faqReport, ratio } from './faqEval';
import { complain, say } from './output';
import { CHANNELS, loadStories, type StoryChannelName } from './stories/storyFile';
import { runStories } from './stories/storyRunner';
import { storyReport } from './stories/storyReport';
import { startStoryService } from './stories/storyService';

const USAGE =
  'usage: npm run eval -- faq FILE.jsonl [FILE …] | npm run eval -- intents FILE.jsonl [FILE …] | ' +
  'npm run eval -- conversations DIR [--only=id,id] [--concurrency=N] [--transcripts] [--channel web|wechat]';

class UsageError extends Error {
  constructor() {
    super(USAGE);
  }
}

const intentLine = z.object({ text: z.string().min(1), intent: z.string().min(1) });

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('//')) return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => x.message).join('; ')}`);
      out.push(parsed.data);
    });
  return out;
}

async function evalFaq(files: string[]): Promise<void> {
  const knowledge = buildKnowledge(Catalogue.default(), () => todayIn());
  for (const line of await faqReport(
    files.flatMap((f) => readJsonl(f, faqLineSchema)),
    knowledge,
  ))
    say(line);
}

/** Stories of DIR against a service of their own (scripts/stories/storyService.ts). */
async function evalConversations(given: string[]): Promise<void> {
  // `--channel wechat` as two words, like `--channel=wechat`.
  const channelAt = given.indexOf('--channel');
  const args =
    channelAt >= 0 ? [...given.slice(0, channelAt), `--channel=${given[channelAt + 1] ?? ''}`, ...given.slice(channelAt + 2)] : given;
  const dirs = args.filter((arg) => !arg.startsWith('--'));
  const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = option('only')?.split(',');
  const concurrency = Number(option('concurrency') ?? 4);
  const channel = option('channel');
  if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel)) throw new UsageError();
  if (dirs.length !== 1 || !Number.isInteger(concurrency) || concurrency < 1) throw new UsageError();
  let stories = loadStories(dirs[0]);
  if (only) stories = stories.filter((story) => only.includes(story.id));
  if (channel) stories = stories.map((story) => ({ ...story, channel: channel as StoryChannelName }));
  process.env.TZ = loadConfig(process.env).timeZone;
  const service = await startStoryService(process.env, { wechat: stories.some((story) => story.channel === 'wechat') });
  try {
    const results = await runStories(stories, service, { concurrency });
    for (const line of storyReport(results, { transcripts: args.includes('--transcripts') })) say(line);
  } finally {
    await service.stop();
  }
}

async function evalIntents(files: string[]): Promise<void> {
  // Built as knowledge/recognizer.ts documents: the default reads knowledge/data/intents.yaml.
  const recognizer = new IntentRecognizer();
  const lines = files.flatMap((f) => readJsonl(f, intentLine));
  let right = 0;
  const confusion = new Map<string, number>();
  for (const { text, intent } of lines) {
    const guess = recognizer.recognize(text);
    if (guess.intent === intent) {
      right += 1;
      continue;
    }
    const key = `${intent} → ${guess.intent}`;
    confusion.set(key, (confusion.get(key) ?? 0) + 1);
    say(`MISS ${text}\n  expected: ${intent}\n  got:      ${guess.intent} (${guess.confidence.toFixed(2)}, ${guess.reason})`);
  }
  for (const [key, n] of [...confusion].sort((a, b) => b[1] - a[1])) say(`confused ${key}: ${n}`);
  say(`accuracy: ${ratio(right, lines.length)}`);
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'faq' && args.length) await evalFaq(args);
  else if (mode === 'intents' && args.length) await evalIntents(args);
  else if (mode === 'conversations') await evalConversations(args);
  else throw new UsageError();
}

main().catch((err: unknown) => {
  complain(err instanceof Error ? err.message : String(err));
  process.exit(err instanceof UsageError ? 2 : 1);
});
