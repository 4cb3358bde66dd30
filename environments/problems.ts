// The one error an invalid environment set raises, and how its problems are written.
// Every problem of every file is collected first, then thrown at once, so an operator fixes
// them all in one pass; secret values are masked here, in the only place that prints them.
import { SECRET_VARIABLES } from './schema';

export interface EnvironmentProblem {
  /** Where the offending value lives: a file path as shown, or `process env STAGING_X`. */
  source: string;
  /** The variable concerned; absent for file-level problems (bad name, empty dir). */
  variable?: string;
  message: string;
}

/** Thrown when the environment files cannot be loaded: lists every problem found, secrets masked. */
export class EnvironmentError extends Error {
  readonly code = 'ERR_ENV_INVALID';
  readonly problems: readonly EnvironmentProblem[];

  constructor(problems: readonly EnvironmentProblem[]) {
    super(formatProblems(problems));
    this.name = 'EnvironmentError';
    this.problems = problems;
  }
}

export function isSecretVariable(name: string): boolean {
  return (SECRET_VARIABLES as readonly string[]).includes(name);
}

/** Never more than the first 2 and last 2 characters, and only for values of 12 or more. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `${value.slice(0, 2)}…${value.slice(-2)}` : '***';
}

const SHOWN_MAX = 60;

/**
 * `(got "…")` for a value, masked with its length when the variable is a secret. Other values
 * lose any URL credentials (user:password@) and are cut after 60 characters.
 */
export function describeValue(variable: string, value: string): string {
  if (isSecretVariable(variable)) return `(got "${maskSecret(value)}", ${value.length} chars)`;
  const shown = value.replace(/\/\/[^/@\s]*@/g, '//***@');
  return shown.length > SHOWN_MAX ? `(got "${shown.slice(0, SHOWN_MAX)}…", ${value.length} chars)` : `(got "${shown}")`;
}

export function problemLine(p: EnvironmentProblem): string {
  return `${p.source}: ${p.variable ? `${p.variable} — ` : ''}${p.message}`;
}

export function formatProblems(problems: readonly EnvironmentProblem[]): string {
  const n = problems.length;
  const head = `Stopped before any test: the environment files have ${n} ${n === 1 ? 'problem' : 'problems'}.`;
  return [head, ...problems.map((p) => `  - ${problemLine(p)}`)].join('\n');
}

/** The known name closest to a typo, when it is close enough to be what was meant. */
export function closestName(typo: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typo.toUpperCase(), name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  const tolerance = Math.max(2, Math.floor(typo.length / 4));
  return best && best.distance <= tolerance ? best.name : undefined;
}

/**
 * The allowed value an operator probably meant: the one it is a prefix of (`e2e` → e2e-endpoint),
 * else the nearest within a few edits, case ignored; undefined when nothing is close.
 */
export function closestOption(value: string, options: readonly string[]): string | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  const extending = options.filter((o) => o.toLowerCase().startsWith(v));
  if (extending.length === 1) return extending[0];
  let best: { option: string; distance: number } | undefined;
  for (const option of options) {
    const distance = editDistance(v, option.toLowerCase());
    if (!best || distance < best.distance) best = { option, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(v.length / 4)) ? best.option : undefined;
}

/** Levenshtein distance (insert, delete, substitute: 1 each); node has none built in. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
