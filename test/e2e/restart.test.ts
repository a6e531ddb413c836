import { testRedisUrl, uniquePrefix } from '../helpers/redis';
import { killHard, startServiceProcess, type ServiceProcess } from '../helpers/serviceProcess';
import { WebClient, textsOf } from '../helpers/webClient';

// Each case starts the real service in child processes: slow on a loaded 2-core machine.
jest.setTimeout(120_000);

describe('the service killed with kill -9 mid-conversation', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    if (service && service.child.exitCode === null) await killHard(service);
  });

  test('loses nothing: the next message continues where the customer was', async () => {
    const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: uniquePrefix() };
    service = await startServiceProcess(env);
    const client = new WebClient(service.url);
    expect((await client.start()).status).toBe(201);
    // The customer switched the conversation to English and asked for a person.
    expect(textsOf((await client.say('Hello, I have a question', 'm1')).body.activities)).toMatch(/Hello/);
    expect((await client.say('agent please', 'm2')).status).toBe(200);
    const before = await client.history();

    await killHard(service);
    service = await startServiceProcess(env);
    const again = new WebClient(service.url);
    again.conversationId = client.conversationId;
    again.token = client.token;

    // The same token still works and the record is whole.
    expect(await again.history()).toEqual(before);
    // A retried message from before the crash gets its first answer, not a second turn.
    const retried = await again.say('agent please', 'm2');
    expect(retried.status).toBe(200);
    expect((await again.history()).length).toBe(before.length);
    // "3" says nothing about language: the answer is in English, from the menu the customer was at
    // (item 3 is the warranty check, which asks for the serial number).
    const next = await again.say('3', 'm3');
    expect(textsOf(next.body.activities)).toContain('serial number');
    expect(textsOf(next.body.activities)).not.toMatch(/\p{Script=Han}/u);
    // The second request for a person is recognised as a repeat: the first one survived the crash.
    expect(textsOf((await again.say('agent', 'm4')).body.activities)).toMatch(/already in the queue/);
  });
});
