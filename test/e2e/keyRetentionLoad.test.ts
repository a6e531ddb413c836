import pino from 'pino';
import { auditKeys, keysOfConversation } from '../helpers/keyAudit';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';

const CONVERSATIONS = 200;
const AT_ONCE = 20;
/** The greeting comes on opening; these four follow: five messages a conversation (about 12 s on 2 busy cores). */
const SCRIPT = ['你好', '笔记本电脑怎么连接投影仪', '我要报修', '序列号是 PH26P7014547'];

// The figures go to the test log (stderr), not asserted as timings: they depend on the machine.
const log = pino({ level: 'info' }, pino.destination(2));

/** Issue 11's "done when": a load of busy web conversations leaves every key with a TTL or a documented owner. */
describe(`${CONVERSATIONS} busy web conversations`, () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({ rateLimits: undefined }, { now: SAMPLE_DATA_NOW });
  });
  afterAll(async () => {
    await running.stop();
  });

  test(`${CONVERSATIONS} × ${SCRIPT.length + 1} messages, ${AT_ONCE} at a time: every key has a TTL or an owner, and a message costs < 8 KB`, async () => {
    const started = Date.now();
    const clients: WebClient[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < CONVERSATIONS) {
        next += 1;
        const client = await WebClient.open(running.url);
        for (const text of SCRIPT) await client.chat(text);
        clients.push(client);
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, worker));
    const elapsedMs = Date.now() - started;
    expect(clients).toHaveLength(CONVERSATIONS);
    // Each conversation really went through its script, on record.
    for (const client of [clients[0], clients[CONVERSATIONS - 1]]) {
      expect((await client.history()).filter((activity) => activity.from?.role === 'user')).toHaveLength(SCRIPT.length);
    }

    const audit = await auditKeys(running.config.redisKeyPrefix);
    expect({ unknown: audit.unknown, documentedToExpireButDoNot: audit.missingTtl }).toEqual({
      unknown: [],
      documentedToExpireButDoNot: [],
    });

    const perConversation = clients.map((client) => keysOfConversation(audit, client.conversationId));
    const conversationBytes = perConversation.flat().reduce((sum, key) => sum + key.bytes, 0);
    const messages = CONVERSATIONS * (SCRIPT.length + 1);
    const bytesPerMessage = conversationBytes / messages;
    log.info(
      {
        conversations: CONVERSATIONS,
        messages,
        elapsedMs,
        keysPerConversation: Math.round(perConversation.flat().length / CONVERSATIONS),
        bytesPerConversation: Math.round(conversationBytes / CONVERSATIONS),
        bytesPerMessage: Math.round(bytesPerMessage),
        allKeysBytes: audit.bytes,
      },
      'key retention under load',
    );
    // Without an owner nothing here lasts: each conversation's keys all expire.
    expect(perConversation.every((keys) => keys.every((key) => key.ttl > 0 || key.end === 'record' || key.end === 'owned'))).toBe(true);
    expect(bytesPerMessage).toBeLessThan(8 * 1024);
  }, 120_000);
});
