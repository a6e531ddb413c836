/**
 * Conversation stories (issue 12, item 9): one YAML file per customer, what they say and what must
 * hold once they are done. `npm run eval -- conversations DIR` runs every `*.yaml` of DIR against a
 * real service over the web API; README "Conversation stories" describes the measure.
 *
 *   name: 手机充不进电，一句话说全          # the customer's story in a few words
 *   locale: zh-CN                        # the language the customer writes (zh-CN, en); default zh-CN
 *   channel: web                         # where they write (web, wechat); `--channel wechat` tells every story on WeChat
 *   setup:                               # what exists before they write (optional)
 *     tickets:                           # a ticket of an earlier 报修; `$t1` in a turn is its number
 *       - { ref: t1, model: X20 Pro, phone: "13800138000", name: 王先生, fault: 充不进电, status: dispatched }
 *   turns:                               # what the customer does, in order
 *     - 你好，我的X20 Pro充不进电了         # a message typed
 *     - text: 电话13800138000
 *       gives: [phone]                   # facts this message settles (gives, or says it cannot:
 *                                        # 不知道序列号): no prompt from here on may ask for them
 *       expect:                          # checks on the bot's reply to this message (optional)
 *         says: [电话, /\d+分钟/]          # each text (or /regex/) is in the reply
 *         saysNot: [前面还有 0 位]          # none of these is
 *         offers: [还是不行]               # these buttons are shown with it
 *     - button: 还是不行                  # press the button of that label shown with the last reply
 *     - pick: 2                          # press the second button shown with the last reply
 *   end:                                 # what must hold once the customer is done
 *     ticket: {model: X20 Pro, phone: "13800138000", fault: [充不进电]}   # or true / false
 *     guide: solved                      # or {id, category, outcome: solved|notSolved|shown}
 *     faq: phone-fast-charge             # this entry's answer was shown
 *     handoff: false                     # whether a person took over (queue or call-back); default false
 *     rated: true                        # a rating was recorded (or the score 1–5)
 *     askedAgain: false                  # nothing asked again (see askedAgain.ts for the exact rule)
 *     says: [...]; saysNot: [...]        # somewhere / nowhere in all the bot said
 *
 * A button that is not shown fails the story; the runner then types its label, as a customer would,
 * so that the rest of the story still tells what happens.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { YamlSource, type SourceProblem } from '../../common/yamlSource';

/** The facts a customer can give that a service desk must not ask for again. */
export const FACTS = [
  'product',
  'model',
  'serial',
  'phone',
  'name',
  'address',
  'symptom',
  'purchaseDate',
  'damage',
  'ticketId',
  'orderNumber',
] as const;
export type Fact = (typeof FACTS)[number];

/** Channels a story can be told on; the runner has a customer for each (storyCustomers.ts). */
export const CHANNELS = ['web', 'wechat'] as const;
export type StoryChannelName = (typeof CHANNELS)[number];

/** YAML reads 13800138000 as a number: a phone or a serial is text either way. */
const textual = z.union([z.string().min(1), z.number().transform(String)]);
const texts = z.union([textual.transform((one) => [one]), z.array(textual).min(1)]);

const replyChecks = z.strictObject({
  says: texts.optional(),
  saysNot: texts.optional(),
  offers: texts.optional(),
});

// A bare line is a typed message; read as `text:` so that a mistake in a long form is told precisely.
const turnSchema = z.preprocess(
  (value) => (typeof value === 'string' || typeof value === 'number' ? { text: String(value) } : value),
  z.strictObject({
    text: textual.optional(),
    button: textual.optional(),
    pick: z.number().int().min(1).optional(),
    gives: z.array(z.enum(FACTS)).optional(),
    expect: replyChecks.optional(),
  }),
);

