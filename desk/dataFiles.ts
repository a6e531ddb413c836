import path from 'node:path';
import { projectRoot } from '../common/projectRoot';

export { projectRoot };

/** A shipped data file under desk/data/. */
export function deskDataFile(name: string): string {
  return path.join(projectRoot(), 'desk', 'data', name);
}
