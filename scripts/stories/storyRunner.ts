import type { App } from '../../app/app';
import { CallbackRequests } from '../../desk/callbacks';
import type { Ticket, TicketStatus } from '../../desk/model';
import { RatingStore } from '../../desk/ratings';
import { TICKET_STATUSES, canMove } from '../../desk/tickets';
import { findAskedAgain, normalisePrompt, type AskedAgain, type Exchange } from './askedAgain';
import type { BotReply, StoryCustomer } from './storyChannels';
import { channelFor } from './storyCustomers';
import { checkEnd, checkReply } from './storyChecks';
import type { SetupTicket, Story, StoryTurn } from './storyFile';
import type { WechatStoryEnvironment } from './wechatStoryChannel';

/** The running service the stories talk to: its web address, and the app to read the desk's records. */
export interface StoryService {
  app: App;
  url: string;
  /** Set when the service has WeChat on: the account and the API stand-in its customers use. */
  wechat?: WechatStoryEnvironment;
}

export interface StoryResult {
  story: Story;
  conversationId: string;
  /** Every check held: the turns' `expect`, the `end` checks, and the hand-off as expected. */
  passed: boolean;
  handedOff: boolean;
  failures: string[];
  askedAgain: AskedAgain[];
  greeting?: BotReply;
  exchanges: Exchange[];
  ms: number;
}

/**
 * desk/data/serials.csv was made for this day (its units' warranties are measured from it): the
 * stories' service runs on a clock that starts there and goes on at the real pace.
 */
export const SAMPLE_DATA_DAY = '2026-11-22T10:00:00+08:00';

export function storyClock(start = SAMPLE_DATA_DAY): () => Date {
  const offset = Date.parse(start) - Date.now();
  return () => new Date(Date.now() + offset);
}

const SETUP_BY = 'story-setup';

/** The tickets of an earlier 报修, moved along the desk's own state machine to the story's status. */
async function createSetupTickets(app: App, story: Story): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [index, wanted] of (story.setup?.tickets ?? []).entries()) {
    const ticket = await createSetupTicket(app, story, wanted, index);
    ids.set(wanted.ref, ticket.id);
  }
  return ids;
}

async function createSetupTicket(app: App, story: Story, wanted: SetupTicket, index: number): Promise<Ticket> {
  const model = app.catalogue.model(wanted.model);
  if (!model) throw new Error(`setup.tickets[${index}]: no model "${wanted.model}" in the catalogue`);
  let ticket = await app.tickets.create(
    {
      customer: { name: wanted.name, phone: wanted.phone },
      product: { modelId: model.id, category: model.category, serial: wanted.serial },
      warranty: { status: 'repair', serviceKind: 'free' },
      fault: { symptom: wanted.fault, liquid: false, physicalDamage: false, disassembled: false },
      serviceMode: wanted.serviceMode,
      area: 'city',
      consent: { fee: false },
      channel: 'web',
      conversationId: `${SETUP_BY}:${story.id}:${index}`,
    },
    SETUP_BY,
  );
  const target: TicketStatus = wanted.status;
  while (ticket.status !== target) {
    const next =
      target === 'cancelled' ? 'cancelled' : TICKET_STATUSES.find((status) => canMove(ticket.status, status) && status !== 'cancelled');
    if (!next) throw new Error(`setup.tickets[${index}]: cannot reach status ${target}`);
    ticket = await app.tickets.move(ticket.id, next, SETUP_BY);
  }
  return ticket;
}

/** `$t1` in a turn's text or a check is the number of setup ticket t1. */
function withTicketIds(text: string, tickets: Map<string, string>): string {
  return text.replace(/\$(\w+)/g, (all, ref: string) => tickets.get(ref) ?? all);
}

function checksWithTicketIds<T extends { says?: string[]; saysNot?: string[] }>(checks: T, tickets: Map<string, string>): T {
  if (!tickets.size) return checks;
  const swap = (texts?: string[]) => texts?.map((text) => withTicketIds(text, tickets));
  return { ...checks, says: swap(checks.says), saysNot: swap(checks.saysNot) };
}

