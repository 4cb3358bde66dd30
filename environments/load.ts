// Reads every environments/NAME.env and validates it against the one schema (schema.ts).
//
// Layering, later wins:
//   1. NAME.env                 — hosts and behaviour; committed for `local`, ignored otherwise
//   2. NAME.local.env           — git-ignored; where an operator puts secrets on their machine
//   3. process env <NAME>_<VAR> — e.g. STAGING_JWT_SECRET, STAGING_E2E_BYPASS_KEY: how CI hands
//      secrets over. The prefix makes a CI secret reach exactly one environment and never leak
//      into another; unprefixed process variables are never read.
// An empty value means "not set here" unless empty is itself meaningful for that variable
// (e.g. DEPENDENCIES_STATUS_PATH=), so a CI secret that expands to "" does not hide the hint.
// Every problem of every file is collected, then one EnvironmentError lists them all.
// loadEnvironmentSet keeps each environment's problems apart, so that a broken staging.env stops
// only the runs that select staging (see environments/selection.ts and playwright.config.ts).
// Also refused at load, so that no operator mistake reaches a test (where it would fail as
// "target failing", exit 1): dotenv quoting traps (dotenv-traps.ts), prefixed process variables
// that miss by a typo (process-variables.ts), a CA_FILE that cannot be read (ca-file.ts).
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import type { z } from 'zod';
import { caFileProblem } from './ca-file';
import { findDotenvTraps } from './dotenv-traps';
import { closestName, closestOption, describeValue, EnvironmentError, type EnvironmentProblem, isSecretVariable, maskSecret } from './problems';
import { strayProcessVariables } from './process-variables';
import { envSchema, type EnvSettings } from './schema';

export { EnvironmentError, type EnvironmentProblem } from './problems';

export interface LoadedEnvironment {
  name: string;
  /** The NAME.env file. */
  file: string;
  settings: EnvSettings;
  /** Where each variable that was set came from (a file, or `process env STAGING_X`); never values. */
  sources: Partial<Record<keyof EnvSettings, string>>;
}

type ProcessEnv = Record<string, string | undefined>;

export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;
const KNOWN = Object.keys(envSchema.shape) as Array<keyof EnvSettings & string>;

/** The folder used when none is given: ENVIRONMENTS_DIR, else this folder. */
export function defaultEnvironmentsDir(processEnv: ProcessEnv = process.env): string {
  return path.resolve(processEnv.ENVIRONMENTS_DIR || __dirname);
}

export const ENVIRONMENTS_DIR = defaultEnvironmentsDir();

/** The process variable that overrides `variable` for one environment: staging-eu + JWT_SECRET → STAGING_EU_JWT_SECRET. */
export function processVariableName(envName: string, variable: string): string {
  return `${envName.toUpperCase().replace(/-/g, '_')}_${variable}`;
}

/** Names of the environments in dir (valid NAME.env files), without reading or validating them. */
export function environmentNames(dir?: string, processEnv: ProcessEnv = process.env): string[] {
  const folder = dir ?? defaultEnvironmentsDir(processEnv);
  if (!fs.existsSync(folder)) return [];
  return [...scan(folder).envFiles.keys()];
}

export interface EnvironmentSet {
  /** The environments that validated. */
  loaded: LoadedEnvironment[];
  /** Each environment that did not, with its own problems (secrets masked). */
  broken: Map<string, EnvironmentProblem[]>;
  /** Problems of no one environment: a bad file name, a NAME.local.env without its NAME.env. */
  general: EnvironmentProblem[];
}

/**
 * Loads every environment in dir and keeps each one's problems apart; throws an EnvironmentError
 * only when there is nothing to load (no folder, no NAME.env).
 */
export function loadEnvironmentSet(dir?: string, processEnv: ProcessEnv = process.env): EnvironmentSet {
  const folder = dir ?? defaultEnvironmentsDir(processEnv);
  const found = scanOrThrow(folder);
  const strays = strayProcessVariables(Object.keys(processEnv), [...found.envFiles.keys()], KNOWN);
  const loaded: LoadedEnvironment[] = [];
  const broken = new Map<string, EnvironmentProblem[]>();
  for (const [name, file] of found.envFiles) {
    const result = loadOne(name, file, found.localFiles.get(name), processEnv);
    const problems = [...result.problems, ...strays.filter((s) => s.environment === name).map((s) => s.problem)];
    if (problems.length > 0) broken.set(name, scrub(problems, result.secrets));
    else if (result.environment) loaded.push(result.environment);
  }
  return { loaded, broken, general: found.problems };
}

/** Loads and validates every environment in dir; throws one EnvironmentError listing all problems. */
export function loadEnvironments(dir?: string, processEnv: ProcessEnv = process.env): LoadedEnvironment[] {
  const set = loadEnvironmentSet(dir, processEnv);
  const problems = [...set.general, ...[...set.broken.values()].flat()];
  if (problems.length > 0) throw new EnvironmentError(problems);
  return set.loaded;
}

