/**
 * Where each part of the manual came from, so that every mistake is reported with its file, line
 * and field.
 */
import { formatPath, YamlSource, type FieldPath } from '../common/yamlSource';
import type { z } from 'zod';

/** One mistake in the manual: `faq/phone.yaml:12 faqs[3].similar: needs at least 2 item(s)`. */
export interface ManualProblem {
  /** Relative to the manual's folder, with forward slashes. */
  file: string;
  /** 1-based; absent only when the file or folder itself is missing. */
  line?: number;
  /** Field path such as `guides[0].steps[2].branches[1].next`; empty for the file as a whole. */
  path: string;
  reason: string;
}

export class ManualError extends Error {
  constructor(readonly problems: ManualProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ManualError';
  }
}

export function formatProblem(problem: ManualProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return problem.path ? `${where} ${problem.path}: ${problem.reason}` : `${where} ${problem.reason}`;
}

/** One parsed YAML file of the manual: its problems carry the file's name. */
export class SourceFile {
  private readonly yaml: YamlSource;

  constructor(
    readonly name: string,
    source: string,
  ) {
    this.yaml = new YamlSource(name, source);
  }

  problem(fieldPath: FieldPath, reason: string): ManualProblem {
    return { file: this.name, ...this.yaml.problem(fieldPath, reason) };
  }

  /** `faq/phone.yaml:12 faqs[3].id`, for naming the other place in a conflict. */
  where(fieldPath: FieldPath): string {
    return `${this.name}:${this.yaml.lineOf(fieldPath)} ${formatPath(fieldPath)}`;
  }

  parse<T>(schema: z.ZodType<T>, problems: ManualProblem[]): T | undefined {
    const parsed = this.yaml.parse(schema);
    if (parsed.ok) return parsed.value;
    problems.push(...parsed.problems.map((problem) => ({ file: this.name, ...problem })));
    return undefined;
  }
}

/** A loaded value and where it came from, so cross-checks can point at it. */
export interface Located<T> {
  value: T;
  source: SourceFile;
  path: FieldPath;
}

/** Two places claiming the same key: the later one is reported, naming the first. */
export function firstClaims(problems: ManualProblem[]) {
  const seen = new Map<string, { source: SourceFile; path: FieldPath }>();
  return (key: string, source: SourceFile, fieldPath: FieldPath, reason: (first: string) => string): void => {
    const first = seen.get(key);
    if (first) problems.push(source.problem(fieldPath, reason(first.source.where(first.path))));
    else seen.set(key, { source, path: fieldPath });
  };
}

/** Questions are compared without spaces, punctuation and case: 耳机咋连？ and 耳机 咋连 are one question. */
export function questionKey(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}