/** What pressing or typing this turn sends, and what went wrong finding it. */
function whatToSend(turn: StoryTurn, last: BotReply, tickets: Map<string, string>): { text: string; failure?: string } {
  const shown = () => last.buttons.map((button) => button.label).join(' | ') || 'none';
  switch (turn.kind) {
    case 'text':
      return { text: withTicketIds(turn.text, tickets) };
    case 'button': {
      const wanted = normalisePrompt(turn.label);
      const button = last.buttons.find((b) => b.label === turn.label) ?? last.buttons.find((b) => normalisePrompt(b.label) === wanted);
      // Not offered: the customer types the words instead, and the story goes on to tell what follows.
      if (!button) return { text: turn.label, failure: `no button "${turn.label}" to press (buttons: ${shown()})` };
      return { text: button.sends };
    }
    case 'pick': {
      const button = last.buttons[turn.index - 1];
      if (!button) return { text: String(turn.index), failure: `no button #${turn.index} to press (buttons: ${shown()})` };
      return { text: button.sends };
    }
  }
}

async function ticketsOf(app: App, conversationId: string): Promise<Ticket[]> {
  const all = await Promise.all(TICKET_STATUSES.map((status) => app.tickets.byStatus(status)));
  return all.flat().filter((ticket) => ticket.conversationId === conversationId);
}

async function handedOff(app: App, conversationId: string): Promise<boolean> {
  const record = await app.handoffQueue.get(conversationId);
  if (record?.moves.some((move) => move.to === 'waiting' || move.to === 'withAgent')) return true;
  const callbacks = await new CallbackRequests(app.redis).open();
  return callbacks.some((callback) => callback.conversationId === conversationId);
}

/** Tells one story to the service and checks what the customer got. */
export async function runStory(story: Story, service: StoryService): Promise<StoryResult> {
  const started = Date.now();
  const failures: string[] = [];
  const exchanges: Exchange[] = [];
  let customer: StoryCustomer | undefined;
  let tickets = new Map<string, string>();
  try {
    tickets = await createSetupTickets(service.app, story);
    customer = await channelFor(story.channel, service.url, service.wechat).open();
    let last = customer.greeting;
    for (const [index, turn] of story.turns.entries()) {
      const { text, failure } = whatToSend(turn, last, tickets);
      if (failure) failures.push(`turn ${index + 1}: ${failure}`);
      const reply = await customer.say(text);
      exchanges.push({ said: text, gives: turn.gives, reply });
      if (reply.status < 200 || reply.status > 299) failures.push(`turn ${index + 1}: HTTP ${reply.status}`);
      for (const problem of checkReply(reply, turn.expect && checksWithTicketIds(turn.expect, tickets)))
        failures.push(`turn ${index + 1}: ${problem}`);
      last = reply;
    }
  } catch (error) {
    failures.push(`the story could not be told: ${error instanceof Error ? error.message : String(error)}`);
  }
  const conversationId = customer?.conversationId ?? '';
  const askedAgain = findAskedAgain(exchanges);
  let personTookOver = false;
  if (conversationId) {
    const { app } = service;
    personTookOver = await handedOff(app, conversationId);
    // The greeting comes before the customer has said anything (in which language, about what): not an answer.
    const botTexts = exchanges.flatMap((exchange) => exchange.reply.messages.map((message) => message.text));
    const ratings = (await new RatingStore(app.redis).forConversation(conversationId)).map((rating) => rating.score);
    failures.push(
      ...checkEnd(
        checksWithTicketIds(story.end, tickets),
        { botTexts, tickets: await ticketsOf(app, conversationId), handedOff: personTookOver, ratings },
        app.knowledge.manual,
      ),
    );
    if (story.end.askedAgain === false) failures.push(...askedAgain.map((asked) => `asked again (turn ${asked.turn}): ${asked.detail}`));
    // Later stories should not queue behind this one: nobody answers the queue in a story run.
    await app.handoffQueue.cancel(conversationId, 'story-runner');
  }
  return {
    story,
    conversationId,
    passed: failures.length === 0,
    handedOff: personTookOver,
    failures,
    askedAgain,
    greeting: customer?.greeting,
    exchanges,
    ms: Date.now() - started,
  };
}

/**
 * Every story, results in the stories' order. Those that must reach a person go first, one at a
 * time, so that what they are told about the queue (their place, the wait) depends on nobody else;
 * then the rest, a few at a time, each in its own conversation.
 */
export async function runStories(stories: Story[], service: StoryService, options: { concurrency?: number } = {}): Promise<StoryResult[]> {
  const results = new Map<Story, StoryResult>();
  for (const story of stories.filter((s) => s.end.handoff)) results.set(story, await runStory(story, service));
  const rest = stories.filter((story) => !story.end.handoff);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rest.length) {
      const story = rest[next];
      next += 1;
      results.set(story, await runStory(story, service));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, rest.length)) }, worker));
  return stories.map((story) => results.get(story) as StoryResult);
}
