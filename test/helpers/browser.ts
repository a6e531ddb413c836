import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execSync('command -v chromium || command -v chromium-browser', { shell: '/bin/sh' }).toString().trim();
  } catch {
    throw new Error("Debian's chromium is needed for the browser tests: sudo apt-get install -y chromium (or set CHROMIUM_PATH)");
  }
}

/** Debian's Chromium, headless, without the background traffic this closed network refuses. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where a test keeps what a person may want to look at afterwards (gitignored). */
export function artefactPath(name: string): string {
  const dir = path.join(__dirname, '..', '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/**
 * Measuring Chinese text on the page needs a Chinese font: without one Chromium draws narrow boxes
 * and a too-long line would seem to fit. Throws saying how to get one.
 */
export function requireChineseFont(): void {
  let fonts = '';
  try {
    fonts = execSync('fc-list :lang=zh', { shell: '/bin/sh', stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    fonts = '';
  }
  if (!fonts) throw new Error('a Chinese font is needed to measure the page: sudo apt-get install -y fonts-wqy-microhei');
}
