import { randomBytes } from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';
import { BOT_ACCOUNT, WEB_CHANNEL } from '../../../adapters/web/webAdapter';
import { startTestApp, type RunningApp } from '../../helpers/testApp';
import { until } from '../../helpers/until';
import { WebClient, pushWithText } from '../../helpers/webClient';

/**
 * The push stream is the one part of the web channel a browser writes raw frames to: whatever it
 * sends, only its own socket closes, and the service goes on answering everybody.
 */
describe('the web push stream under hostile frames', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });

  const streamUrl = (client: WebClient) =>
    `${running.url.replace(/^http/, 'ws')}/api/web/conversations/${client.conversationId}/stream?token=${encodeURIComponent(client.token)}`;

  test.each<[string, number, (socket: WebSocket) => void]>([
    ['a text frame over the 4 KB limit', 1009, (socket) => socket.send('x'.repeat(5000))],
    // ws does not check what it sends: this is a text frame holding C3 28, which is not UTF-8.
    ['a text frame that is not UTF-8', 1007, (socket) => socket.send(Buffer.from([0xc3, 0x28]), { binary: false })],
    ['a binary frame', 1003, (socket) => socket.send(Buffer.from([1, 2, 3]))],
    ['a normal text frame (the stream only pushes)', 1003, (socket) => socket.send('{"text":"你好"}')],
  ])('%s closes only that socket (code %d); the service keeps answering', async (_name, code, sendBadFrame) => {
    const client = await WebClient.open(running.url);
    const bystander = await WebClient.open(running.url);
    const bystanderSocket = await openSocket(streamUrl(bystander));

    const socket = await openSocket(streamUrl(client));
    const closed = closeOf(socket);
    sendBadFrame(socket);
    expect((await closed).code).toBe(code);

    // Another browser's stream stayed open and the same process still runs conversations.
    expect(bystanderSocket.readyState).toBe(WebSocket.OPEN);
    expect(await client.chat('帮助')).toContain('主菜单');
    const fresh = await openSocket(streamUrl(client));
    const pushed = pushWithText(fresh, '您的工程师已出发');
    await pushToCustomer(client.conversationId, '您的工程师已出发');
    await pushed;
    fresh.close();
    bystanderSocket.close();
  });

  test('a ping is answered with a pong and keeps the socket open', async () => {
    const client = await WebClient.open(running.url);
    const socket = await openSocket(streamUrl(client));
    const pong = new Promise<Buffer>((resolve) => socket.once('pong', resolve));
    socket.ping('are you there');
    expect((await pong).toString()).toBe('are you there');
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  test('a hand-built masked text frame with invalid UTF-8 over a raw connection closes with 1007', async () => {
    const client = await WebClient.open(running.url);
    const raw = await rawUpgrade(new URL(streamUrl(client)));
    raw.socket.write(maskedFrame(0x1, Buffer.from([0xc3, 0x28])));
    const closeFrame = await raw.closeFrame;
    expect(closeFrame.readUInt16BE(0)).toBe(1007);
    raw.socket.destroy();
    expect(await client.chat('帮助')).toContain('主菜单');
  });

  test('a browser that resets the connection in the middle of the upgrade does not stop the service', async () => {
    const client = await WebClient.open(running.url);
    // Refusing an unknown conversation writes a 404 to the socket the browser has already reset.
    const url = new URL(`${running.url.replace(/^http/, 'ws')}/api/web/conversations/web-gone/stream?token=x`);
    for (let i = 0; i < 20; i += 1) {
      const socket = net.connect(Number(url.port), url.hostname);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(upgradeRequest(url));
      socket.resetAndDestroy();
    }
    expect(await client.chat('帮助')).toContain('主菜单');
  });

  async function pushToCustomer(conversationId: string, text: string): Promise<void> {
    await running.app.webAdapter.continueConversation(
      {
        channelId: WEB_CHANNEL,
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
        bot: BOT_ACCOUNT,
        serviceUrl: 'web',
      },
      async (context) => {
        await context.sendActivity(text);
      },
    );
  }
});

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('open', () => resolve(socket));
    socket.on('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.on('error', reject);
  });
}

function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

function upgradeRequest(url: URL): string {
  return [
    `GET ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

/** A client frame as RFC 6455 §5.2 lays it out: FIN, the opcode, the mask bit and a masked payload. */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new Error('only short frames are built here');
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}

/** A WebSocket opened by hand over TCP; resolves to the socket and the payload of the server's close frame. */
async function rawUpgrade(url: URL): Promise<{ socket: net.Socket; closeFrame: Promise<Buffer> }> {
  const socket = net.connect(Number(url.port), url.hostname);
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  socket.write(upgradeRequest(url));
  const headerEnd = await until(() => {
    const end = received.indexOf('\r\n\r\n');
    return end >= 0 ? end + 4 : undefined;
  }, 'the upgrade response');
  const status = received.subarray(0, headerEnd).toString().split('\r\n')[0];
  if (!status.includes(' 101 ')) throw new Error(`upgrade refused: ${status}`);
  const closeFrame = until(() => closeFramePayload(received.subarray(headerEnd)), 'the close frame');
  return { socket, closeFrame };
}

/** The payload of the server's close frame once it has arrived, after any pushes or keep-alives. */
function closeFramePayload(frames: Buffer): Buffer | undefined {
  let at = 0;
  while (at + 2 <= frames.length) {
    // Server frames are unmasked; the ones here are short (a length under 126).
    const opcode = frames[at] & 0x0f;
    const length = frames[at + 1] & 0x7f;
    if (length > 125) throw new Error('unexpected long frame from the server');
    if (at + 2 + length > frames.length) return undefined;
    if (opcode === 0x8) return frames.subarray(at + 2, at + 2 + length);
    at += 2 + length;
  }
  return undefined;
}
