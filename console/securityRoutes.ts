import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { refuse } from '../common/httpErrors';
import type { SecurityEvent, SecurityEventKind, SecurityEvents } from '../desk/securityEvents';
import { maskPhone } from '../desk/privacy';
import { describeZodError } from '../common/zodIssues';
import type { ConsoleAuth } from './auth';

const KIND_LABELS: Record<SecurityEventKind, string> = {
  ticketLookupLocked: '工单查询已暂停',
  customerLookupLocked: '客户查询已暂停',
  consoleLoginLocked: '登录已锁定',
  consoleAddressLocked: '地址已锁定',
  consoleNameSlowed: '账号正被多处尝试',
};

const CHANNEL_NAMES: Record<string, string> = {
  web: '网页',
  wechat: '微信',
  taobao: '淘宝',
  emulator: '模拟器',
  msteams: 'Teams',
  webchat: '网页（Bot Framework）',
  directline: 'Direct Line',
};

const query = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} 小时`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} 分钟`;
  return `${seconds} 秒`;
}

/** A stored phone is masked already; one that somehow is not is masked here, since every agent sees the list. */
function safePhone(phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  return /\d{5}/.test(phone) ? maskPhone(phone.replace(/\D/g, '')) : phone;
}

function describe(event: SecurityEvent): string {
  const channel = event.channel ? `（${CHANNEL_NAMES[event.channel] ?? event.channel}）` : '';
  const wait = duration(event.lockedSeconds);
  switch (event.kind) {
    case 'ticketLookupLocked': {
      const phone = safePhone(event.maskedPhone);
      return `工单 ${event.subject} 的电话后四位已错 ${event.failures} 次${channel}，自助查询暂停 ${wait}${phone ? `；工单电话 ${phone}` : ''}`;
    }
    case 'customerLookupLocked':
      return `客户 ${event.subject}${channel} 在多张工单上共错 ${event.failures} 次，工单查询暂停 ${wait}`;
    case 'consoleLoginLocked':
      return `账号 ${event.subject} 从 ${event.maskedAddress ?? '未知地址'} 连续登录失败 ${event.failures} 次，该地址对这个账号锁定 ${wait}`;
    case 'consoleAddressLocked':
      return `地址 ${event.subject} 在多个账号上登录失败 ${event.failures} 次，锁定 ${wait}`;
    case 'consoleNameSlowed':
      return `账号 ${event.subject} 一小时内从多个地址登录失败 ${event.failures} 次，失败的地址每次需等待更久（最长 ${wait}）`;
  }
}

/** `GET /api/console/security-events`: recent locks and slow-downs, for every agent to see. */
export class ConsoleSecurityRoutes {
  constructor(private readonly deps: { auth: ConsoleAuth; events: SecurityEvents }) {}

  register(server: Server): void {
    server.get(
      '/api/console/security-events',
      this.deps.auth.guard(['agent', 'manager', 'admin'], (req, res) => this.list(req, res)),
    );
  }

  private async list(req: Request, res: Response): Promise<void> {
    res.header('Cache-Control', 'no-store');
    const parsed = query.safeParse(req.query ?? {});
    if (!parsed.success) return refuse(res, 400, 'InvalidQuery', describeZodError(parsed.error));
    const events = await this.deps.events.recent(parsed.data.limit);
    res.send(200, {
      events: events.map((event) => ({
        at: event.at,
        kind: event.kind,
        label: KIND_LABELS[event.kind],
        text: describe(event),
        subject: event.subject,
        channel: event.channel,
        maskedPhone: safePhone(event.maskedPhone),
        maskedAddress: event.maskedAddress,
        failures: event.failures,
        lockedSeconds: event.lockedSeconds,
      })),
    });
  }
}
