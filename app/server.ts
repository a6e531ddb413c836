import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify, { type Request, type Response, type Server } from 'restify';
import { RESPONSE_SECURITY_HEADERS } from '../common/securityHeaders';
import type { Logger } from '../common/logger';
import type { Redis } from '../common/redis';
import { within } from '../common/timing';

/** What a caller learns of a failure on our side: that it happened, and what to quote to us. */
export const INTERNAL_ERROR = { code: 'InternalError', message: '抱歉，服务出了点问题 / internal error' } as const;

/** Short enough to read out on the phone, random enough to find the one log line. */
function newLogId(): string {
  return randomBytes(6).toString('hex');
}

/** The HTTP server every channel, the console and the health check share. */
export function createServer(redis: Redis, logger: Logger): Server {
  const server = restify.createServer({ name: 'aftersales-bot', handleUncaughtExceptions: false });
  server.pre((_req: Request, res: Response, next: () => void) => {
    // Pages set more (their CSP); every answer, JSON and refusals included, carries these.
    for (const [name, value] of Object.entries(RESPONSE_SECURITY_HEADERS)) res.setHeader(name, value);
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));

  server.get('/healthz', async (_req, res) => {
    const redisUp = await within(
      redis.ping().then((reply) => reply === 'PONG'),
      1000,
      false,
    );
    res.send(redisUp ? 200 : 503, {
      status: redisUp ? 'ok' : 'unavailable',
      redis: redisUp ? 'ok' : 'down',
      uptimeSeconds: Math.round(process.uptime()),
    });
  });

  // Restify would answer a thrown error with its message ("RangeError: …", "WRONGTYPE …"): what
  // went wrong inside is for our log, and the caller gets a generic answer with the log line's id.
  // Refusals (4xx) keep their reasons: those are about the request and help whoever sent it.
  server.on('restifyError', (req: Request, res: Response, error: Error & { statusCode?: number }, callback: () => void) => {
    const status = error.statusCode ?? 500;
    const fields = { method: req.method, path: req.path(), status, err: error };
    if (status < 500) {
      logger.info(fields, 'request refused');
      return callback();
    }
    const logId = newLogId();
    logger.error({ ...fields, logId }, 'request failed');
    // Sent here, restify sees the response is out and does not send its own.
    if (!res.headersSent) res.send(status, { ...INTERNAL_ERROR, logId });
    callback();
  });
  return server;
}

/**
 * The base URL to reach a server listening on `address`: the address itself, or the loopback one
 * when it listens on every address (0.0.0.0 / ::), which is no address a client can connect to.
 */
export function baseUrlOf(address: AddressInfo): string {
  const wildcard: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };
  const host = wildcard[address.address] ?? address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
