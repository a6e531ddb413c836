import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = { json: unknown } | { text: string } | { delayMs: number; json: unknown } | { status: number };

interface ChatRequest {
  messages: { role: string; content: string }[];
  tools?: { function: { name: string } }[];
}

/**
 * A local OpenAI-compatible chat endpoint (POST /v1/chat/completions) answering what the test says:
 * JSON as a tool call when tools were offered (function calling) or as content (JSON mode), plain
 * text, a delay, or an HTTP error.
 */
export class LlmStandIn {
  readonly requests: ChatRequest[] = [];
  reply: (request: ChatRequest) => Reply = () => ({ status: 500 });
  private server?: Server;
  private readonly pending = new Set<NodeJS.Timeout>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const request = JSON.parse(body) as ChatRequest;
        this.requests.push(request);
        const reply = this.reply(request);
        const send = () => {
          // The client may have given up (that is what the slow replies test).
          if (res.destroyed || res.writableEnded) return;
          res.setHeader('content-type', 'application/json');
          if ('status' in reply) {
            res.statusCode = reply.status;
            res.end('{"error":{"message":"stand-in error"}}');
            return;
          }
          const content = 'text' in reply ? reply.text : JSON.stringify(reply.json);
          const tool = request.tools?.[0]?.function.name;
          const message =
            tool && !('text' in reply)
              ? {
                  role: 'assistant',
                  content: null,
                  tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool, arguments: content } }],
                }
              : { role: 'assistant', content };
          res.end(
            JSON.stringify({
              id: 'chatcmpl-test',
              object: 'chat.completion',
              created: Math.floor(Date.now() / 1000),
              model: 'stand-in',
              choices: [{ index: 0, message, finish_reason: tool ? 'tool_calls' : 'stop' }],
              usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
            }),
          );
        };
        if ('delayMs' in reply) {
          const timer = setTimeout(() => {
            this.pending.delete(timer);
            send();
          }, reply.delayMs);
          this.pending.add(timer);
        } else send();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Which task a request is, from its system prompt. */
export function taskOf(request: ChatRequest): 'classify' | 'rerank' | 'phrase' | 'grounded' | 'unknown' {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  if (system.includes('You route messages')) return 'classify';
  if (system.includes('Pick the FAQ entry')) return 'rerank';
  if (system.includes('Rewrite these')) return 'phrase';
  if (system.includes('ONLY from the service-manual entries')) return 'grounded';
  return 'unknown';
}

/** The manual entries a grounded-answer request was given: their ids and texts, in the order shown. */
export function entriesOf(request: ChatRequest): { id: string; text: string }[] {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  return [...system.matchAll(/\[([^\]\n]+)\]\n([\s\S]*?)(?=\n\n\[|\nAnswer as JSON)/g)].map((match) => ({
    id: match[1]!,
    text: match[2]!,
  }));
}
