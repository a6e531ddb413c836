import restify, { type Server } from 'restify';
import type { Logger } from './logger';
import type { Redis } from './redis';
import { within } from './timing';

/** The HTTP server every channel, the console and the health check share. */
export function createServer(redis: Redis, logger: Logger): Server {
  const server = restify.createServer({ name: 'aftersales-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));

  server.get('/healthz', async (_req, res) => {
    const redisUp = await within(redis.ping().then((reply) => reply === 'PONG'), 1000, false);
    res.send(redisUp ? 200 : 503, {
      status: redisUp ? 'ok' : 'unavailable',
      redis: redisUp ? 'ok' : 'down',
      uptimeSeconds: Math.round(process.uptime()),
    });
  });

  server.on('restifyError', (req, _res, error: Error & { statusCode?: number }, callback: () => void) => {
    const status = error.statusCode ?? 500;
    const fields = { method: req.method, path: req.path(), status, err: error };
    if (status >= 500) logger.error(fields, 'request failed');
    else logger.info(fields, 'request refused');
    callback();
  });
  return server;
}
