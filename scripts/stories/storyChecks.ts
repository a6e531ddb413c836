import type { Ticket } from '../../desk/model';
import { knowledgeTextsFor } from '../../dialogs/knowledgeTexts';
import type { Guide, Manual } from '../../knowledge/manualTypes';
import { normalisePrompt } from './askedAgain';
import type { BotReply } from './storyChannels';
import type { GuideChecks, ReplyChecks, StoryFile, TicketChecks } from './storyFile';

/** What the service holds about the story's conversation once the customer is done. */
export interface StoryOutcome {
  /** Everything the bot said, in order. */
  botTexts: string[];
  tickets: Ticket[];
  /** A person took over: the chat was queued for an agent, or a call-back was registered. */
  handedOff: boolean;
  ratings: number[];
}

/** `/regex/flags` is a pattern; anything else a text that must occur as written. */
function matcher(expected: string): (text: string) => boolean {
  const pattern = /^\/(.+)\/([a-z]*)$/s.exec(expected);
  if (pattern) {
    const regex = new RegExp(pattern[1], pattern[2]);
    return (text) => regex.test(text);
  }
  return (text) => text.includes(expected);
}

export function checkReply(reply: BotReply, checks: ReplyChecks | undefined): string[] {
  if (!checks) return [];
  const text = reply.messages.map((message) => message.text).join('\n');
  const failures: string[] = [];
  for (const expected of checks.says ?? []) if (!matcher(expected)(text)) failures.push(`reply does not say ${expected}`);
  for (const unwanted of checks.saysNot ?? []) if (matcher(unwanted)(text)) failures.push(`reply says ${unwanted}`);
  const labels = reply.buttons.map((button) => button.label);
  for (const label of checks.offers ?? []) {
    if (!labels.includes(label)) failures.push(`no button "${label}" (buttons: ${labels.join(' | ') || 'none'})`);
  }
  return failures;
}

