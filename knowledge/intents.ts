import { normalizeUtterance } from './language';

/** The intent labels fixed by DESIGN.md §4. */
export const INTENTS = [
  'greeting',
  'faq',
  'troubleshoot',
  'fault_report',
  'warranty',
  'appointment',
  'ticket_status',
  'complaint',
  'rating',
  'human',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface IntentGuess {
  intent: Intent;
  /** 0..1; how much of the message the matched cue explains. */
  confidence: number;
  /** Why this intent: the cue that matched, for logs and for agents reading the summary. */
  reason: string;
}

/**
 * Cues per intent, strongest first. A small, explainable start: the knowledge issue replaces it
 * with a recognizer trained on the service manual's data.
 */
const CUES: ReadonlyArray<[Intent, string[]]> = [
  ['human', ['转人工', '人工客服', '找真人', '真人', '人工', 'human', 'agent', 'talk to a person']],
  ['complaint', ['投诉', '举报', '12315', '曝光', 'complain', 'complaint']],
  ['ticket_status', ['工单进度', '工单', '维修进度', '进度', '服务单', 'ticket status', 'ticket', 'repair status']],
  ['warranty', ['保修查询', '保修', '保修期', '过保', '三包', 'warranty']],
  ['appointment', ['预约', '上门', '约时间', 'book a visit', 'appointment', 'book']],
  ['rating', ['评价', '打分', '满意度', '评分', 'rate us', 'rate', 'feedback']],
  ['troubleshoot', ['故障排查', '排查', '远程指导', '自助排查', 'troubleshooting', 'troubleshoot']],
  ['fault_report', ['报修', '维修', '修理', '坏了', '送修', '寄修', 'report a fault', 'fault', 'repair', 'broken']],
  ['greeting', ['你好', '您好', '在吗', '在不在', '哈喽', '嗨', 'hello', 'hi', 'hey', 'good morning', 'good afternoon', 'good evening']],
];

export function recognizeIntent(text: string): IntentGuess {
  const bare = normalizeUtterance(text);
  if (!bare) return { intent: 'other', confidence: 0, reason: 'empty message' };
  for (const [intent, cues] of CUES) {
    for (const cue of cues) {
      const latinCue = /^[a-z0-9 ]+$/.test(cue);
      // Latin cues must be the whole message or whole words, or "hi" would match "this".
      const hit = latinCue
        ? bare === normalizeUtterance(cue) || new RegExp(`\\b${cue.replace(/ /g, '\\s+')}\\b`).test(text.toLowerCase())
        : bare.includes(cue);
      if (hit) {
        return { intent, confidence: Math.min(1, cue.length / bare.length), reason: `matched "${cue}"` };
      }
    }
  }
  return { intent: 'other', confidence: 0, reason: 'no cue matched' };
}
