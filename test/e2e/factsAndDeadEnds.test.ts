import type { Activity } from 'botbuilder';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient, textsOf } from '../helpers/webClient';

/**
 * Customers as they are: not knowing the serial, saying everything in the first message, asking what
 * a screen costs, or asking about a product we do not make. Every story ends somewhere useful, and no
 * question is put the same way more than twice.
 */
describe('报修 and 保修查询 that never trap a customer (web)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({}, { now: SAMPLE_DATA_NOW });
  });
  afterAll(async () => {
    await running.stop();
  });

  /** A customer who keeps every reply, to check afterwards that nothing was asked three times alike. */
  class Customer {
    readonly said: Partial<Activity>[] = [];
    constructor(readonly client: WebClient) {}
    static async open(): Promise<Customer> {
      return new Customer(await WebClient.open(running.url));
    }
    async turn(text: string): Promise<{ text: string; buttons: string[] }> {
      const reply = await this.client.say(text);
      if (reply.status !== 200) throw new Error(`"${text}" got HTTP ${reply.status}`);
      const activities = reply.body.activities ?? [];
      this.said.push(...activities);
      return { text: textsOf(activities), buttons: activities.at(-1)?.suggestedActions?.actions.map((action) => action.title ?? '') ?? [] };
    }
    async chat(text: string): Promise<string> {
      return (await this.turn(text)).text;
    }
    /** The most times one and the same bot message was sent. */
    mostRepeated(): number {
      const counts = new Map<string, number>();
      for (const activity of this.said) if (activity.text) counts.set(activity.text, (counts.get(activity.text) ?? 0) + 1);
      return Math.max(0, ...[...counts.entries()].filter(([text]) => !text.startsWith('还有什么可以帮您')).map(([, n]) => n));
    }
  }

  test('a customer who does not know the serial picks the model from buttons and gets a ticket, pending proof of purchase', async () => {
    const customer = await Customer.open();
    const ask = await customer.turn('我要报修');
    expect(ask.text).toContain('序列号');
    expect(ask.buttons).toContain('不知道序列号');
    // 不知道 is an answer: the family as buttons.
    const family = await customer.turn('不知道');
    expect(family.text).toContain('什么产品');
    expect(family.buttons).toEqual(expect.arrayContaining(['手机', '耳机', '电视']));
    // Text that promises buttons comes with them, and says where the serial is printed.
    const models = await customer.turn('手机');
    expect(models.text).toContain('点下面的型号');
    expect(models.text).toMatch(/序列号一般在：\n· .+\n· .+/);
    expect(models.buttons).toEqual(expect.arrayContaining(['星耀 X20 Pro', '不知道型号']));
    const date = await customer.turn('星耀 X20 Pro');
    expect(date.text).toContain('什么时候购买');
    // No date either: the order number or the invoice, or go on.
    const lookup = await customer.turn('不记得了');
    expect(lookup.text).toContain('订单号');
    expect(lookup.buttons).toContain('没有，先继续');
    expect(await customer.chat('没有，先继续')).toContain('待凭购机凭证核实');
    await customer.chat('充不进电了');
    await customer.chat('都没有');
    await customer.chat('送修到服务网点');
    await customer.chat('李雷');
    const summary = await customer.chat('13800138000');
    expect(summary).toContain('产品：星耀 X20 Pro');
    expect(summary).toContain('待凭购机凭证核实');
    const done = await customer.chat('确认提交');
    const ticketId = /工单号 (S\d{6}-\d{4,})/.exec(done)?.[1] ?? '';
    const ticket = await running.app.tickets.get(ticketId);
    expect(ticket).toMatchObject({
      product: { modelId: 'X20 Pro', category: 'phone' },
      warranty: { pendingProof: true },
      fault: { symptom: '充不进电了', physicalDamage: false },
      customer: { name: '李雷', phone: '13800138000' },
    });
    expect(ticket?.product.serial).toBeUndefined();
    expect(customer.mostRepeated()).toBeLessThanOrEqual(2);
  });

  test('a question is asked twice the same way at most: the second time with other ways, the third time another way', async () => {
    const customer = await Customer.open();
    await customer.turn('我要报修');
    const second = await customer.turn('abc');
    expect(second.text).toContain('序列号');
    expect(second.buttons).toEqual(['不知道序列号', '换个方式', '转人工']);
    const third = await customer.turn('嗯');
    expect(third.text).toContain('什么产品');
    expect(third.text).not.toMatch(/再发一次序列号/);
    expect(third.buttons).toContain('手机');
    // The family question too: again with 转人工, then put otherwise, then the flow ends towards a person.
    expect((await customer.turn('嗯')).buttons).toContain('转人工');
    expect(await customer.chat('嗯')).toContain('换个问法');
    // No fourth time: the flow ends, pointing to a person on the menu that follows.
    const stuck = await customer.chat('嗯');
    expect(stuck).toContain('没能帮上忙');
    expect(stuck).toContain('还有什么可以帮您');
    expect(customer.mostRepeated()).toBeLessThanOrEqual(2);
  });

  test('everything in one message: model, drop, symptom and phone are not asked again; why it is paid comes first', async () => {
    const customer = await Customer.open();
    const first = await customer.chat('我的X20 Pro摔了一下屏幕碎了，电话13800138000');
    expect(first.startsWith('您提到设备摔过')).toBe(true);
    expect(first).toMatch(/人为损坏/);
    expect(first).toMatch(/换屏：399–1299元/);
    expect(first).toContain('工程师检测');
    // The fee list comes before the next question, which is not about the model, the damage or the phone.
    expect(first.indexOf('换屏')).toBeLessThan(first.indexOf('什么时候购买'));
    expect(first).not.toMatch(/序列号|型号|有没有摔过|联系电话/);
    const consent = await customer.chat('去年双十一');
    expect(consent).toContain('同意');
    expect(consent).not.toMatch(/有没有摔过|购买凭证/);
    expect(await customer.chat('同意')).toContain('服务方式');
    expect(await customer.chat('送修')).toContain('称呼');
    // No phone question: the summary follows the name.
    const summary = await customer.chat('王先生');
    expect(summary).toContain('请核对');
    expect(summary).toContain('138****8000');
    expect(summary).toContain('费用：399–1299元');
    const done = await customer.chat('确认提交');
    const ticket = await running.app.tickets.get(/工单号 (S\d{6}-\d{4,})/.exec(done)?.[1] ?? '');
    expect(ticket).toMatchObject({
      product: { modelId: 'X20 Pro' },
      customer: { phone: '13800138000', name: '王先生' },
      warranty: { status: 'voided', serviceKind: 'paid' },
      fault: { physicalDamage: true, liquid: false },
      feeEstimate: { minYuan: 399, maxYuan: 1299 },
      consent: { fee: true },
    });
    // The customer's words, not the chatter around them.
    expect(ticket?.fault.symptom).toContain('屏幕碎了');
    expect(ticket?.fault.symptom).not.toMatch(/我的|X20|电话|138/);
  });

  test('what was said in another flow is confirmed, not asked again', async () => {
    const customer = await Customer.open();
    await customer.chat('保修查询');
    await customer.chat('X20 Pro');
    expect(await customer.chat('上个月买的')).toContain('免费维修');
    const confirm = await customer.turn('报修');
    expect(confirm.text).toContain('是星耀 X20 Pro吗');
    expect(confirm.buttons).toEqual(['是', '不是']);
    // Yes: neither the model nor the purchase date is asked.
    const next = await customer.chat('是');
    expect(next).not.toMatch(/型号|序列号|什么时候购买/);
  });

  test('a denial is no damage: 没摔过也没进水 answers the damage question', async () => {
    const customer = await Customer.open();
    await customer.chat('我要报修');
    await customer.chat('PH26P7014547');
    expect(await customer.chat('屏幕有条纹')).toContain('摔');
    expect(await customer.chat('没摔过也没进水，也没拆过')).toContain('服务方式');
  });

  test('a fee question gets the catalogue’s range, for the product the customer has when known', async () => {
    const customer = await Customer.open();
    const any = await customer.chat('换个屏幕多少钱');
    expect(any).toContain('手机换屏：399–1299元');
    expect(any).toContain('电视更换屏幕面板：1200–5800元');
    expect(any).toContain('参考范围');
    expect(any).toContain('免费');
    expect(any).not.toContain('不太确定');

    const known = await Customer.open();
    await known.chat('我的手机是星耀 X20 Pro');
    const fee = await known.chat('电池换一个多少');
    expect(fee).toContain('星耀 X20 Pro的维修参考价');
    expect(fee).toContain('换电池：129–249元');
    expect(fee).not.toContain('换屏');

    const unknown = await Customer.open();
    const which = await unknown.turn('修一下要多少钱');
    expect(which.buttons).toEqual(expect.arrayContaining(['手机', '路由器']));
    expect(await unknown.chat('路由器')).toMatch(/路由器的维修参考价：\n· 更换电源适配器：39–89元/);

    const english = await Customer.open();
    await english.chat('Hello');
    const en = await english.chat('how much to replace the screen');
    expect(en).toContain('Mobile phone screen replacement: ¥399–1299');
    expect(en).toMatch(/free/);
  });

  test('a product we do not make: said kindly, and the menu with a person on it', async () => {
    const customer = await Customer.open();
    const reply = await customer.client.say('洗衣机坏了要报修');
    const text = textsOf(reply.body.activities);
    // The main dialog says it before 报修 starts; the 报修's own check words it slightly differently.
    expect(text).toMatch(/不生产洗衣机|洗衣机不是我们的产品/);
    expect(text).not.toContain('序列号');
    expect(reply.body.activities?.at(-1)?.suggestedActions?.actions.map((action) => action.title)).toContain('转人工');

    const later = await Customer.open();
    await later.chat('我要报修');
    expect(await later.chat('洗衣机')).toMatch(/不生产洗衣机|洗衣机不是我们的产品/);
  });

  test('questions the manual answers are not taken for a fault report', async () => {
    for (const question of ['买了5天的耳机有杂音能退吗', '维修大概要几天']) {
      const customer = await Customer.open();
      expect(await customer.chat(question)).not.toContain('序列号');
    }
  });

  test('保修查询 without serial or date: the family’s models, then its terms', async () => {
    const customer = await Customer.open();
    await customer.chat('保修查询');
    expect((await customer.turn('不知道')).buttons).toContain('耳机');
    const models = await customer.turn('耳机');
    expect(models.buttons).toEqual(expect.arrayContaining(['声动 Buds 3', '不知道型号']));
    expect(await customer.chat('不知道型号')).toContain('什么时候购买');
    expect((await customer.turn('不记得了')).buttons).toContain('没有，先继续');
    const terms = await customer.chat('没有，先继续');
    expect(terms).toContain('耳机的保修条款');
    expect(terms).toContain('整机保修12个月');
  });
});
