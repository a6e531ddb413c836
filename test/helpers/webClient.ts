import type { Activity } from 'botbuilder';
import type WebSocket from 'ws';

export interface WebReply {
  status: number;
  body: { activities?: Partial<Activity>[]; code?: string; message?: string; conversationId?: string; token?: string };
}

/** The web channel's API as the page uses it, for HTTP tests. */
export class WebClient {
  conversationId = '';
  token = '';

  constructor(readonly baseUrl: string) {}

  /** A client in a new conversation (the greeting already received). */
  static async open(baseUrl: string): Promise<WebClient> {
    const client = new WebClient(baseUrl);
    const reply = await client.start();
    if (reply.status !== 201) throw new Error(`creating a conversation got HTTP ${reply.status}`);
    return client;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<WebReply> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as WebReply['body']) : {} };
  }

  async start(): Promise<WebReply> {
    const reply = await this.request('POST', '/api/web/conversations', {});
    this.conversationId = reply.body.conversationId ?? '';
    this.token = reply.body.token ?? '';
    return reply;
  }

  auth(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  async say(text: string, id?: string): Promise<WebReply> {
    return this.request('POST', `/api/web/conversations/${this.conversationId}/messages`, { text, id }, this.auth());
  }

  /** Says something and returns the texts of the answers; any status but 200 is an error. */
  async chat(text: string): Promise<string> {
    const reply = await this.say(text);
    if (reply.status !== 200) throw new Error(`"${text}" got HTTP ${reply.status}: ${JSON.stringify(reply.body)}`);
    return textsOf(reply.body.activities);
  }

  async history(): Promise<Partial<Activity>[]> {
    const reply = await this.request('GET', `/api/web/conversations/${this.conversationId}/history`, undefined, this.auth());
    return reply.body.activities ?? [];
  }
}

export function textsOf(activities: Partial<Activity>[] | undefined): string {
  return (activities ?? []).map((a) => a.text ?? '').join('\n');
}

/**
 * Resolves with the pushed activities once a frame on the stream carries `text`: keep-alives (`{}`)
 * and other pushes may come first, so a test never takes "the first frame".
 */
export function pushWithText(socket: WebSocket, text: string): Promise<Partial<Activity>[]> {
  return new Promise((resolve) => {
    const onFrame = (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { activities?: Partial<Activity>[] };
      if (!textsOf(frame.activities).includes(text)) return;
      socket.off('message', onFrame);
      resolve(frame.activities ?? []);
    };
    socket.on('message', onFrame);
  });
}