function valueAt(root: unknown, dotted: string): unknown {
  let value = root;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** What is wrong with one ticket against the story's expectations (empty: it fits). */
export function ticketMismatches(ticket: Ticket, checks: TicketChecks): string[] {
  const wrong: string[] = [];
  const same = (what: string, expected: string | undefined, actual: unknown) => {
    if (expected !== undefined && String(actual ?? '') !== expected)
      wrong.push(`${what} ${JSON.stringify(actual ?? null)}, not ${JSON.stringify(expected)}`);
  };
  same('category', checks.category, ticket.product.category);
  same('model', checks.model, ticket.product.modelId);
  same('serial', checks.serial, ticket.product.serial);
  same('phone', checks.phone, ticket.customer.phone);
  same('name', checks.name, ticket.customer.name);
  same('warranty', checks.warranty, ticket.warranty.status);
  same('serviceKind', checks.serviceKind, ticket.warranty.serviceKind);
  same('serviceMode', checks.serviceMode, ticket.serviceMode);
  const fault = ticket.fault.symptom;
  for (const words of checks.fault ?? []) if (!matcher(words)(fault)) wrong.push(`fault "${fault}" lacks ${words}`);
  for (const words of checks.faultNot ?? []) if (matcher(words)(fault)) wrong.push(`fault "${fault}" has ${words}`);
  const damage = checks.damage ?? {};
  if (damage.physical !== undefined && ticket.fault.physicalDamage !== damage.physical)
    wrong.push(`physicalDamage ${ticket.fault.physicalDamage}`);
  if (damage.liquid !== undefined && ticket.fault.liquid !== damage.liquid) wrong.push(`liquid ${ticket.fault.liquid}`);
  if (damage.disassembled !== undefined && ticket.fault.disassembled !== damage.disassembled)
    wrong.push(`disassembled ${ticket.fault.disassembled}`);
  if (checks.stepsTried !== undefined && (ticket.stepsTried?.length ?? 0) > 0 !== checks.stepsTried)
    wrong.push(`${ticket.stepsTried?.length ?? 0} steps tried`);
  for (const [field, expected] of Object.entries(checks.fields ?? {})) {
    const actual = valueAt(ticket, field);
    if ((actual ?? null) !== expected) wrong.push(`${field} ${JSON.stringify(actual ?? null)}, not ${JSON.stringify(expected)}`);
  }
  return wrong;
}

function checkTicket(tickets: Ticket[], expected: boolean | TicketChecks): string[] {
  if (expected === false) return tickets.length ? [`ticket: none expected, got ${tickets.map((t) => t.id).join(', ')}`] : [];
  if (!tickets.length) return ['ticket: no ticket was created'];
  if (expected === true) return [];
  const verdicts = tickets.map((ticket) => ({ ticket, wrong: ticketMismatches(ticket, expected) }));
  if (verdicts.some((verdict) => !verdict.wrong.length)) return [];
  const closest = verdicts.sort((a, b) => a.wrong.length - b.wrong.length)[0];
  return [`ticket ${closest.ticket.id}: ${closest.wrong.join('; ')}`];
}

const contains = (haystack: string[], needle: string): boolean => {
  const wanted = normalisePrompt(needle);
  return wanted !== '' && haystack.some((text) => normalisePrompt(text).includes(wanted));
};

/** The guides whose steps the customer was shown (a step's instruction, in either language). */
export function guidesShown(manual: Manual, botTexts: string[]): Guide[] {
  return manual.guides.filter((guide) =>
    guide.steps.some((step) => contains(botTexts, step.instruction) || (step.en && contains(botTexts, step.en.instruction))),
  );
}

function checkGuide(manual: Manual, botTexts: string[], expected: GuideChecks): string[] {
  const shown = guidesShown(manual, botTexts);
  const names = shown.map((guide) => guide.id).join(', ') || 'none';
  const failures: string[] = [];
  if (expected.id && !shown.some((guide) => guide.id === expected.id))
    failures.push(`guide ${expected.id} was not shown (shown: ${names})`);
  if (expected.category) {
    const others = shown.filter((guide) => !guide.categories.includes(expected.category ?? ''));
    if (!shown.length) failures.push(`no ${expected.category} guide was shown`);
    if (others.length) failures.push(`another product's guide was shown: ${others.map((guide) => guide.id).join(', ')}`);
  }
  if (!expected.id && !expected.category && !shown.length) failures.push('no guide was shown');
  const said = (which: 'solved' | 'notSolved') =>
    (['zh-CN', 'en'] as const).some((locale) => contains(botTexts, knowledgeTextsFor(locale)[which]));
  if (expected.outcome === 'solved' && !said('solved')) failures.push(`guide not solved (shown: ${names})`);
  if (expected.outcome === 'notSolved' && !said('notSolved')) failures.push(`guide did not end in "not solved, report?" (shown: ${names})`);
  return failures;
}

function checkFaq(manual: Manual, botTexts: string[], id: string): string[] {
  const entry = manual.faqs.find((faq) => faq.id === id);
  if (!entry) return [`faq: ${id} is no entry of the manual`];
  const answered = botTexts.some((text) => {
    const start = normalisePrompt(text);
    return (
      start.startsWith(normalisePrompt(entry.question)) || (entry.en !== undefined && start.startsWith(normalisePrompt(entry.en.question)))
    );
  });
  return answered ? [] : [`faq ${id} was not answered`];
}

/** Every `end` check of the story against what the service holds; empty when all hold. */
export function checkEnd(end: StoryFile['end'], outcome: StoryOutcome, manual: Manual): string[] {
  const failures: string[] = [];
  if (end.ticket !== undefined) failures.push(...checkTicket(outcome.tickets, end.ticket));
  if (end.guide) failures.push(...checkGuide(manual, outcome.botTexts, end.guide));
  if (end.faq) failures.push(...checkFaq(manual, outcome.botTexts, end.faq));
  if (end.handoff !== outcome.handedOff)
    failures.push(end.handoff ? 'handoff: the customer did not reach a person' : 'handoff: the customer was handed to a person');
  if (end.rated !== undefined) {
    const rated = outcome.ratings.length > 0;
    if (typeof end.rated === 'number' ? !outcome.ratings.includes(end.rated) : rated !== end.rated) {
      failures.push(`rated: expected ${String(end.rated)}, recorded ${outcome.ratings.join(', ') || 'none'}`);
    }
  }
  const all = outcome.botTexts.join('\n');
  for (const expected of end.says ?? []) if (!matcher(expected)(all)) failures.push(`the bot never said ${expected}`);
  for (const unwanted of end.saysNot ?? []) if (matcher(unwanted)(all)) failures.push(`the bot said ${unwanted}`);
  return failures;
}
