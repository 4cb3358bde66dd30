// Section 4 of the benchmark: `npm run repro` on the healthy twin, as an operator runs it,
// timed from its own output lines (runner start, first result, scenarios, report) and broken
// down further with the step timings allure-playwright records (twin start, browser launch,
// browser contexts…), so the slowest steps have names.
import fs from 'node:fs';
import path from 'node:path';
import { runWithDeadline } from './run-with-deadline';

const ROOT = path.resolve(__dirname, '..');

export interface SuitePhases {
  exitCode: number | null;
  totalMs: number;
  /** Spawn → "Running N tests": tsx, env validation, Playwright loading its config and tests. */
  runnerStartMs: number | null;
  /** "Running" → the first result line: worker start, twin spawn, browser launch, first test. */
  firstResultMs: number | null;
  /** "Running" → Playwright's "N passed (…)" line. */
  scenariosMs: number | null;
  /** That line → the summary reporter's last line: reporters finishing (HTML, Allure, results.json). */
  reportersMs: number | null;
  /** The summary's last line → "Reports:": scripts/report.ts (tsx start + Allure single file). */
  reportStepMs: number | null;
  /** Step timings from the Allure results (ms), summed over tests, slowest first. */
  steps: Array<{ name: string; count: number; totalMs: number }>;
  /** The slowest tests (ms). */
  tests: Array<{ name: string; ms: number }>;
}

interface TimedLine {
  atMs: number;
  text: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are control characters by definition.
const ANSI = /\u001b\[[0-9;]*m/g;

function firstAt(lines: readonly TimedLine[], re: RegExp, from = 0): number | null {
  for (const l of lines) if (l.atMs >= from && re.test(l.text)) return l.atMs;
  return null;
}

function lastAt(lines: readonly TimedLine[], re: RegExp): number | null {
  let at: number | null = null;
  for (const l of lines) if (re.test(l.text)) at = l.atMs;
  return at;
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);

/** Runs repro with the given reports dir and a deadline; a run past the deadline is killed (its group). */
export async function runRepro(reportsDir: string, timeoutMs: number): Promise<{ code: number | null; lines: TimedLine[]; totalMs: number }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(REPORTS_DIR|TWIN_FAULT|TEST_|PW_|PLAYWRIGHT_)/.test(k)) env[k] = v;
  env.REPORTS_DIR = reportsDir;
  const t0 = performance.now();
  const lines: TimedLine[] = [];
  let partial = '';
  const onStdout = (text: string) => {
    const atMs = performance.now() - t0;
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push({ atMs, text: line.replace(ANSI, '') });
  };
  // As package.json's "repro" script starts it.
  const repro = [path.join(ROOT, 'scripts', 'launch.cjs'), 'repro'];
  const run = await runWithDeadline(process.execPath, repro, { cwd: ROOT, env, group: true, timeoutMs, onStdout });
  if (run.timedOut) throw new Error(`npm run repro did not finish within ${timeoutMs} ms`);
  if (partial) lines.push({ atMs: performance.now() - t0, text: partial });
  return { code: run.code, lines, totalMs: performance.now() - t0 };
}

interface AllureStep {
  name: string;
  start: number;
  stop: number;
  steps?: AllureStep[];
}

/** Steps (two levels deep, so fixtures inside Before Hooks count) summed by name, and test durations. */
export function allureTimings(resultsDir: string): Pick<SuitePhases, 'steps' | 'tests'> {
  const steps = new Map<string, { count: number; totalMs: number }>();
  const tests: Array<{ name: string; ms: number }> = [];
  const files = fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir).filter((f) => f.endsWith('-result.json')) : [];
  const add = (list: AllureStep[] | undefined, depth: number) => {
    for (const s of list ?? []) {
      // Hooks are containers; what costs is inside them.
      if (!/^(Before|After) Hooks$/.test(s.name)) {
        const entry = steps.get(s.name) ?? { count: 0, totalMs: 0 };
        entry.count += 1;
        entry.totalMs += s.stop - s.start;
        steps.set(s.name, entry);
      }
      if (depth < 1) add(s.steps, depth + 1);
    }
  };
  for (const file of files) {
    const result = JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8')) as AllureStep;
    tests.push({ name: result.name, ms: result.stop - result.start });
    add(result.steps, 0);
  }
  return {
    steps: [...steps].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.totalMs - a.totalMs),
    tests: tests.sort((a, b) => b.ms - a.ms),
  };
}

export async function measureSuite(reportsDir: string, timeoutMs: number): Promise<SuitePhases> {
  const run = await runRepro(reportsDir, timeoutMs);
  const lines = run.lines;
  const running = firstAt(lines, /^Running \d+ tests? using/);
  const firstResult = running === null ? null : firstAt(lines, /^\s+(✓|✘|-|ok|x)\s+1 /, running);
  const passedLine = lastAt(lines, /^\s+\d+ (passed|failed|flaky)\b.*\(/);
  const summaryEnd = lastAt(lines, /^tests: \d+ passed/);
  const reportsLine = lastAt(lines, /^Reports:$/);
  return {
    exitCode: run.code,
    totalMs: run.totalMs,
    runnerStartMs: running,
    firstResultMs: diff(running, firstResult),
    scenariosMs: diff(running, passedLine),
    reportersMs: diff(passedLine, summaryEnd),
    reportStepMs: diff(summaryEnd, reportsLine),
    ...allureTimings(path.join(reportsDir, 'allure-results')),
  };
}
