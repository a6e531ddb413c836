import { ConversationState, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { productScopeOf } from '../../app/app';
import { CustomerServiceBot } from '../../bot/customerServiceBot';
import { HandoffDesk } from '../../desk/handoffDesk';
import { RedisStorage } from '../../bot/redisStorage';
import { Catalogue } from '../../desk/catalogue';
import { CallbackRequests } from '../../desk/callbacks';
import { ConversationFactsStore } from '../../desk/conversationFacts';
import { FlowDraftStore } from '../../desk/flowDrafts';
import { HandoffQueue } from '../../desk/handoff';
import { HandoffEvents } from '../../desk/handoffEvents';
import { RatingStore } from '../../desk/ratings';
import { TranscriptStore } from '../../desk/transcripts';
import { parseWorkingHours } from '../../desk/workingHours';
import { askWithChoices } from '../../dialogs/choices';
import { FAULT_REPORT_DIALOG } from '../../dialogs/faultReportDialog';
import { FAQ_DIALOG } from '../../dialogs/faqDialog';
import { localeOf } from '../../dialogs/locale';
import { MainDialog } from '../../dialogs/mainDialog';
import { RatingDialog } from '../../dialogs/ratingDialog';
import { loadManual } from '../../knowledge/manual';
import { buttonsOf, converseThrough, textOf } from '../helpers/dialogHarness';
import { testRedis } from '../helpers/redis';

const ZH_MENU = ['报修', '故障排查', '保修查询', '预约', '工单进度', '评价', '投诉', '转人工'];

interface ReportState {
  serial?: string;
  symptom?: string;
  serviceMode?: string;
  asking?: 'serial' | 'symptom' | 'serviceMode' | 'confirm';
}

/**
 * A 报修 with the real one's id and the shape of its state (facts in the loop's options, one
 * question per turn, buttons on some), so the main dialog's handling is tested on its own.
 */
class StandInReport extends ComponentDialog {
  constructor() {
    super(FAULT_REPORT_DIALOG);
    this.addDialog(new TextPrompt('reportAnswer'));
    this.addDialog(new WaterfallDialog('reportLoop', [this.ask.bind(this), this.take.bind(this)]));
    this.initialDialogId = 'reportLoop';
  }

  override async beginDialog(outerDc: Parameters<ComponentDialog['beginDialog']>[0]): Promise<DialogTurnResult> {
    return super.beginDialog(outerDc, {} satisfies ReportState);
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ReportState;
    const en = localeOf(step.context) === 'en';
    state.asking = !state.serial ? 'serial' : !state.symptom ? 'symptom' : !state.serviceMode ? 'serviceMode' : 'confirm';
    const prompt = {
      serial: en ? 'Please send the serial number.' : '请提供序列号。',
      symptom: en ? 'Please describe the problem.' : '请描述一下故障。',
      serviceMode: askWithChoices(
        en ? 'How would you like it serviced?' : '请选择服务方式：',
        en ? ['Carry-in', 'Mail-in'] : ['送修', '寄修'],
      ),
      confirm: askWithChoices(
        en ? 'Please check and submit.' : `请核对：序列号 ${state.serial}，故障 ${state.symptom}，${state.serviceMode}。`,
        en ? ['Submit', 'Change'] : ['确认提交', '修改'],
      ),
    }[state.asking];
    return step.prompt('reportAnswer', { prompt });
  }

  private async take(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ReportState;
    const answer = String(step.result ?? '').trim();
    if (state.asking === 'confirm') {
      await step.context.sendActivity(`已提交：序列号 ${state.serial}，故障 ${state.symptom}。`);
      return step.endDialog({ ticketId: 'S261122-0001' });
    }
    if (state.asking) state[state.asking] = answer;
    return step.replaceDialog('reportLoop', state);
  }
}

/** An FAQ that always knows: the main dialog's part is to send the question there and come back. */
class StandInFaq extends ComponentDialog {
  constructor() {
    super(FAQ_DIALOG);
  }

  override async beginDialog(
    outerDc: Parameters<ComponentDialog['beginDialog']>[0],
    options?: { utterance?: string },
  ): Promise<DialogTurnResult> {
    await outerDc.context.sendActivity(`【说明书】${options?.utterance ?? ''}：整机保修一年。`);
    return outerDc.endDialog({ answered: true });
  }
}

describe('MainDialog: leaving, switching and coming back', () => {
  let redis: Redis;
  let subscriber: Redis;
  let queue: HandoffQueue;
  let drafts: FlowDraftStore;
  let adapter: TestAdapter;
  const manual = loadManual();
  const scope = productScopeOf(Catalogue.default(), manual.notOurs ?? [], manual.otherBrands ?? []);

  beforeEach(() => {
    redis = testRedis();
    subscriber = testRedis();
    queue = new HandoffQueue(redis);
    drafts = new FlowDraftStore(redis);
    const people = new HandoffDesk({
      queue,
      facts: new ConversationFactsStore(redis),
      transcripts: new TranscriptStore(redis),
      events: new HandoffEvents(redis, subscriber, `${Math.random()}:events`),
      ratings: new RatingStore(redis),
      callbacks: new CallbackRequests(redis),
      serviceHours: parseWorkingHours('00:00-24:00 1-7'),
      logger: pino({ level: 'silent' }),
    });
    const main = new MainDialog({
      people,
      drafts,
      foreignProductIn: (text) => scope.foreignIn(text),
      answerable: async (text) => /保修/.test(text),
      flows: { fault_report: new StandInReport(), faq: new StandInFaq(), rating: new RatingDialog(people) },
    });
    const bot = new CustomerServiceBot(new ConversationState(new RedisStorage(redis)), main);
    adapter = new TestAdapter((context: TurnContext) => bot.run(context));
  });
  afterEach(async () => {
    await subscriber.quit();
    await redis.quit();
  });

  const converse = (...messages: string[]) => converseThrough(adapter, messages);
  const conversationId = () => adapter.conversation.conversation.id;
  const lastButtons = (turn: Partial<Activity>[]) => buttonsOf(turn[turn.length - 1]);

  test.each(['算了', '先这样', '取消吧', '不办了', '以后再说'])(
    '"%s" mid-报修 leaves it politely, says what was kept, and shows the menu',
    async (leave) => {
      const [, , left] = await converse('我要报修', 'PH26P7014547', leave);
      expect(textOf(left)).toContain('报修先取消了');
      expect(textOf(left)).toContain('序列号');
      expect(textOf(left)).toContain('24 小时');
      expect(lastButtons(left)).toEqual(ZH_MENU);
      expect((await drafts.get(conversationId()))?.facts).toEqual(['serial']);
    },
  );

  test('leaving before anything was given keeps nothing, and says only that the flow stopped', async () => {
    const [, left] = await converse('我要报修', '算了');
    expect(textOf(left)).toContain('报修已取消');
    expect(textOf(left)).not.toContain('保留');
    expect(await drafts.get(conversationId())).toBeUndefined();
  });

  test('coming back to 报修: the draft is offered back; 继续 asks the next question, with the facts kept', async () => {
    await converse('我要报修', 'PH26P7014547', '屏幕不亮', '算了', '查下保修的事先不管了');
    const [offer] = await converse('报修');
    expect(textOf(offer)).toContain('上次的报修还没提交，要继续吗？');
    expect(lastButtons(offer)).toEqual(['继续', '重新开始']);
    const [resumed] = await converse('继续');
    expect(textOf(resumed)).toContain('接着办报修');
    expect(textOf(resumed)).toContain('服务方式');
    expect(textOf(resumed)).not.toContain('序列号');
    const [, summary] = await converse('送修', '确认提交');
    expect(textOf(summary)).toContain('已提交：序列号 PH26P7014547，故障 屏幕不亮');
    // Done: nothing is offered back any more.
    expect(await drafts.get(conversationId())).toBeUndefined();
    const [fresh] = await converse('报修');
    expect(textOf(fresh)).toContain('请提供序列号');
  });

  test('重新开始 at the offer (a button that is also the menu command) starts the 报修 afresh and drops the draft', async () => {
    await converse('我要报修', 'PH26P7014547', '算了');
    await converse('报修');
    const [restarted] = await converse('重新开始');
    expect(textOf(restarted)).toContain('重新开始');
    expect(textOf(restarted)).toContain('请提供序列号');
    expect(await drafts.get(conversationId())).toBeUndefined();
  });

  test('a short rating request mid-报修 starts the rating, then the 报修 is offered back where it was', async () => {
    const [, , rating] = await converse('我要报修', 'PH26P7014547', '给个评价');
    expect(textOf(rating)).toContain('打分');
    expect(textOf(rating)).not.toContain('故障');
    const [scored] = await converse('5');
    expect(textOf(scored)).toContain('刚才的报修还没办完，要继续吗？');
    expect(lastButtons(scored)).toEqual(['继续', '不用了']);
    const [back] = await converse('继续');
    expect(textOf(back)).toContain('请描述一下故障');
  });

  test('a question mid-报修 is answered, and 报修 is offered back; 不用了 (a button) keeps the draft and shows the menu', async () => {
    const [, , answered] = await converse('我要报修', 'PH26P7014547', '手机保修多久？');
    expect(textOf(answered)).toContain('【说明书】手机保修多久？');
    expect(textOf(answered)).toContain('刚才的报修还没办完，要继续吗？');
    const [declined] = await converse('不用了');
    expect(textOf(declined)).toContain('已填写的信息为您保留 24 小时');
    expect(lastButtons(declined)).toEqual(ZH_MENU);
    expect(await drafts.get(conversationId())).toBeDefined();
  });

  test('an answer to the question on screen is not an interruption: a symptom, a button, a serial', async () => {
    const [, , symptom, mode] = await converse('我要报修', 'PH26P7014547', '充不进电了怎么办', '寄修');
    expect(textOf(symptom)).toContain('请选择服务方式');
    expect(textOf(mode)).toContain('请核对：序列号 PH26P7014547，故障 充不进电了怎么办，寄修');
  });

  test('不报修了，我要投诉: the customer changed their mind, is told so, and goes to a person for the complaint', async () => {
    const [, , switched] = await converse('我要报修', 'PH26P7014547', '不报修了，我要投诉');
    expect(textOf(switched)).toContain('报修先不办了');
    expect(textOf(switched)).toContain('投诉');
    expect(textOf(switched)).not.toContain('要继续吗');
    expect(await queue.get(conversationId())).toMatchObject({ state: 'waiting', reason: 'complaint' });
  });

  test('a product that is not ours is said so at once, with a way on; also in the middle of a 报修', async () => {
    const [first] = await converse('洗衣机坏了');
    expect(textOf(first)).toContain('我们不生产洗衣机');
    expect(textOf(first)).toContain('官方售后');
    expect(lastButtons(first)).toEqual(ZH_MENU);
    const [, brand] = await converse('报修', '是华为手机');
    expect(textOf(brand)).toContain('华为手机不是我们生产的产品');
    expect(textOf(brand)).toContain('联系华为的官方售后');
    expect(lastButtons(brand)).toEqual(ZH_MENU);
  });

  test("once the 报修 knows the product, another maker's device is only a comparison", async () => {
    const [, , symptom] = await converse('我要报修', 'PH26P7014547', '跟我的华为手机一样充不进电');
    expect(textOf(symptom)).toContain('请选择服务方式');
  });

  test('不用了谢谢 at the menu is a goodbye without another menu; 取消 there still says there is nothing to cancel', async () => {
    const [, bye] = await converse('你好', '不用了谢谢');
    expect(textOf(bye)).toContain('感谢您的咨询');
    expect(lastButtons(bye)).toEqual([]);
    const [nothing] = await converse('取消');
    expect(textOf(nothing)).toContain('没有进行中的操作');
  });

  test('"X30 Ultra" in a Chinese conversation keeps it Chinese', async () => {
    const [, model] = await converse('我要报修', 'X30 Ultra');
    expect(textOf(model)).toContain('请描述一下故障');
  });

  test('"ok" and a number keep an English conversation English', async () => {
    const turns = await converse('I want to report a fault', 'ok', '13800138000');
    expect(textOf(turns[1])).toContain('Please describe the problem.');
    expect(textOf(turns[2])).toContain('How would you like it serviced?');
    for (const turn of turns) expect(textOf(turn)).not.toMatch(/\p{Script=Han}/u);
  });

  test('English: never mind leaves the flow in English, saying what was kept', async () => {
    const [, , left] = await converse('I want to report a fault', 'PH26P7014547', 'never mind');
    expect(textOf(left)).toContain('paused "Report a fault"');
    expect(textOf(left)).toContain('serial number');
    expect(textOf(left)).not.toMatch(/\p{Script=Han}/u);
  });
});
