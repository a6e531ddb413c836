import type { BotReply } from './storyChannels';
import type { StoryResult } from './storyRunner';

const MESSAGE_CHARS = 160;

function oneLine(text: string, max = MESSAGE_CHARS): string {
  const flat = text
    .replace(/\s*\n\s*/g, ' ⏎ ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function replyLines(reply: BotReply | undefined, indent: string): string[] {
  if (!reply) return [];
  const lines = reply.messages.map((message) => `${indent}< ${oneLine(message.text)}`);
  if (reply.buttons.length) lines.push(`${indent}  [${reply.buttons.map((button) => button.label).join(' | ')}]`);
  if (reply.status < 200 || reply.status > 299) lines.push(`${indent}< (HTTP ${reply.status})`);
  return lines;
}

/** The conversation as the customer saw it, one line per message. */
export function transcriptLines(result: StoryResult): string[] {
  const lines = [`  transcript (${result.conversationId || 'no conversation'}):`, ...replyLines(result.greeting, '      ')];
  result.exchanges.forEach((exchange, index) => {
    lines.push(`    ${String(index + 1).padStart(2)} > ${oneLine(exchange.said)}`);
    lines.push(...replyLines(exchange.reply, '       '));
  });
  return lines;
}

/**
 * Failed stories with their transcripts (every story's with `transcripts`), then the figures.
 * Resolution, as the lead reads it: a story that does not expect a person is resolved without a
 * person when every check held and nobody took over. Stories that must reach a person (danger, a
 * complaint, asking for one) are not in that count; they have their own line. The last two lines
 * are a fixed contract (docs/contracts.md §3): `resolved without a person: K/N` and `asked again: K`, K
 * the stories with a prompt repeated or a given fact asked for (askedAgain.ts).
 */
export function storyReport(results: StoryResult[], options: { transcripts?: boolean } = {}): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const { story } = result;
    if (!result.passed) {
      lines.push(`FAIL ${story.id} — ${story.name}`);
      for (const failure of result.failures) lines.push(`  ✗ ${failure}`);
      if (story.end.askedAgain !== false)
        for (const asked of result.askedAgain) lines.push(`  ~ asked again (turn ${asked.turn}): ${asked.detail}`);
      lines.push(...transcriptLines(result));
    } else if (result.askedAgain.length) {
      lines.push(`ASKED AGAIN ${story.id} — ${story.name}`);
      for (const asked of result.askedAgain) lines.push(`  ~ turn ${asked.turn}: ${asked.detail}`);
      if (options.transcripts) lines.push(...transcriptLines(result));
    } else if (options.transcripts) {
      lines.push(`PASS ${story.id} — ${story.name}`, ...transcriptLines(result));
    }
  }
  const toPerson = results.filter((result) => result.story.end.handoff);
  const selfService = results.filter((result) => !result.story.end.handoff);
  const passed = results.filter((result) => result.passed).length;
  lines.push(`stories: ${results.length}, every check held: ${passed}`);
  if (toPerson.length)
    lines.push(`reached a person as they should: ${toPerson.filter((result) => result.passed).length}/${toPerson.length}`);
  lines.push(`resolved without a person: ${selfService.filter((result) => result.passed).length}/${selfService.length}`);
  lines.push(`asked again: ${results.filter((result) => result.askedAgain.length > 0).length}`);
  return lines;
}
