export interface ApiReply {
  status: number;
  body: { code?: string; message?: string; csrfToken?: string; [key: string]: unknown };
}

/** One signed-in console session over plain HTTP: its cookie and CSRF token, as the page keeps them. */
export class ConsoleClient {
  private constructor(
    private readonly baseUrl: string,
    readonly username: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async login(baseUrl: string, username: string, password: string): Promise<ConsoleClient> {
    const response = await fetch(`${baseUrl}/api/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await response.json()) as ApiReply['body'];
    if (response.status !== 200) throw new Error(`login of ${username} got HTTP ${response.status}: ${JSON.stringify(body)}`);
    const cookie = response.headers
      .getSetCookie()
      .map((header) => header.split(';')[0])
      .join('; ');
    return new ConsoleClient(baseUrl, username, cookie, String(body.csrfToken ?? ''));
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      headers['x-csrf-token'] = this.csrfToken;
    }
    const response = await fetch(`${this.baseUrl}/api/console${path}`, {
      method,
      headers,
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as ApiReply['body']) : {} };
  }

  /** The session cookie, for requests made outside this client (an event stream). */
  cookieHeader(): string {
    return this.cookie;
  }

  claim(conversationId: string): Promise<ApiReply> {
    return this.request('POST', `/chats/${encodeURIComponent(conversationId)}/claim`);
  }

  close(conversationId: string): Promise<ApiReply> {
    return this.request('POST', `/chats/${encodeURIComponent(conversationId)}/close`);
  }
}
