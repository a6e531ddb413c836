import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A `.env` line Node's parser would misread; names the file and the line so the start can stop there. */
export class EnvFileError extends Error {}

export interface EnvFileLoad {
  file: string;
  /** Names the file set; those already in the environment are not among them (the environment wins). */
  applied: string[];
  /** Names the file has but the environment already set. */
  overridden: string[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;
const QUOTES = ['"', "'", '`'];

/**
 * The variables a `.env` text sets, or an EnvFileError naming the first line that is not `NAME=value`,
 * a comment or blank. Node's own parser skips such a line silently and can swallow the next one into a
 * value (`oops` followed by `A="x"` yields a variable named "oops\nA"), so the line is refused here first.
 */
export function checkEnvText(text: string, file: string): string[] {
  const names: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      throw new EnvFileError(`${file}:${index + 1}: "${line.trim().slice(0, 60)}" is not NAME=value (a comment starts with #)`);
    }
    names.push(match[1]);
    const value = match[2].trimStart();
    const quote = QUOTES.find((mark) => value.startsWith(mark));
    if (quote === undefined || value.indexOf(quote, 1) > 0) continue;
    // A quoted value may span lines; it must end somewhere.
    const start = index;
    while (++index < lines.length && !lines[index].includes(quote));
    if (index >= lines.length) throw new EnvFileError(`${file}:${start + 1}: the ${quote} opened here is never closed`);
  }
  return names;
}

/**
 * Loads `.env` (from the folder the service is started in, like `./data`) into process.env when it
 * exists, through Node's own `process.loadEnvFile`: a variable already in the environment keeps its value,
 * so a deployment's real environment always wins over the file.
 */
export function loadEnvFileIfPresent(file = path.resolve('.env')): EnvFileLoad | undefined {
  if (!existsSync(file)) return undefined;
  const names = checkEnvText(readFileSync(file, 'utf8'), file);
  const before = new Set(Object.keys(process.env));
  process.loadEnvFile(file);
  const unique = [...new Set(names)];
  return {
    file,
    applied: unique.filter((name) => !before.has(name)),
    overridden: unique.filter((name) => before.has(name)),
  };
}
