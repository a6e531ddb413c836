import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { projectRoot } from '../common/projectRoot';
import { pageHeaders, strictCsp } from '../common/securityHeaders';

/**
 * The agents' console pages: three static files the project writes itself (no framework, no CDN),
 * read from console/public and served with headers that let the browser run only our own script
 * and style and never frame the page.
 */
const PAGES: Record<string, string> = {
  '/console': 'index.html',
  '/console/': 'index.html',
  '/console/console.js': 'console.js',
  '/console/console.css': 'console.css',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The console only fetches its own API and its event stream (Server-Sent Events, plain HTTP). */
export const CONSOLE_CSP = strictCsp("'self'");

const PUBLIC_DIR = path.join(projectRoot(), 'console', 'public');

export function registerConsolePages(server: Server): void {
  for (const [route, file] of Object.entries(PAGES)) {
    server.get(route, async (_req: Request, res: Response) => {
      const content = await readFile(path.join(PUBLIC_DIR, file));
      res.writeHead(200, { ...pageHeaders(CONTENT_TYPES[path.extname(file)], CONSOLE_CSP), 'Content-Length': content.length });
      res.end(content);
    });
  }
}
