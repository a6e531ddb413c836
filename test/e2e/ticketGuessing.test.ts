import { ConsoleAccounts } from '../../console/accounts';
import type { Ticket } from '../../desk/model';
import { sampleTicketDraft } from '../helpers/ticketDrafts';
import { ConsoleClient } from '../helpers/consoleClient';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';

/**
 * 工单进度 cannot be used to read someone else's ticket by guessing the last four digits of its phone:
 * conversations cost nothing, so the limit is on the ticket, whoever asks and from wherever.
 */

const AGENT = { username: 'agent1', password: 'agent-pass-123', displayName: '客服小李' };

const draft = sampleTicketDraft;

/** A new web conversation that has asked for a ticket and been asked for its phone's last four digits. */
async function askingFor(baseUrl: string, ticketId: string, opening?: string): Promise<WebClient> {
  const client = await WebClient.open(baseUrl);
  if (opening) await client.chat(opening);
  const question = await client.chat(opening ? `ticket status ${ticketId}` : `工单进度 ${ticketId}`);
  if (!/后四位|last four digits/.test(question)) throw new Error(`not asked for the phone digits: ${question}`);
  return client;
}

const statusLineOf = (ticket: Ticket): RegExp => new RegExp(`(工单|Ticket) ${ticket.id}[：:]`);

describe('工单进度 guessing over the web channel', () => {
  let running: RunningApp;
  let agent: ConsoleClient;
  beforeAll(async () => {
    running = await startTestApp({}, { now: SAMPLE_DATA_NOW });
    await new ConsoleAccounts(running.app.redis).create({ ...AGENT, role: 'agent' });
    agent = await ConsoleClient.login(running.url, AGENT.username, AGENT.password);
  });
  afterAll(async () => {
    await running.stop();
  });

  test('the whole phone number at the digits prompt is checked whole: right shows the ticket, a number ending alike does not', async () => {
    const ticket = await running.app.tickets.create(draft('13612348888'), 'test');
    expect(await (await askingFor(running.url, ticket.id)).chat('13612348888')).toMatch(statusLineOf(ticket));
    const alike = await (await askingFor(running.url, ticket.id)).chat('我的手机是13700008888');
    expect(alike).toContain('对不上');
    expect(alike).not.toMatch(statusLineOf(ticket));
  });

  test('three wrong tries from three conversations pause the ticket for everyone; agents see it; other tickets still work', async () => {
    const target = await running.app.tickets.create(draft('13812345678'), 'test');
    const other = await running.app.tickets.create(draft('13900001111'), 'test');

    const answers: string[] = [];
    for (const guess of ['1111', '2222', '3333']) answers.push(await (await askingFor(running.url, target.id)).chat(guess));
    expect(answers[0]).toContain('对不上');
    expect(answers[1]).toContain('对不上');
    expect(answers[2]).toContain('对不上');
    expect(answers[2]).toMatch(/暂停 15 分钟/);
    expect(answers[2]).toContain('转人工');

    // The right digits, from yet another conversation: refused while the pause lasts, with the way to a person.
    const owner = await (await askingFor(running.url, target.id)).chat('5678');
    expect(owner).not.toMatch(statusLineOf(target));
    expect(owner).toContain('自助查询已暂停');
    expect(owner).toMatch(/\d+ 分钟后再试/);
    expect(owner).toContain('转人工');

    // An English customer is told in English.
    const english = await (await askingFor(running.url, target.id, 'Hello')).chat('5678');
    expect(english).toMatch(/paused/i);
    expect(english).toMatch(/"agent"/);
    expect(english).not.toMatch(/\p{Script=Han}{4}/u);

    // Agents see the pause, with the ticket's phone masked.
    const reply = await agent.request('GET', '/security-events');
    expect(reply.status).toBe(200);
    const events = reply.body.events as Array<Record<string, unknown>>;
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'ticketLookupLocked',
          label: '工单查询已暂停',
          subject: target.id,
          maskedPhone: '138****5678',
          failures: 3,
        }),
      ]),
    );
    const listed = events.find((event) => event.subject === target.id);
    expect(String(listed?.text)).toContain(target.id);
    expect(String(listed?.text)).toContain('网页');
    expect(JSON.stringify(reply.body)).not.toContain('13812345678');

    // Another ticket from a fresh conversation; its number typed where the digits were asked switches to it.
    const fresh = await askingFor(running.url, target.id);
    const switched = await fresh.chat(other.id);
    expect(switched).toContain('后四位');
    expect(switched).not.toContain('请发4位数字');
    expect(await fresh.chat('1111')).toMatch(statusLineOf(other));
  });

  test('wrong tries sent at once from many conversations still get only three checks', async () => {
    const target = await running.app.tickets.create(draft('13712340000'), 'test');
    const clients = await Promise.all(Array.from({ length: 10 }, () => askingFor(running.url, target.id)));
    const answers = await Promise.all(clients.map((client, i) => client.chat(String(1000 + i))));
    const checked = answers.filter((answer) => answer.includes('对不上'));
    expect(checked).toHaveLength(3);
    expect(answers.filter((answer) => answer.includes('自助查询已暂停'))).toHaveLength(7);
  });

  test('the security list needs a signed-in agent and refuses a bad limit', async () => {
    expect((await fetch(`${running.url}/api/console/security-events`)).status).toBe(401);
    const bad = await agent.request('GET', '/security-events?limit=abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'InvalidQuery' });
  });
});
