/** knowledge/data/intents.yaml: the examples, cues and hints a service lead keeps, read and validated. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { knowledgeDataDir } from './dataFiles';
import { INTENTS, type Intent } from './intents';

const IntentSpec = z.object({
  description: z.string().optional(),
  priority: z.number().default(0),
  cues: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  patterns: z.array(z.string()).default([]),
  examples: z.array(z.union([z.string(), z.number()]).transform(String)).min(1),
});

const HintWords = z.array(z.union([z.string(), z.number()]).transform(String)).default([]);

const Hints = z
  .object({
    symptoms: HintWords,
    repairRequests: HintWords,
    questionWords: HintWords,
    greetings: HintWords,
    praise: HintWords,
    domain: HintWords,
    negations: HintWords,
    policy: HintWords,
    offTopic: HintWords,
  })
  .default({
    symptoms: [],
    repairRequests: [],
    questionWords: [],
    greetings: [],
    praise: [],
    domain: [],
    negations: [],
    policy: [],
    offTopic: [],
  });

/** Built on first use: intents.ts imports this module before INTENTS exists (see the note there). */
function intentFileSchema() {
  return z.object({ intents: z.record(z.enum(INTENTS), IntentSpec), hints: Hints });
}
export interface IntentFile {
  intents: Partial<Record<Intent, z.infer<typeof IntentSpec>>>;
  hints: z.infer<typeof Hints>;
}

/** knowledge/data/intents.yaml, found from the project root so the build in dist/ reads the source copy. */
export function defaultIntentsFile(): string {
  return path.join(knowledgeDataDir(), 'intents.yaml');
}

/** Reads and validates an intents file; the error names the offending field for the service lead. */
export function loadIntentFile(file: string): IntentFile {
  const raw: unknown = parseYaml(readFileSync(file, 'utf8'));
  const parsed = intentFileSchema().safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${issues}`);
  }
  return parsed.data;
}
