import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json. The manual's YAML stays in the source tree (it is not copied to
 * dist/), so both the sources and the build find it from here. knowledge/ may not import desk/, hence
 * this small copy of desk's helper.
 */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The shipped service manual, knowledge/data/. */
export function knowledgeDataDir(): string {
  return path.join(projectRoot(), 'knowledge', 'data');
}
