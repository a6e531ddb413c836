import { Writable } from 'node:stream';
import { createApp, type App } from '../../app/app';
import { loadConfig } from '../../app/config';
import { createLogger } from '../../common/logger';
import { maskPersonalText } from '../../desk/privacy';
import { ConsoleAccounts } from '../../console/accounts';
import { parseWorkingHours } from '../../desk/workingHours';
import { ConsoleClient } from '../helpers/consoleClient';
import { ConsoleEvents } from '../helpers/consoleEvents';
import { testRedisUrl, uniquePrefix } from '../helpers/redis';
import { until } from '../helpers/until';
import { WebClient } from '../helpers/webClient';

/**
 * DESIGN §3 in the console: a customer's phone numbers and addresses are masked for every role that
 * does not need them (the queue, managers, other agents), whole only for the agent talking with the
 * customer, and each time they are shown whole a log line says so. No log line carries them.
 */

const PHONE = '13812345678';
const MASKED = '138****5678';
const SECOND_PHONE = '15987654321';
const ADDRESS = '上海市浦东新区张江路88号3号楼';

const PEOPLE = {
  li: { username: 'agent1', password: 'agent-pass-123', displayName: '客服小李', role: 'agent' },
  wang: { username: 'agent2', password: 'agent-pass-234', displayName: '客服小王', role: 'agent' },
  lead: { username: 'lead1', password: 'lead-pass-345', displayName: '组长', role: 'manager' },
} as const;

describe('customer data in the console', () => {
  let app: App;
  let url: string;
  const logLines: string[] = [];
  let li: ConsoleClient;
  let wang: ConsoleClient;
  let lead: ConsoleClient;
  let customer: WebClient;

  beforeAll(async () => {
    const config = {
      ...loadConfig({ PORT: '0', LOG_LEVEL: 'info' }),
      redisUrl: testRedisUrl(),
      redisKeyPrefix: uniquePrefix(),
      serviceHours: parseWorkingHours('00:00-24:00 1-7'),
    };
    // The service's own logger, writing into this test's list of lines.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    app = createApp(config, { logger: createLogger('info', maskPersonalText, sink) });
    url = await app.start(0);
    const accounts = new ConsoleAccounts(app.redis);
    for (const person of Object.values(PEOPLE)) await accounts.create(person);
    [li, wang, lead] = await Promise.all(
      [PEOPLE.li, PEOPLE.wang, PEOPLE.lead].map((person) => ConsoleClient.login(url, person.username, person.password)),
    );

    customer = await WebClient.open(url);
    await customer.chat(`我电话${PHONE}`);
    await customer.chat(`地址是${ADDRESS}`);
    await customer.chat('转人工');
  });
  afterAll(async () => {
    await app?.stop();
  });

  test("the queue shows every agent the customer's last words with the phone masked, and nowhere the number", async () => {
    const queue = await wang.request('GET', '/queue');
    expect(queue.status).toBe(200);
    const waiting = (queue.body.waiting as { conversationId: string; summary: { lastMessages: string[] } }[]).find(
      (item) => item.conversationId === customer.conversationId,
    );
    expect(waiting?.summary.lastMessages).toContain(`我电话${MASKED}`);
    expect(waiting?.summary.lastMessages).toContain('地址是上海市浦东新区****');
    const whole = JSON.stringify(queue.body);
    expect(whole).not.toContain(PHONE);
    expect(whole).not.toContain('张江路88号');
  });

  test('a manager reads the transcript masked', async () => {
    const transcript = await lead.request('GET', `/chats/${customer.conversationId}/transcript`);
    expect(transcript.status).toBe(200);
    const whole = JSON.stringify(transcript.body);
    expect(whole).toContain(`我电话${MASKED}`);
    expect(whole).not.toContain(PHONE);
    expect(whole).not.toContain('张江路88号');
  });

  describe('once an agent has taken the chat', () => {
    let leadEvents: ConsoleEvents;
    let liEvents: ConsoleEvents;

    beforeAll(async () => {
      const claimed = await li.claim(customer.conversationId);
      expect(claimed.status).toBe(200);
      expect(JSON.stringify(claimed.body)).not.toContain(PHONE);
      [leadEvents, liEvents] = await Promise.all([
        ConsoleEvents.open(url, lead.cookieHeader()),
        ConsoleEvents.open(url, li.cookieHeader()),
      ]);
    });
    afterAll(() => {
      leadEvents?.close();
      liEvents?.close();
    });

    test('that agent, who may call the customer back, reads the number whole, and the log says so', async () => {
      const transcript = await li.request('GET', `/chats/${customer.conversationId}/transcript`);
      expect(JSON.stringify(transcript.body)).toContain(`我电话${PHONE}`);
      const logged = logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.event === 'console.unmasked' && line.conversation === customer.conversationId);
      expect(logged).toMatchObject({ agent: PEOPLE.li.username, view: 'transcript' });
    });

    test('a manager still reads it masked, and another agent not at all', async () => {
      expect(JSON.stringify((await lead.request('GET', `/chats/${customer.conversationId}/transcript`)).body)).not.toContain(PHONE);
      expect((await wang.request('GET', `/chats/${customer.conversationId}/transcript`)).status).toBe(403);
    });

    test('live messages: whole for that agent, masked for the manager watching', async () => {
      await customer.say(`也可以打${SECOND_PHONE}`);
      await until(
        () => liEvents.textsOf(customer.conversationId).includes(`也可以打${SECOND_PHONE}`),
        "the message on the agent's console",
      );
      await until(
        () => leadEvents.textsOf(customer.conversationId).includes('也可以打159****4321'),
        "the masked message on the manager's console",
      );
      expect(JSON.stringify(leadEvents.events)).not.toContain(SECOND_PHONE);
    });

    test("a ticket's symptom is shown with any phone in it masked", async () => {
      const model = app.catalogue.models().find((each) => app.catalogue.category(each.category)?.serviceModes.includes('carryIn'));
      const created = await li.request('POST', `/chats/${customer.conversationId}/tickets`, {
        customerName: '王先生',
        phone: PHONE,
        modelId: model?.id,
        symptom: `开不了机，急，回电${SECOND_PHONE}`,
        serviceMode: 'carryIn',
      });
      expect(created.status).toBe(201);
      const tickets = await lead.request('GET', `/chats/${customer.conversationId}/tickets`);
      const whole = JSON.stringify(tickets.body);
      expect(whole).toContain('回电159****4321');
      expect(whole).toContain(MASKED);
      expect(whole).not.toContain(PHONE);
      expect(whole).not.toContain(SECOND_PHONE);
    });
  });

  test("no log line carries a customer's phone, even one quoted by a parser error", async () => {
    const broken = await customer.request(
      'POST',
      `/api/web/conversations/${customer.conversationId}/messages`,
      `我电话${PHONE}`,
      customer.auth(),
    );
    expect(broken.status).toBe(400);
    await until(() => logLines.some((line) => line.includes('request refused')), "the refusal's log line");
    const refusal = logLines.find((line) => line.includes('request refused')) ?? '';
    expect(refusal).toContain(MASKED);
    for (const line of logLines) {
      expect(line).not.toContain(PHONE);
      expect(line).not.toContain(SECOND_PHONE);
    }
  });
});
