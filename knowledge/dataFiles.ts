import path from 'node:path';
import { projectRoot } from '../common/projectRoot';

export { projectRoot };

/** The shipped service manual, knowledge/data/. */
export function knowledgeDataDir(): string {
  return path.join(projectRoot(), 'knowledge', 'data');
}