/** Loads and validates one environment; only its own files and variables are read. */
export function loadEnvironment(name: string, dir?: string, processEnv: ProcessEnv = process.env): LoadedEnvironment {
  const folder = dir ?? defaultEnvironmentsDir(processEnv);
  const found = scanOrThrow(folder);
  const file = found.envFiles.get(name);
  if (!file) {
    const known = [...found.envFiles.keys()].join(', ') || 'none';
    throw new EnvironmentError([
      { source: shown(folder), message: `no environment "${name}": expected ${shown(path.join(folder, `${name}.env`))} (known: ${known})` },
    ]);
  }
  const result = loadOne(name, file, found.localFiles.get(name), processEnv);
  const strays = strayProcessVariables(Object.keys(processEnv), [...found.envFiles.keys()], KNOWN).filter((s) => s.environment === name);
  const problems = [...result.problems, ...strays.map((s) => s.problem)];
  if (!result.environment || problems.length > 0) throw new EnvironmentError(scrub(problems, result.secrets));
  return result.environment;
}

interface Scan {
  envFiles: Map<string, string>;
  localFiles: Map<string, string>;
  problems: EnvironmentProblem[];
}

function scan(dir: string): Scan {
  const envFiles = new Map<string, string>();
  const localFiles = new Map<string, string>();
  const problems: EnvironmentProblem[] = [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.env')).sort();
  for (const f of files) {
    const local = f.endsWith('.local.env');
    const name = f.slice(0, -(local ? '.local.env' : '.env').length);
    const file = path.join(dir, f);
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push({ source: shown(file), message: `environment name "${name}" must match ${ENVIRONMENT_NAME} (lower-case letters, digits, dashes)` });
    } else (local ? localFiles : envFiles).set(name, file);
  }
  for (const [name, file] of localFiles) {
    if (!envFiles.has(name)) problems.push({ source: shown(file), message: `no ${name}.env to layer it on: add ${name}.env or rename this file` });
  }
  return { envFiles, localFiles, problems };
}

function scanOrThrow(dir: string): Scan {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new EnvironmentError([{ source: shown(dir), message: 'the environments folder does not exist (set ENVIRONMENTS_DIR to the folder holding NAME.env files)' }]);
  }
  const found = scan(dir);
  if (found.envFiles.size === 0 && found.problems.length === 0) {
    throw new EnvironmentError([
      { source: shown(dir), message: 'no NAME.env file here: restore local.env, or copy staging.env.example to staging.env' },
    ]);
  }
  return found;
}

interface OneResult {
  environment?: LoadedEnvironment;
  problems: EnvironmentProblem[];
  /** Every secret value met, so that no problem line can echo one. */
  secrets: string[];
}

