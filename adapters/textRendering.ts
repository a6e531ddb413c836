import type { Activity } from 'botbuilder';

/** One option shown as a numbered line; picking it by number makes the customer's message `text`. */
export interface RenderedChoice {
  title: string;
  /** what the customer's message becomes when they pick it */
  text: string;
  value?: unknown;
}

export interface TextRenderOptions {
  /** UTF-8 bytes per message */
  maxBytes: number;
  /** 'en' → English hint, else Chinese */
  locale?: string;
}

export interface RenderedText {
  messages: string[];
  choices: RenderedChoice[];
}

interface Wording {
  hint: string;
  attachment: string;
  image: string;
  colon: string;
}

const WORDING: Record<'zh' | 'en', Wording> = {
  zh: { hint: '请回复数字选择：', attachment: '[附件]', image: '[图片]', colon: '：' },
  en: { hint: 'Reply with a number:', attachment: '[Attachment]', image: '[Image]', colon: ': ' },
};

const CARD_TYPES = new Set(['application/vnd.microsoft.card.hero', 'application/vnd.microsoft.card.thumbnail']);
const CHOICE_ACTIONS = new Set(['imBack', 'postBack', 'messageBack']);
const PARAGRAPH = '\n\n';

/** A UTF-8 character is at most 4 bytes: below that some characters could never be sent. */
const MIN_MAX_BYTES = 4;

/** Text and options of one turn, as plain messages for channels that cannot show buttons. */
export function renderAsText(activities: Partial<Activity>[], options: TextRenderOptions): RenderedText {
  assertMaxBytes(options.maxBytes);
  const wording = options.locale?.toLowerCase().startsWith('en') ? WORDING.en : WORDING.zh;
  const messages = activities.filter((activity) => activity.type === 'message');
  const parts: string[] = [];
  const choices: RenderedChoice[] = [];
  for (const activity of messages) {
    const rendered = renderActivity(activity, wording);
    parts.push(...rendered.parts);
    choices.push(...rendered.choices);
  }
  // Suggested actions belong to the latest activity only (Bot Framework hides them once another
  // activity arrives), so options of an earlier message would answer a question no longer asked.
  const last = messages[messages.length - 1];
  if (last) {
    const rendered = renderActions(asActions(last.suggestedActions?.actions), wording);
    parts.push(...rendered.parts);
    choices.push(...rendered.choices);
  }
  const unique = uniqueChoices(choices);
  const body = parts.filter((part) => part !== '').join(PARAGRAPH);
  const list = unique.length > 0 ? numberedList(unique, wording) : '';
  return { messages: layout(body, list, options.maxBytes), choices: unique };
}

