import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

export type FieldPath = readonly (string | number)[];

/** A problem in a data file, placed so that whoever edits the file can find it. */
export interface SourceProblem {
  line?: number;
  /** `categories[2].terms.refundDays`; empty for the file as a whole. */
  path: string;
  reason: string;
}

export function formatPath(fieldPath: FieldPath): string {
  return fieldPath.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  string: 'a text',
  array: 'a list',
  object: 'a mapping (field: value)',
  boolean: 'true or false',
};

type ZodIssue = z.core.$ZodIssue;

/** Zod's wording is for programmers; this is for the service lead who edits the file. */
function describeIssue(issue: ZodIssue, value: unknown): string {
  // `topic:` with nothing after it reads as null; for the editor that is a missing value, whatever was expected.
  if ((value === undefined || value === null) && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) return 'is missing';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} item(s)`;
      return `must be at least ${String(issue.minimum)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}

function valueAt(root: unknown, fieldPath: FieldPath): unknown {
  let value: unknown = root;
  for (const key of fieldPath) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** One parsed YAML data file that can say on which line a field is. */
export class YamlSource {
  private readonly lineCounter = new LineCounter();
  private readonly doc: Document.Parsed;

  constructor(
    readonly name: string,
    source: string,
  ) {
    this.doc = parseDocument(source, { lineCounter: this.lineCounter });
  }

  /** Syntax errors, each on its line. */
  syntaxProblems(): SourceProblem[] {
    return this.doc.errors.map((error) => ({
      line: error.linePos?.[0].line ?? 1,
      path: '',
      // yaml appends the position and a code excerpt; the line is already in front.
      reason: `not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    }));
  }

  toJS(): unknown {
    return this.doc.toJS();
  }

  lineOf(fieldPath: FieldPath): number {
    // The key's line, not the value's: a block mapping's value starts on the line after its key. A
    // path that does not exist (a missing field) falls back to its nearest existing parent.
    for (let depth = fieldPath.length; depth >= 0; depth -= 1) {
      const parent: unknown = depth === 0 ? undefined : this.doc.getIn(fieldPath.slice(0, depth - 1), true);
      const key = fieldPath[depth - 1];
      const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
      const node: unknown = pair ? pair.key : depth === 0 ? this.doc.contents : this.doc.getIn(fieldPath.slice(0, depth), true);
      const range = isNode(node) ? node.range : undefined;
      if (range) return this.lineCounter.linePos(range[0]).line;
    }
    return 1;
  }

  problem(fieldPath: FieldPath, reason: string): SourceProblem {
    return { line: this.lineOf(fieldPath), path: formatPath(fieldPath), reason };
  }

  /** The file's data checked against `schema`, or the problems, each at its field's line. */
  parse<T>(schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; problems: SourceProblem[] } {
    const syntax = this.syntaxProblems();
    if (syntax.length) return { ok: false, problems: syntax };
    const raw = this.toJS();
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { ok: true, value: parsed.data };
    const problems = parsed.error.issues.map((issue) => {
      const issuePath = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
      if (issue.code === 'unrecognized_keys')
        return this.problem([...issuePath, issue.keys[0]], `unknown field (${issue.keys.join(', ')})`);
      if (issuePath.length === 0 && (raw === null || raw === undefined)) return this.problem([], 'the file is empty');
      return this.problem(issuePath, describeIssue(issue, valueAt(raw, issuePath)));
    });
    return { ok: false, problems };
  }
}
