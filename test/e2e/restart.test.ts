import { testRedisUrl, uniquePrefix } from '../helpers/redis';
import { killHard, startServiceProcess, type ServiceProcess } from '../helpers/serviceProcess';
import { WebClient, textsOf } from '../helpers/webClient';

// Each case starts the real service in child processes: slow on a loaded 2-core machine.
jest.setTimeout(400_000);

describe('the service killed with kill -9 mid-conversation', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    if (service && service.child.exitCode === null) await killHard(service);
  });

  test('loses nothing: the next message continues where the customer was', async () => {
    // Agents on duty around the clock, so that the test does not depend on the hour it runs at.
    const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: uniquePrefix(), SERVICE_HOURS: '00:00-24:00 1-7' };
    service = await startServiceProcess(env);
    const client = new WebClient(service.url);
    expect((await client.start()).status).toBe(201);
    // The customer switched the conversation to English and asked what the bot can do.
    expect(textsOf((await client.say('Hello, I have a question', 'm1')).body.activities)).toMatch(/Hello/);
    expect((await client.say('help please', 'm2')).status).toBe(200);
    const before = await client.history();

    await killHard(service);
    service = await startServiceProcess(env);
    const again = new WebClient(service.url);
    again.conversationId = client.conversationId;
    again.token = client.token;

    // The same token still works and the record is whole.
    expect(await again.history()).toEqual(before);
    // A retried message from before the crash gets its first answer, not a second turn.
    const retried = await again.say('help please', 'm2');
    expect(retried.status).toBe(200);
    expect((await again.history()).length).toBe(before.length);
    // "3" says nothing about language: the answer is in English, from the menu the customer was at
    // (item 3 is the warranty check, which asks for the serial number).
    const next = await again.say('3', 'm3');
    expect(textsOf(next.body.activities)).toContain('serial number');
    expect(textsOf(next.body.activities)).not.toMatch(/\p{Script=Han}/u);
    // Asking for a person puts the customer in line; the bot then only answers questions about it.
    expect(textsOf((await again.say('agent', 'm4')).body.activities)).toMatch(/putting you through to an agent/);
    expect(textsOf((await again.say('how long is the wait?', 'm5')).body.activities)).toMatch(/still in line/);
    expect(textsOf((await again.say('what about my warranty?', 'm6')).body.activities)).toBe('');
  });
});
