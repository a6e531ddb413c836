import restify, { type Request, type Response, type Server } from 'restify';
import { z } from 'zod';
import { refuse } from '../common/httpErrors';
import type { Logger } from '../common/logger';
import { AccountError, CONSOLE_ROLES, type ConsoleRole } from './accounts';
import type { ConsoleAuth } from './auth';
import type { ConsoleSession } from './sessions';
import { describeZodError } from '../common/zodIssues';

export const newUserBody = z.object({
  username: z.string().trim(),
  displayName: z.string().trim().max(32).optional(),
  role: z.enum(CONSOLE_ROLES as unknown as [ConsoleRole, ...ConsoleRole[]]),
  password: z.string(),
});

/** Admins manage console accounts here too (the CLI does the same): list and add. */
export class ConsoleUserRoutes {
  constructor(
    private readonly auth: ConsoleAuth,
    private readonly logger: Logger,
  ) {}

  register(server: Server): void {
    const body = restify.plugins.bodyParser({ maxBodySize: 8 * 1024, mapParams: false, rejectUnknown: true });
    server.get(
      '/api/console/users',
      this.auth.guard(['admin'], (_req, res) => this.list(res)),
    );
    server.post(
      '/api/console/users',
      body,
      this.auth.guard(['admin'], (req, res, session) => this.create(req, res, session)),
    );
  }

  private async list(res: Response): Promise<void> {
    res.send(200, { users: await this.auth.accounts.list() });
  }

  private async create(req: Request, res: Response, session: ConsoleSession): Promise<void> {
    const parsed = newUserBody.safeParse(req.body);
    if (!parsed.success) return refuse(res, 400, 'InvalidBody', describeZodError(parsed.error));
    try {
      const user = await this.auth.accounts.create(parsed.data);
      this.logger.info(
        { event: 'console.userCreated', by: session.user.username, username: user.username, role: user.role },
        'console account created',
      );
      res.send(201, { user });
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'exists') return refuse(res, 409, 'UserExists', `用户名 ${parsed.data.username} 已存在`);
      refuse(res, 400, 'InvalidBody', error.message);
    }
  }
}
