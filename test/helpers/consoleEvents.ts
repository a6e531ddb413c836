/** The console's Server-Sent Events as a signed-in page receives them, collected for assertions. */
export class ConsoleEvents {
  readonly events: { type: string; data: { conversationId?: string; entry?: { text: string; speaker: string } } }[] = [];
  private readonly abort = new AbortController();

  static async open(baseUrl: string, cookie: string): Promise<ConsoleEvents> {
    const stream = new ConsoleEvents();
    const response = await fetch(`${baseUrl}/api/console/events`, { headers: { cookie }, signal: stream.abort.signal });
    if (response.status !== 200 || !response.body) throw new Error(`events answered ${response.status}`);
    void stream.read(response.body.getReader());
    return stream;
  }

  close(): void {
    this.abort.abort();
  }

  /** The texts of the `message` events of one conversation, in order. */
  textsOf(conversationId: string): string[] {
    return this.events
      .filter((event) => event.type === 'message' && event.data.conversationId === conversationId)
      .map((event) => event.data.entry?.text ?? '');
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (type && data) this.events.push({ type, data: JSON.parse(data) as ConsoleEvents['events'][number]['data'] });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Aborted by close().
    }
  }
}
