import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layout's one rule, checked on every source file: a folder imports only the folders below it
 * (README, "How the code is laid out"), no two files import each other round a cycle, and the Bot
 * Framework stays in the layers that speak it.
 */

const ROOT = path.resolve(__dirname, '../..');

/** Top to bottom. Each folder may import itself and the folders listed for it, nothing else. */
const MAY_IMPORT = {
  /** Tools run from the command line (eval, kb:check, console:user): composition roots of their own. */
  scripts: ['app', 'console', 'adapters', 'bot', 'dialogs', 'desk', 'knowledge', 'common'],
  /** The composition root: reads the configuration and builds everything. */
  app: ['console', 'adapters', 'bot', 'dialogs', 'desk', 'knowledge', 'common'],
  /** The agents' console: HTTP routes over the desk. */
  console: ['desk', 'common'],
  /** Channels: their HTTP edges and protocols, each turn handed to the pipeline. */
  adapters: ['bot', 'desk', 'knowledge', 'common'],
  /** The turn pipeline: one turn of one conversation, the hand-off gate, proactive messages. */
  bot: ['dialogs', 'desk', 'knowledge', 'common'],
  /** The conversations (botbuilder-dialogs), reaching the desk and knowledge through narrow ports. */
  dialogs: ['desk', 'knowledge', 'common'],
  /** The service desk's records and rules: tickets, warranty, the hand-off queue, privacy. */
  desk: ['common'],
  /** Understanding and the service manual. */
  knowledge: ['common'],
  /** Shared infrastructure: Redis, the logger, leases and locks, clocks, HTTP errors, limits. */
  common: [],
} as const satisfies Record<string, readonly string[]>;

type Folder = keyof typeof MAY_IMPORT;
const FOLDERS = Object.keys(MAY_IMPORT) as Folder[];

/** The Bot Framework (archived) only where turns and dialogs are; even the composition root reaches it through bot/. */
const BOT_FRAMEWORK_FOLDERS: readonly Folder[] = ['adapters', 'bot', 'dialogs'];
const BOT_FRAMEWORK_PACKAGE = /^(botbuilder|botframework-)/;

/** Folders of files that are not TypeScript modules of the service (browser scripts, data). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'public', 'data', '.git']);

interface Import {
  /** As written in the file. */
  specifier: string;
  /** The repository path it resolves to; undefined for a package. */
  target?: string;
  line: number;
}

type Sources = ReadonlyMap<string, string>;

function importsOf(file: string, sources: Sources): Import[] {
  const text = sources.get(file) ?? '';
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((ref) => {
    const line = text.slice(0, ref.pos).split('\n').length;
    if (!ref.fileName.startsWith('.')) return { specifier: ref.fileName, line };
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref.fileName));
    const target = [`${base}.ts`, `${base}/index.ts`, base].find((candidate) => sources.has(candidate)) ?? `${base} (not found)`;
    return { specifier: ref.fileName, target, line };
  });
}

const folderOf = (file: string): string => file.split('/')[0] ?? '';

/** Every import that crosses folders against the table, as "file:line imports 'x' (target): why". */
function boundaryViolations(sources: Sources): string[] {
  const problems: string[] = [];
  for (const file of sources.keys()) {
    const from = folderOf(file);
    if (!(from in MAY_IMPORT)) continue;
    const allowed: readonly string[] = MAY_IMPORT[from as Folder];
    for (const imp of importsOf(file, sources)) {
      if (!imp.target) continue;
      const to = folderOf(imp.target);
      if (to === from || allowed.includes(to)) continue;
      const may = allowed.length ? `only ${allowed.map((f) => `${f}/`).join(', ')}` : 'no other folder';
      problems.push(`${file}:${imp.line} imports '${imp.specifier}' (${imp.target}): ${from}/ may import ${may}`);
    }
  }
  return problems;
}

function botFrameworkViolations(sources: Sources): string[] {
  const problems: string[] = [];
  for (const file of sources.keys()) {
    const from = folderOf(file) as Folder;
    if (!(from in MAY_IMPORT) || BOT_FRAMEWORK_FOLDERS.includes(from)) continue;
    for (const imp of importsOf(file, sources)) {
      if (!imp.target && BOT_FRAMEWORK_PACKAGE.test(imp.specifier)) {
        problems.push(
          `${file}:${imp.line} imports '${imp.specifier}': the Bot Framework belongs in ${BOT_FRAMEWORK_FOLDERS.map((f) => `${f}/`).join(', ')}`,
        );
      }
    }
  }
  return problems;
}

/** Unresolved relative imports: a path the check cannot follow would hide a crossing. */
function unresolved(sources: Sources): string[] {
  return [...sources.keys()].flatMap((file) =>
    importsOf(file, sources)
      .filter((imp) => imp.target?.endsWith('(not found)'))
      .map((imp) => `${file}:${imp.line} imports '${imp.specifier}', which is no .ts file here`),
  );
}

