/** Cues as tests on a message: Chinese anywhere in the compact text, Latin as whole words, "/…/" a pattern. */

export const HAN = /\p{Script=Han}/u;

export interface CueRule {
  /** The words that matched, for `reason`; undefined when the rule does not apply. */
  match: (text: Normalized) => string | undefined;
}

export interface Normalized {
  /** NFKC, lower case, ids and negated cues removed, whitespace collapsed: for Latin word boundaries. */
  spaced: string;
  /** The same without spaces and punctuation: for Chinese cues. */
  compact: string;
}

export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function compactOf(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]+/gu, '');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A cue as a test: Latin cues must be whole words ("hi" is not in "this"), Chinese ones anywhere. */
export function cueRule(cue: string): CueRule {
  // "/…/" in the data file is a regular expression, for the few words that need an exception (电视 but not 电视剧).
  if (cue.length > 2 && cue.startsWith('/') && cue.endsWith('/')) return patternRule(cue.slice(1, -1));
  const bare = normalize(cue).trim();
  if (/^[a-z0-9 '’]+$/.test(bare) && /[a-z]/.test(bare)) {
    const re = new RegExp(`(?<![a-z])${bare.split(/\s+/).map(escapeRegExp).join('\\s+')}(?![a-z])`);
    return { match: (t) => re.exec(t.spaced)?.[0] };
  }
  const compact = compactOf(bare);
  return { match: (t) => (compact.length > 0 && t.compact.includes(compact) ? compact : undefined) };
}

export function patternRule(pattern: string): CueRule {
  const re = new RegExp(pattern, 'iu');
  return { match: (t) => re.exec(t.compact)?.[0] || undefined };
}

/** Cues (as in intents.yaml: Chinese anywhere, Latin whole words, "/…/" a pattern) as one test: the first cue found, if any. */
export function cueMatcher(cues: string[]): (text: string) => string | undefined {
  const rules = cues.map(cueRule);
  return (text) => {
    const lowered = normalize(text);
    return firstMatch(rules, { spaced: lowered.replace(/\s+/g, ' ').trim(), compact: compactOf(lowered) });
  };
}

export function firstMatch(rules: CueRule[], text: Normalized): string | undefined {
  for (const rule of rules) {
    const hit = rule.match(text);
    if (hit !== undefined) return hit;
  }
  return undefined;
}