function loadOne(name: string, file: string, localFile: string | undefined, processEnv: ProcessEnv): OneResult {
  const problems: EnvironmentProblem[] = [];
  const values: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const secrets: string[] = [];
  const localPath = shown(path.join(path.dirname(file), `${name}.local.env`));

  // Variables whose value a quoting trap changed: the trap's own line explains them, so their
  // validation issue (e.g. "too short" for a value cut at a #) is not listed as well.
  const trapped = new Set<string>();
  const hints = new Map<string, string>();
  const emptied = new Set<string>();
  for (const layer of localFile ? [file, localFile] : [file]) {
    // A UTF-8 byte-order mark (some Windows editors add one) is not part of the first line.
    const text = fs.readFileSync(layer, 'utf8').replace(/^\uFEFF/, '');
    const parsed = dotenv.parse(text);
    for (const trap of findDotenvTraps(text, parsed)) {
      if (!(KNOWN as string[]).includes(trap.variable)) continue;
      if (trap.kind === 'hint') {
        hints.set(trap.variable, trap.message);
        continue;
      }
      trapped.add(trap.variable);
      problems.push({ source: shown(layer), variable: trap.variable, message: trap.message });
    }
    for (const [key, value] of Object.entries(parsed)) {
      if (isSecretVariable(key) && value) secrets.push(value);
      if (!(KNOWN as string[]).includes(key)) {
        problems.push({ source: shown(layer), variable: key, message: unknownVariable(name, key) });
        continue;
      }
      if (isSecretVariable(key) && layer === file && name !== 'local') {
        const message = `a secret must not sit in a committed-style file: move ${key} to ${name}.local.env or ${processVariableName(name, key)}`;
        problems.push({ source: shown(layer), variable: key, message });
      }
      if (meansUnset(key, value)) {
        emptied.add(key);
        continue;
      }
      values[key] = value;
      sources[key] = shown(layer);
    }
  }
  for (const key of KNOWN) {
    const variable = processVariableName(name, key);
    const value = processEnv[variable];
    if (value === undefined || meansUnset(key, value)) continue;
    if (isSecretVariable(key)) secrets.push(value);
    values[key] = value;
    sources[key] = `process env ${variable}`;
  }

  const validated = validate(values);
  for (const issue of validated.issues) {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    if (variable && trapped.has(variable)) continue;
    const value = variable === undefined ? undefined : values[variable];
    let message = issueText(issue);
    if (variable && value !== undefined) message += ` ${describeValue(variable, value)}`;
    if (issue.code === 'invalid_value' && value !== undefined) {
      const guess = closestOption(offendingItem(issue, value), issue.values.map(String));
      if (guess) message += `; did you mean ${guess}?`;
    }
    if (variable && value === undefined && isSecretVariable(variable)) {
      message += `; set ${processVariableName(name, variable)} or put ${variable} in ${localPath}`;
    }
    // A cross-variable rule that fires on a default ("required when TWIN=off") because the
    // operator wrote `TWIN=` names that line too: it is the one to fix.
    for (const m of issue.message.matchAll(/\b([A-Z][A-Z0-9_]+)=/g)) {
      const other = m[1] ?? '';
      if (emptied.has(other) && values[other] === undefined) message += ` (${other} is empty in the file, so it takes its default)`;
    }
    const hint = variable && hints.get(variable);
    if (hint) message += ` ${hint}`;
    problems.push({ source: (variable && sources[variable]) || shown(file), variable, message });
  }
  if (problems.length > 0 || !validated.settings) return { problems, secrets };
  if (validated.settings.CA_FILE) {
    const problem = caFileProblem(validated.settings.CA_FILE);
    if (problem) return { problems: [{ source: sources.CA_FILE ?? shown(file), variable: 'CA_FILE', message: problem }], secrets };
  }
  return { environment: { name, file, settings: validated.settings, sources }, problems, secrets };
}

/** The value an enum issue is about: the whole value, or its item for a list (TRANSPORTS=subprotocl,query). */
function offendingItem(issue: z.core.$ZodIssue, value: string): string {
  const index = issue.path[1];
  if (typeof index !== 'number') return value;
  return value.split(',').map((s) => s.trim()).filter(Boolean)[index] ?? value;
}

function unknownVariable(envName: string, key: string): string {
  const prefix = `${processVariableName(envName, '')}`;
  if (key.startsWith(prefix) && (KNOWN as string[]).includes(key.slice(prefix.length))) {
    return `unknown variable; did you mean ${key.slice(prefix.length)}? (the ${prefix} prefix is for process variables only)`;
  }
  const guess = closestName(key, KNOWN);
  return guess ? `unknown variable; did you mean ${guess}?` : 'unknown variable (environments/schema.ts lists the known ones)';
}

/** Empty means unset, unless the variable's own schema gives empty a meaning. */
function meansUnset(key: string, value: string): boolean {
  if (value !== '') return false;
  const field = envSchema.shape[key as keyof typeof envSchema.shape];
  return !field.safeParse('').success;
}

/**
 * Zod stops before the cross-variable rules (superRefine) when any single variable is invalid,
 * so those rules run again on the values minus the invalid ones; their findings are kept unless
 * they concern, or depend on, a variable already reported.
 */
function validate(values: Record<string, string>): { settings?: EnvSettings; issues: z.core.$ZodIssue[] } {
  const first = envSchema.safeParse(values);
  if (first.success) return { settings: first.data, issues: [] };
  const bad = new Set(first.error.issues.map((i) => String(i.path[0])));
  const issues = [...first.error.issues];
  const repaired = Object.fromEntries(Object.entries(values).filter(([k]) => !bad.has(k)));
  const second = envSchema.safeParse(repaired);
  if (!second.success) {
    for (const issue of second.error.issues) {
      const key = String(issue.path[0]);
      if (bad.has(key) || [...bad].some((b) => issue.message.includes(b))) continue;
      issues.push(issue);
    }
  }
  const order = (i: z.core.$ZodIssue) => KNOWN.indexOf(String(i.path[0]) as keyof EnvSettings & string);
  return { issues: issues.sort((a, b) => order(a) - order(b)) };
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map(String).join(' | ')}`;
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'expected a number';
  return issue.message;
}

/** Belt and braces: no problem line may carry a secret value, whatever variable it sits under. */
function scrub(problems: EnvironmentProblem[], secrets: string[]): EnvironmentProblem[] {
  const long = [...new Set(secrets)].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return problems.map((p) => ({
    ...p,
    message: long.reduce((m, s) => m.split(s).join(maskSecret(s)), p.message),
  }));
}

/** Paths inside the working directory are shown relative to it (environments/staging.env). */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
