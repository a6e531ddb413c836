import { z } from 'zod';

/** A button as the customer sees it: its label and what pressing it sends. */
export interface ShownButton {
  label: string;
  sends: string;
}

/** One message of the bot, as shown to the customer. */
export interface BotMessage {
  text: string;
}

/** The bot's answer to one thing the customer did. */
export interface BotReply {
  /** HTTP status of the turn (200 on the web). */
  status: number;
  messages: BotMessage[];
  /** The buttons the customer can press now (on the web: those of the last message only). */
  buttons: ShownButton[];
}

/** One customer in one conversation, on one channel. */
export interface StoryCustomer {
  readonly conversationId: string;
  /** The bot's first words (the web page's greeting). */
  readonly greeting: BotReply;
  say(text: string): Promise<BotReply>;
}

export interface StoryChannel {
  open(): Promise<StoryCustomer>;
}

// The web API's activities, as far as a customer sees them (README "HTTP API").
const actionSchema = z.object({
  type: z.string().optional(),
  title: z.unknown().optional(),
  value: z.unknown().optional(),
  text: z.unknown().optional(),
});
const activitySchema = z.object({
  type: z.string().optional(),
  text: z.string().optional(),
  suggestedActions: z.object({ actions: z.array(actionSchema) }).optional(),
  attachments: z.array(z.object({ contentType: z.string().optional(), content: z.unknown().optional() })).optional(),
});
const repliesSchema = z.object({ activities: z.array(activitySchema).default([]) });
const openedSchema = repliesSchema.extend({ conversationId: z.string().min(1), token: z.string().min(1) });
const heroSchema = z.object({ buttons: z.array(actionSchema).optional() });

type WebAction = z.infer<typeof actionSchema>;
type WebActivity = z.infer<typeof activitySchema>;

const nonBlank = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** What a button sends, as adapters/web/public/chat.js `actionText` decides it. */
function buttonOf(action: WebAction): ShownButton | undefined {
  if (action.type === 'openUrl') return undefined;
  const sends = nonBlank(action.value) ? action.value : nonBlank(action.text) ? action.text : nonBlank(action.title) ? action.title : '';
  if (!sends) return undefined;
  return { label: nonBlank(action.title) ? action.title : sends, sends };
}

function actionsOf(activity: WebActivity): WebAction[] {
  const cards = (activity.attachments ?? [])
    .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.hero')
    .flatMap((attachment) => heroSchema.safeParse(attachment.content).data?.buttons ?? []);
  return [...(activity.suggestedActions?.actions ?? []), ...cards];
}

/** The page shows message bubbles only, and the buttons of the last one (chat.js `render`). */
function webReply(status: number, activities: WebActivity[]): BotReply {
  const shown = activities.filter(
    (activity) => (activity.type ?? 'message') === 'message' && (nonBlank(activity.text) || actionsOf(activity).length > 0),
  );
  const last = shown.at(-1);
  return {
    status,
    messages: shown.map((activity) => ({ text: activity.text ?? '' })),
    buttons: last ? actionsOf(last).flatMap((action) => buttonOf(action) ?? []) : [],
  };
}

/** A customer on the web page, through its HTTP API (what the page itself calls). */
export class WebStoryChannel implements StoryChannel {
  constructor(private readonly baseUrl: string) {}

  async open(): Promise<StoryCustomer> {
    const response = await fetch(`${this.baseUrl}/api/web/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const body = openedSchema.parse(await response.json());
    const { conversationId, token } = body;
    const baseUrl = this.baseUrl;
    return {
      conversationId,
      greeting: webReply(response.status, body.activities),
      async say(text: string): Promise<BotReply> {
        const reply = await fetch(`${baseUrl}/api/web/conversations/${conversationId}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ text }),
        });
        const raw: unknown = await reply.json().catch(() => ({}));
        const parsed = repliesSchema.safeParse(raw);
        return webReply(reply.status, reply.status === 200 && parsed.success ? parsed.data.activities : []);
      },
    };
  }
}