/** `text` in as few pieces of at most `maxBytes` UTF-8 bytes as possible, cut where sentences end. */
export function splitText(text: string, maxBytes: number): string[] {
  assertMaxBytes(maxBytes);
  if (text === '') return [];
  if (byteLength(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let current = '';
  let currentBytes = 0;
  const flush = (): void => {
    // Every flush ends at a sentence end, where the separating whitespace is noise.
    const piece = current.trimEnd();
    if (piece !== '') pieces.push(piece);
    current = '';
    currentBytes = 0;
  };
  for (const sentence of sentencesOf(text)) {
    const content = sentence.trimEnd();
    if (currentBytes + byteLength(content) <= maxBytes) {
      current += sentence;
      currentBytes += byteLength(sentence);
      continue;
    }
    if (byteLength(content) <= maxBytes) {
      flush();
      current = sentence;
      currentBytes = byteLength(sentence);
      continue;
    }
    // A sentence that must be cut anyway starts in the room the current message has left:
    // channels with a message budget cannot afford a half-empty message.
    const cut = hardCut(current, content, maxBytes);
    const tail = cut.pop() ?? '';
    pieces.push(...cut);
    current = tail + sentence.slice(content.length);
    currentBytes = byteLength(current);
  }
  flush();
  return pieces;
}

function assertMaxBytes(maxBytes: number): void {
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_MAX_BYTES) {
    throw new RangeError(`maxBytes must be an integer of at least ${MIN_MAX_BYTES}, got ${maxBytes}`);
  }
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

interface RenderedPart {
  parts: string[];
  choices: RenderedChoice[];
}

function renderActivity(activity: Partial<Activity>, wording: Wording): RenderedPart {
  const parts = [activity.text?.trim() ?? ''];
  const choices: RenderedChoice[] = [];
  for (const attachment of activity.attachments ?? []) {
    if (CARD_TYPES.has(attachment.contentType)) {
      const card = renderCard(attachment.content, wording);
      parts.push(...card.parts);
      choices.push(...card.choices);
    } else {
      parts.push(attachmentLine(attachment, wording));
    }
  }
  return { parts, choices };
}

/** Hero and thumbnail cards: their words become text, their buttons options. */
function renderCard(content: unknown, wording: Wording): RenderedPart {
  const lines = ['title', 'subtitle', 'text'].map((key) => stringField(content, key)?.trim()).filter((line): line is string => !!line);
  const actions = renderActions(asActions(field(content, 'buttons')), wording);
  return { parts: [lines.join('\n'), ...actions.parts], choices: actions.choices };
}

interface Attachmentish {
  contentType?: string;
  contentUrl?: string;
  name?: string;
}

/** Images and files cannot be shown here: name them, and link them when the link is a real one. */
function attachmentLine(attachment: Attachmentish, wording: Wording): string {
  const name = attachment.name?.trim();
  // data: URIs would spend the whole message budget on base64.
  const url = /^https?:\/\//i.test(attachment.contentUrl ?? '') ? attachment.contentUrl : undefined;
  if (!name && !url) return '';
  const label = attachment.contentType?.startsWith('image/') ? wording.image : wording.attachment;
  return [label, name, url].filter(Boolean).join(' ');
}

/** Buttons that send a message become options; links and calls can only be written out. */
function renderActions(actions: Record<string, unknown>[], wording: Wording): RenderedPart {
  const choices: RenderedChoice[] = [];
  const lines: string[] = [];
  for (const action of actions) {
    const choice = CHOICE_ACTIONS.has(String(action.type)) ? toChoice(action) : undefined;
    if (choice) choices.push(choice);
    else {
      const line = actionLine(action, wording);
      if (line) lines.push(line);
    }
  }
  return { parts: [lines.join('\n')], choices };
}

function toChoice(action: Record<string, unknown>): RenderedChoice | undefined {
  const value = action.value;
  const valueText = typeof value === 'string' && value.trim() !== '' ? value : undefined;
  const title = oneLine(stringField(action, 'title') ?? stringField(action, 'displayText') ?? valueText ?? '');
  // messageBack sends its `text` as the message; imBack and postBack send a string value as it is;
  // an object value cannot be typed, so the customer's words are the title and the value rides along.
  const messageText = action.type === 'messageBack' ? stringField(action, 'text') : undefined;
  const text = messageText ?? valueText ?? title;
  if (title === '' || text.trim() === '') return undefined;
  return value === undefined || value === text ? { title, text } : { title, text, value };
}

function actionLine(action: Record<string, unknown>, wording: Wording): string {
  const title = stringField(action, 'title')?.trim();
  const target = stringField(action, 'value')?.trim();
  if (!target) return title ?? '';
  return title ? `${title}${wording.colon}${target}` : target;
}

function numberedList(choices: RenderedChoice[], wording: Wording): string {
  return [wording.hint, ...choices.map((choice, index) => `${index + 1}. ${choice.title}`)].join('\n');
}

/** A card button and a suggested action offering the same thing would be two numbers for one option. */
function uniqueChoices(choices: RenderedChoice[]): RenderedChoice[] {
  const seen = new Set<string>();
  return choices.filter((choice) => {
    const key = `${choice.title}\u0000${choice.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The body split as needed, with the numbered list whole in the last message whenever it can be. */
function layout(body: string, list: string, maxBytes: number): string[] {
  if (list === '') return splitText(body, maxBytes);
  const whole = body === '' ? list : `${body}${PARAGRAPH}${list}`;
  if (byteLength(whole) <= maxBytes || byteLength(list) > maxBytes) return splitText(whole, maxBytes);
  const pieces = splitText(body, maxBytes);
  const last = pieces.pop() ?? '';
  const together = `${last}${PARAGRAPH}${list}`;
  return byteLength(together) <= maxBytes ? [...pieces, together] : [...pieces, last, list];
}

/**
 * Ends of sentences: Chinese and Western sentence marks (with closing quotes after them), line
 * breaks, and a full stop before a space (so "3.5" and "v1.2" stay whole). Whitespace after the end
 * belongs to the sentence, so a cut never starts a message with it.
 */
const SENTENCE_END = /(?:[。！？；!?;…]+[”’」』）)\]"']*|\n|\.(?=\s))\s*/g;

function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = (match.index ?? 0) + match[0].length;
    sentences.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** What a cut may not split: a grapheme (emoji with modifiers, flags), else a code point. */
function unitsOf(text: string, maxBytes: number): string[] {
  const units: string[] = [];
  for (const { segment } of GRAPHEMES.segment(text)) {
    if (byteLength(segment) <= maxBytes) units.push(segment);
    else units.push(...Array.from(segment));
  }
  return units;
}

/**
 * `prefix` (whole sentences, possibly empty) followed by a sentence too long for one message, cut
 * at a space or at the end of the prefix when one is near the end of a piece, else anywhere. The
 * last piece is returned untrimmed: later sentences may still join it.
 */
function hardCut(prefix: string, sentence: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let current = prefix;
  let currentBytes = byteLength(prefix);
  let afterSpace = prefix.length;
  for (const unit of unitsOf(sentence, maxBytes)) {
    const bytes = byteLength(unit);
    while (current !== '' && currentBytes + bytes > maxBytes) {
      // Cutting at a space that leaves most of the piece behind would waste a message.
      const at = afterSpace > current.length / 2 ? afterSpace : current.length;
      const piece = current.slice(0, at).trim();
      if (piece !== '') pieces.push(piece);
      current = current.slice(at).trimStart();
      currentBytes = byteLength(current);
      afterSpace = -1;
    }
    if (current === '' && /^\s+$/u.test(unit)) continue;
    current += unit;
    currentBytes += bytes;
    if (/^\s+$/u.test(unit)) afterSpace = current.length;
  }
  pieces.push(current);
  return pieces;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

/** Card contents are untyped JSON from dialogs: keep only entries that look like actions. */
function asActions(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}