const ticketChecks = z.strictObject({
  category: textual.optional(),
  model: textual.optional(),
  serial: textual.optional(),
  phone: textual.optional(),
  name: textual.optional(),
  /** The fault description holds each of these (the customer's own words). */
  fault: texts.optional(),
  /** … and none of these (chatter, button labels, other facts). */
  faultNot: texts.optional(),
  /** warranty.status: refund, exchange, repair, outOfWarranty, voided. */
  warranty: textual.optional(),
  /** warranty.serviceKind: free, contract, paid. */
  serviceKind: textual.optional(),
  serviceMode: textual.optional(),
  damage: z
    .strictObject({ physical: z.boolean().optional(), liquid: z.boolean().optional(), disassembled: z.boolean().optional() })
    .optional(),
  /** The troubleshooting steps tried are on the ticket. */
  stepsTried: z.boolean().optional(),
  /** Any other field by its path (`warranty.endsOn`), for what the desk adds later. */
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

const guideChecks = z.union([
  z
    .literal('solved')
    .transform((): { id?: string; category?: string; outcome: 'solved' | 'notSolved' | 'shown' } => ({ outcome: 'solved' })),
  z.strictObject({
    id: z.string().optional(),
    /** Every guide shown is for this product category (never another product's guide). */
    category: z.string().optional(),
    outcome: z.enum(['solved', 'notSolved', 'shown']).default('solved'),
  }),
]);

const setupTicket = z.strictObject({
  ref: z.string().regex(/^\w+$/, 'letters, digits and _ only'),
  model: textual,
  serial: textual.optional(),
  phone: textual,
  name: textual,
  fault: textual,
  status: z.enum(['new', 'accepted', 'dispatched', 'inRepair', 'completed', 'closed', 'cancelled']).default('new'),
  serviceMode: z.enum(['onsite', 'carryIn', 'mailIn']).default('carryIn'),
});

export const storyFileSchema = z.strictObject({
  name: z.string().min(1),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  channel: z.enum(CHANNELS).default('web'),
  setup: z.strictObject({ tickets: z.array(setupTicket).default([]) }).optional(),
  turns: z.array(turnSchema).min(1),
  end: z
    .strictObject({
      ticket: z.union([z.boolean(), ticketChecks]).optional(),
      guide: guideChecks.optional(),
      faq: z.string().optional(),
      handoff: z.boolean().default(false),
      rated: z.union([z.boolean(), z.number().int().min(1).max(5)]).optional(),
      askedAgain: z.literal(false).optional(),
      says: texts.optional(),
      saysNot: texts.optional(),
    })
    .default({ handoff: false }),
});

export type StoryFile = z.output<typeof storyFileSchema>;
export type ReplyChecks = z.output<typeof replyChecks>;
export type TicketChecks = z.output<typeof ticketChecks>;
export type GuideChecks = z.output<typeof guideChecks>;
export type SetupTicket = z.output<typeof setupTicket>;

/** One thing the customer does. */
export type StoryTurn =
  | { kind: 'text'; text: string; gives: Fact[]; expect?: ReplyChecks }
  | { kind: 'button'; label: string; gives: Fact[]; expect?: ReplyChecks }
  | { kind: 'pick'; index: number; gives: Fact[]; expect?: ReplyChecks };

export interface Story extends Omit<StoryFile, 'turns'> {
  /** The file name without `.yaml`: what passing.txt and the report name it by. */
  id: string;
  file: string;
  turns: StoryTurn[];
}

export class StoryFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: SourceProblem[],
  ) {
    super(problems.map((p) => `${file}:${p.line ?? 1}: ${p.path ? `${p.path}: ` : ''}${p.reason}`).join('\n'));
  }
}

/** Parses one story; every problem is reported at its line, as for the other data files. */
export function parseStory(source: string, file: string): Story {
  const yaml = new YamlSource(file, source);
  const parsed = yaml.parse(storyFileSchema);
  if (!parsed.ok) throw new StoryFileError(file, parsed.problems);
  const data = parsed.value;
  const problems: SourceProblem[] = [];
  const refs = new Set((data.setup?.tickets ?? []).map((ticket) => ticket.ref));
  const turns = data.turns.map((turn, index): StoryTurn => {
    const at = ['turns', index];
    const gives = turn.gives ?? [];
    const expect = turn.expect;
    const ways = [turn.text, turn.button, turn.pick].filter((way) => way !== undefined).length;
    if (ways !== 1) problems.push(yaml.problem(at, 'a turn is exactly one of text, button or pick'));
    if (turn.text !== undefined) {
      for (const [, ref] of turn.text.matchAll(/\$(\w+)/g))
        if (!refs.has(ref)) problems.push(yaml.problem(at, `$${ref} is no ticket of setup.tickets`));
      return { kind: 'text', text: turn.text, gives, expect };
    }
    if (turn.button !== undefined) return { kind: 'button', label: turn.button, gives, expect };
    return { kind: 'pick', index: turn.pick ?? 1, gives, expect };
  });
  if (problems.length) throw new StoryFileError(file, problems);
  return { ...data, id: path.basename(file).replace(/\.ya?ml$/, ''), file, turns };
}

/** Every `*.yaml` of a folder, in name order; all files' problems together in one error. */
export function loadStories(dir: string): Story[] {
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  const stories: Story[] = [];
  const errors: string[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    try {
      stories.push(parseStory(readFileSync(file, 'utf8'), file));
    } catch (error) {
      if (!(error instanceof StoryFileError)) throw error;
      errors.push(error.message);
    }
  }
  if (errors.length) throw new Error(errors.join('\n'));
  if (!stories.length) throw new Error(`${dir}: no *.yaml stories`);
  return stories;
}
