import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What comments and the README cite must be in the repository: a reader (or a new helper) who follows
 * "see docs/protocols.md §4" finds the file and the section, and nothing points at a design that lives
 * only on someone's machine (the old ../shared copies).
 */

const ROOT = path.resolve(__dirname, '../..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', '.git', 'coverage']);
const CHECKED = /\.(ts|js|md|ya?ml)$/;
/** Built from pieces so that this file's own text is not a citation. */
const DESIGN_NAMES = ['DESIGN', 'DOMAIN', 'PROTOCOLS'].map((n) => `${n}.md`);
const OUTSIDE = new RegExp(
  [
    String.raw`\.\./shared\b`,
    String.raw`/work/` + 'shared',
    ...DESIGN_NAMES.map((n) => String.raw`(?<![\w/])${n.replace('.', String.raw`\.`)}`),
  ].join('|'),
);
const DOCS_CITE = /\bdocs\/([\w.-]+\.md)(?:\s+§\s*(\d+))?/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(full);
    return CHECKED.test(entry.name) ? [full] : [];
  });
}

/** The numbered sections (`## 3. …`) of a docs file. */
function sectionsOf(docsFile: string): Set<string> {
  return new Set([...readFileSync(docsFile, 'utf8').matchAll(/^## (\d+)\./gm)].map((m) => m[1] as string));
}

/** Every problem with one file's citations, as `file:line: reason`. */
export function citationProblems(relativeFile: string, text: string, root: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const where = `${relativeFile}:${i + 1}`;
    const outside = OUTSIDE.exec(line);
    if (outside) problems.push(`${where}: cites ${outside[0]} outside the repository; cite docs/… instead`);
    for (const [, name, section] of line.matchAll(DOCS_CITE)) {
      const docsFile = path.join(root, 'docs', name as string);
      if (!existsSync(docsFile)) problems.push(`${where}: docs/${name} does not exist`);
      else if (section !== undefined && !sectionsOf(docsFile).has(section)) {
        problems.push(`${where}: docs/${name} has no section ${section}`);
      }
    }
  });
  return problems;
}

describe('citations of the design', () => {
  it('every docs/… a comment or the README cites exists (with its § section), and nothing cites outside the repository', () => {
    const self = path.relative(ROOT, __filename);
    const files = sourceFiles(ROOT)
      .map((f) => path.relative(ROOT, f))
      .filter((f) => f !== self);
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((f) => citationProblems(f, readFileSync(path.join(ROOT, f), 'utf8'), ROOT));
    expect(problems).toEqual([]);
  });

  it('the docs the code relies on are all there', () => {
    for (const name of ['architecture.md', 'domain.md', 'protocols.md', 'contracts.md']) {
      expect(existsSync(path.join(ROOT, 'docs', name))).toBe(true);
    }
  });

  it.each([
    ['// see ../shared/' + DESIGN_NAMES[0], 'outside the repository'],
    ['/** the fixed intents (' + DESIGN_NAMES[0] + ' §4) */', 'outside the repository'],
    ['# 价格见 ' + DESIGN_NAMES[1], 'outside the repository'],
    ['// vectors from /work/' + 'shared/x', 'outside the repository'],
    ['// see docs/nowhere.md', 'does not exist'],
    ['// see docs/protocols.md §9', 'has no section 9'],
  ])('a line like %j is caught (%s)', (line, reason) => {
    const problems = citationProblems('x.ts', line, ROOT);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(reason);
  });

  it.each([['// docs/protocols.md §4'], ['// (docs/contracts.md §3)'], ['// docs/domain.md, Warranty']])(
    'a good citation %j passes',
    (line) => {
      expect(citationProblems('x.ts', line, ROOT)).toEqual([]);
    },
  );
});
