import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json. Data files stay in the source tree (they are not copied to
 * dist/), so both the sources and the build find them from here.
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
