import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json. desk/ may not import bot/, and the data files stay in the source
 * tree (they are not copied to dist/), so both the sources and the build find them from here.
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

/** A shipped data file under desk/data/. */
export function deskDataFile(name: string): string {
  return path.join(projectRoot(), 'desk', 'data', name);
}
