/**
 * The keys of the Official Account's custom menu (set in the WeChat admin page, `CLICK` buttons)
 * and what a click means: the words a customer would type for the same service.
 */
export const WECHAT_MENU_KEYS: Readonly<Record<string, string>> = {
  REPAIR: '报修',
  TROUBLESHOOT: '故障排查',
  WARRANTY: '保修查询',
  APPOINTMENT: '预约',
  TICKET_STATUS: '工单进度',
  RATING: '评价',
  COMPLAINT: '投诉',
  HUMAN: '转人工',
  MENU: '菜单',
};

/** An unknown key (a menu changed in the admin page before the code) shows the bot's menu. */
export function wordsForMenuKey(key: string | undefined): string {
  return WECHAT_MENU_KEYS[(key ?? '').trim().toUpperCase()] ?? WECHAT_MENU_KEYS.MENU;
}
