import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { projectRoot } from '../common/projectRoot';

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

export const CONSOLE_CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

const PUBLIC_DIR = path.join(projectRoot(), 'console', 'public');

export function registerConsolePages(server: Server): void {
  for (const [route, file] of Object.entries(PAGES)) {
    server.get(route, async (_req: Request, res: Response) => {
      const content = await readFile(path.join(PUBLIC_DIR, file));
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[path.extname(file)],
        'Content-Length': content.length,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': CONSOLE_CSP,
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'same-origin',
      });
      res.end(content);
    });
  }
}