/** Each cycle of files importing each other, written as the chain of imports that closes it. */
function importCycles(sources: Sources): string[] {
  const edges = new Map<string, Import[]>();
  for (const file of sources.keys())
    edges.set(
      file,
      importsOf(file, sources).filter((imp) => imp.target && sources.has(imp.target)),
    );
  // Tarjan's strongly connected components: a component of more than one file (or a file importing itself) is a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const imp of edges.get(file) ?? []) {
      const next = imp.target as string;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfImport = (edges.get(file) ?? []).some((imp) => imp.target === file);
    if (component.length > 1 || selfImport) components.push(component);
  };
  for (const file of [...sources.keys()].sort()) if (!index.has(file)) visit(file);
  return components.map((component) => describeCycle(component, edges));
}

/** One way round the cycle, from its first file by name: "a.ts imports './b' → b.ts imports './a' → a.ts". */
function describeCycle(component: string[], edges: Map<string, Import[]>): string {
  const members = new Set(component);
  const start = [...component].sort()[0] as string;
  const steps: string[] = [];
  const seen = new Set<string>();
  let file = start;
  while (!seen.has(file)) {
    seen.add(file);
    const next = (edges.get(file) ?? []).find(
      (imp) => members.has(imp.target as string) && (!seen.has(imp.target as string) || imp.target === start),
    );
    if (!next) break;
    steps.push(`${file}:${next.line} imports '${next.specifier}'`);
    file = next.target as string;
  }
  return `${steps.join(' → ')} → ${file}`;
}

function repositorySources(): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(relative);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        sources.set(relative, readFileSync(path.join(ROOT, relative), 'utf8'));
      }
    }
  };
  for (const entry of readdirSync(ROOT, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) walk(entry.name);
  }
  return sources;
}

describe('the layout: every folder imports only downwards', () => {
  const sources = repositorySources();

  it('knows every folder that holds service code', () => {
    const folders = new Set([...sources.keys()].map(folderOf));
    folders.delete('test');
    expect([...folders].filter((folder) => !(folder in MAY_IMPORT)).sort()).toEqual([]);
    // The start command's module is where package.json says; seeing it proves the walk reads the tree.
    const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const entry = /node dist\/(\S+)\.js/.exec(start)?.[1];
    expect(entry && sources.has(`${entry}.ts`)).toBe(true);
  });

  it('follows every relative import to a file', () => {
    expect(unresolved(sources)).toEqual([]);
  });

  it.each(FOLDERS)('%s/ imports only the folders below it', (folder) => {
    expect(boundaryViolations(sources).filter((problem) => folderOf(problem) === folder)).toEqual([]);
  });

  it('has no cycle of files importing each other (tests included)', () => {
    expect(importCycles(sources)).toEqual([]);
  });

  it('keeps botbuilder out of app/, desk/, knowledge/, common/, console/ and scripts/', () => {
    expect(botFrameworkViolations(sources)).toEqual([]);
  });
});

describe('the layout check itself', () => {
  // A small made-up tree with one of each mistake: the check must name the file and the import.
  const tree: Sources = new Map([
    ['desk/tickets.ts', "import { MainDialog } from '../dialogs/mainDialog';\nimport type { TurnContext } from 'botbuilder';\n"],
    ['dialogs/mainDialog.ts', "import { TicketStore } from '../desk/tickets';\n"],
    ['knowledge/intents.ts', "import { IntentRecognizer } from './recognizer';\n"],
    ['knowledge/recognizer.ts', "import { INTENTS } from './intents';\n"],
    ['common/logger.ts', "export * from '../desk/privacy';\n"],
    ['desk/privacy.ts', "const later = () => import('./nowhere');\n"],
    ['console/chatRoutes.ts', "const redis = require('../bot/redis');\n"],
    ['bot/redis.ts', ''],
  ]);

  it('names each import that goes up or sideways', () => {
    expect(boundaryViolations(tree).sort()).toEqual([
      "common/logger.ts:1 imports '../desk/privacy' (desk/privacy.ts): common/ may import no other folder",
      "console/chatRoutes.ts:1 imports '../bot/redis' (bot/redis.ts): console/ may import only desk/, common/",
      "desk/tickets.ts:1 imports '../dialogs/mainDialog' (dialogs/mainDialog.ts): desk/ may import only common/",
    ]);
  });

  it('names each cycle by its imports', () => {
    expect(importCycles(tree).sort()).toEqual([
      "desk/tickets.ts:1 imports '../dialogs/mainDialog' → dialogs/mainDialog.ts:1 imports '../desk/tickets' → desk/tickets.ts",
      "knowledge/intents.ts:1 imports './recognizer' → knowledge/recognizer.ts:1 imports './intents' → knowledge/intents.ts",
    ]);
  });

  it('names botbuilder outside its layers, and imports it cannot follow', () => {
    expect(botFrameworkViolations(tree)).toEqual([
      "desk/tickets.ts:2 imports 'botbuilder': the Bot Framework belongs in adapters/, bot/, dialogs/",
    ]);
    expect(unresolved(tree)).toEqual(["desk/privacy.ts:1 imports './nowhere', which is no .ts file here"]);
  });
});
