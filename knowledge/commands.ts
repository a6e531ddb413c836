import { normalizeUtterance } from './language';

/** What a customer can say at any point of any conversation. */
export type GlobalCommand = 'cancel' | 'help' | 'menu' | 'human';

/** Whole messages that are a command (compared after normalizeUtterance). */
const WHOLE_MESSAGE: Record<GlobalCommand, string[]> = {
  cancel: ['取消', '退出', '算了', '不要了', '不用了', '不办了', '先不弄了', '结束', 'cancel', 'quit', 'exit', 'stop', 'nevermind'],
  help: ['帮助', '帮忙', '怎么用', '能做什么', '你能做什么', '有什么功能', '不知道怎么弄', '?', 'help', 'whatcanyoudo'],
  menu: ['菜单', '主菜单', '返回菜单', '回到菜单', '返回主菜单', '重新开始', '从头开始', '重来', 'menu', 'mainmenu', 'restart', 'startover'],
  human: ['人工', '客服', '真人', '人工服务', 'human', 'agent', 'person', 'operator'],
};

/** Phrases that ask for a person wherever they stand in a sentence ("我要转人工，机器人听不懂"). */
const HUMAN_ANYWHERE = ['转人工', '人工客服', '找真人', '真人客服', '找客服', '接人工', '人工服务', 'talktoahuman', 'realperson', 'talktoaperson', 'talktoanagent', 'humanagent', 'liveagent'];

/** Polite wrapping that does not change the command ("请帮我取消吧" is still 取消). */
const FILLERS = /^(请|麻烦|帮我|我要|我想|我需要|给我|please|iwantto|iwant|idliketo)+|(吧|了|呢|啊|一下|谢谢|please|thanks)+$/gu;

function commandOfClause(clause: string): GlobalCommand | undefined {
  const bare = normalizeUtterance(clause);
  if (!bare) return undefined;
  const stripped = bare.replace(FILLERS, '') || bare;
  return (Object.keys(WHOLE_MESSAGE) as GlobalCommand[]).find(
    (command) => WHOLE_MESSAGE[command].includes(bare) || WHOLE_MESSAGE[command].includes(stripped),
  );
}

/**
 * The command a whole message is, if any. "算了，不要了" is a command because each of its clauses
 * is; "取消订单后怎么退款" is a question that merely contains one.
 */
export function recognizeCommand(text: string): GlobalCommand | undefined {
  const bare = normalizeUtterance(text);
  if (!bare) return undefined;
  const whole = commandOfClause(text);
  if (whole) return whole;
  const clauses = text.split(/[\s\p{P}]+/u).filter((clause) => normalizeUtterance(clause));
  const commands = new Set(clauses.map(commandOfClause));
  if (clauses.length > 1 && commands.size === 1) {
    const [only] = commands;
    if (only) return only;
  }
  if (HUMAN_ANYWHERE.some((phrase) => bare.includes(phrase))) return 'human';
  return undefined;
}
