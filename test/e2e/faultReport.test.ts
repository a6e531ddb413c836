import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';

describe('报修 over the web channel, from the first message to a ticket', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({}, { now: SAMPLE_DATA_NOW });
  });
  afterAll(async () => {
    await running.stop();
  });

  const chat = (client: WebClient, text: string) => client.chat(text);

  test('in warranty by serial: every answer checked, a correction, a summary, a ticket that can be looked up', async () => {
    const client = await WebClient.open(running.url);
    expect(await chat(client, '我要报修')).toContain('序列号');
    expect(await chat(client, 'PH99X0000000')).toMatch(/没有查到序列号|没能识别/);
    // The registry knows the unit: model and purchase date are not asked.
    const afterSerial = await chat(client, '序列号是 PH26P7014547');
    expect(afterSerial).toContain('故障');
    expect(await chat(client, '充不进电，前天开始的')).toContain('摔');
    expect(await chat(client, '都没有')).toContain('服务方式');
    expect(await chat(client, '送修')).toContain('称呼');
    expect(await chat(client, '我叫王小明')).toContain('电话');
    expect(await chat(client, '12345')).toContain('11位');
    const summary = await chat(client, '13800138000');
    expect(summary).toContain('请核对');
    expect(summary).toContain('星耀');
    expect(summary).toContain('138****8000');
    expect(summary).toContain('免费保修');
    // 电话写错了: the phone is asked again, then the summary comes back with the new one.
    expect(await chat(client, '电话写错了')).toContain('电话');
    const fixed = await chat(client, '13900139000');
    expect(fixed).toContain('139****9000');
    const done = await chat(client, '确认提交');
    const ticketId = /工单号 (S\d{6}-\d{4,})/.exec(done)?.[1];
    expect(ticketId).toBeDefined();
    expect(done).toContain('免费保修');
    const ticket = await running.app.tickets.get(ticketId ?? '');
    expect(ticket).toMatchObject({
      customer: { name: '王小明', phone: '13900139000' },
      product: { modelId: 'X20 Pro', serial: 'PH26P7014547' },
      serviceMode: 'carryIn',
      warranty: { serviceKind: 'free' },
      fault: { liquid: false, physicalDamage: false, disassembled: false },
    });
    expect(ticket?.fault.symptom).toContain('充不进电');

    // Looked up afterwards: the wrong phone digits reveal nothing, the right ones show the status.
    expect(await chat(client, '查询工单进度')).toContain('工单号');
    expect(await chat(client, ticketId ?? '')).toContain('后四位');
    expect(await chat(client, '0000')).toContain('对不上');
    await chat(client, `工单进度 ${ticketId}`);
    const status = await chat(client, '9000');
    expect(status).toContain(ticketId);
    expect(status).toContain('已受理');
  });

  test('facts given in one go are not asked again', async () => {
    const client = await WebClient.open(running.url);
    expect(await chat(client, '报修')).toContain('序列号');
    // Serial, symptom and phone in one answer: next comes the damage question, then no phone question.
    expect(await chat(client, '我的手机充不进电了，序列号PH26P7014547，电话13812345678')).toMatch(/摔/);
    expect(await chat(client, '没有')).toContain('服务方式');
    expect(await chat(client, '寄修')).toContain('收件地址');
    expect(await chat(client, '北京市海淀区中关村大街1号')).toContain('称呼');
    const summary = await chat(client, '张三');
    expect(summary).toContain('请核对');
    expect(summary).toContain('138****5678');
    expect(summary).toContain('充不进电');
    // The product words of that answer are not part of the symptom.
    expect(summary).not.toMatch(/故障：.*(手机|PH26P7014547)/);
  });

  test('an English customer gets the questions and the summary in English', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('Hello');
    expect(await client.chat('I want to report a fault')).toMatch(/serial number/);
    expect(await client.chat('PH23R0294755')).toMatch(/describe the problem/);
    expect(await client.chat("The screen doesn't turn on")).toMatch(/dropped or crushed/);
    expect(await client.chat('None of these')).toMatch(/chargeable/);
    expect(await client.chat('Agree')).toMatch(/How would you like/);
    expect(await client.chat('Mail-in')).toMatch(/return address/);
    expect(await client.chat('88 Century Avenue, Pudong, Shanghai')).toMatch(/your name/);
    expect(await client.chat('Li Lei')).toMatch(/mobile number/);
    const summary = await client.chat('13512345678');
    expect(summary).toMatch(/Service: Mail-in/);
    expect(summary).toMatch(/Fees: ¥\d+–\d+/);
    expect(summary).toMatch(/Phone: 135\*\*\*\*5678/);
    expect(summary).not.toMatch(/[：（）]/);
  });

  test('out of warranty: the fee is stated and consent asked before anything is created', async () => {
    const client = await WebClient.open(running.url);
    const before = (await running.app.tickets.byPhone('13700137000')).length;
    // 屏幕碎了 was said: the damage question is not asked (it used to be, and the answer was taken over the words).
    const consent = await chat(client, '我的手机坏了，序列号PH23R0294755，屏幕碎了');
    expect(consent).not.toContain('有没有摔过');
    expect(consent).toContain('很可能需要收费');
    expect(consent).toMatch(/换屏：\d+–\d+元/);
    expect(consent).toContain('同意');
    expect(await chat(client, '不同意')).toContain('不会为您创建');
    expect((await running.app.tickets.byPhone('13700137000')).length).toBe(before);
  });

  test('by model and a purchase date in everyday words; on-site only where the product allows it', async () => {
    const client = await WebClient.open(running.url);
    await chat(client, '报修');
    expect(await chat(client, '电视')).toContain('哪一款');
    expect(await chat(client, 'V55')).toContain('什么时候购买');
    expect(await chat(client, '2027年1月1日')).toContain('不能晚于今天');
    expect(await chat(client, '今年618')).toContain('购买凭证');
    expect(await chat(client, '有发票')).toContain('故障');
    await chat(client, '没有图像，有声音');
    const modes = await client.say('没有');
    const buttons = modes.body.activities?.at(-1)?.suggestedActions?.actions.map((a) => a.title);
    expect(buttons).toEqual(['上门维修', '送修到服务网点']);
    expect(await chat(client, '上门')).toContain('市区还是郊区');
    expect(await chat(client, '郊区')).toContain('地址');
    await chat(client, '上海市松江区九亭镇某某路88号3栋201');
    await chat(client, '李女士');
    const summary = await chat(client, '13600136000');
    expect(summary).toContain('上门维修（郊区）');
    const done = await chat(client, '确认');
    expect(done).toMatch(/工程师会在 \d+月\d+日 \d\d:\d\d 前上门/);
  });
});
