// Section 5 of the benchmark: `npm test` itself (unit + self-tests), run once as the README's test
// command runs it, into a scratch REPORTS_DIR. It names where the minutes go: each project's span,
// the nested `npm run repro` runs the self-tests start (from their "nested run NAME: exit N in S s"
// lines), grouped by kind, and the CPU the whole tree used (Linux: this process's reaped children).
import fs from 'node:fs';
import path from 'node:path';
import { readResultsFile } from '../helpers/reporting/results-file';
import { runWithDeadline } from './run-with-deadline';

const ROOT = path.resolve(__dirname, '..');

export interface NestedRun {
  name: string;
  exitCode: string;
  seconds: number;
}

export interface TestSuiteCost {
  exitCode: number | null;
  wallMs: number;
  /** user + sys of every process the run started, in core-seconds; null off Linux. */
  cpuSeconds: number | null;
  /**
   * Busy time of the whole machine over the run (/proc/stat: all but idle and iowait), in
   * core-seconds; null off Linux. cpuSeconds counts only processes reaped by their parents up to
   * this one, and misses what Chromium's zygote children and killed processes used: this does not.
   */
  machineBusySeconds: number | null;
  counts: { passed: number; failed: number; skipped: number } | null;
  /** Per project: first test start → last test end, and the sum of its tests' durations. */
  projects: Array<{ name: string; tests: number; spanMs: number; sumMs: number }>;
  nested: NestedRun[];
}

const NESTED_LINE = /^nested run (\S+): exit (\S+) in ([\d.]+) s$/;

/** The "nested run" lines the self-tests print as each run ends. */
export function nestedRuns(stdout: string): NestedRun[] {
  return stdout
    .split('\n')
    .map((line) => NESTED_LINE.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] as string, exitCode: m[2] as string, seconds: Number(m[3]) }));
}

/** What a nested run is for, by its name: a matrix row alone, a group of the matrix's whole suites, its #631 groups, or another self-test. */
export function nestedKind(name: string): 'matrix: whole suite, one fault' | 'matrix: whole suites, faults side by side' | 'matrix: #631 rows per flavour' | 'other self-tests' {
  if (name.startsWith('full-')) return 'matrix: whole suite, one fault';
  if (name.startsWith('suites@')) return 'matrix: whole suites, faults side by side';
  if (name.startsWith('headlines@')) return 'matrix: #631 rows per flavour';
  return 'other self-tests';
}

/** cutime + cstime of this process (children it has waited for, and theirs), in seconds. */
function childrenCpuSeconds(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; cutime, cstime are 16, 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks / 100 : null;
  } catch {
    return null;
  }
}

/** The machine's busy time so far (/proc/stat's first line: all fields but idle and iowait), in seconds. */
export function machineBusySeconds(stat: string | null = readProcStat()): number | null {
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/);
  if (fields?.[0] !== 'cpu') return null;
  const ticks = fields.slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((n) => !Number.isFinite(n))) return null;
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  // USER_HZ is 100 on every Linux that Node supports.
  return (ticks.reduce((a, b) => a + b, 0) - idle) / 100;
}

function readProcStat(): string | null {
  try {
    return fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
}

export async function measureTestSuite(reportsDir: string, timeoutMs: number): Promise<TestSuiteCost> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(REPORTS_DIR|TWIN_FAULT|TEST_|PW_|PLAYWRIGHT_)/.test(k)) env[k] = v;
  env.REPORTS_DIR = reportsDir;
  const cpuBefore = childrenCpuSeconds();
  const busyBefore = machineBusySeconds();
  const t0 = performance.now();
  // package.json's own "test" script (its workers and projects), as the README runs it.
  const run = await runWithDeadline('npm', ['test'], {
    cwd: ROOT,
    env,
    group: true,
    timeoutMs,
  });
  const wallMs = performance.now() - t0;
  if (run.timedOut) throw new Error(`npm test did not finish within ${timeoutMs / 1000} s`);
  const cpuAfter = childrenCpuSeconds();
  const busyAfter = machineBusySeconds();
  let results = null;
  try {
    results = readResultsFile(reportsDir);
  } catch {
    results = null;
  }
  const projects = new Map<string, { tests: number; start: number; end: number; sumMs: number }>();
  for (const t of results?.tests ?? []) {
    const start = t.startedAt ? Date.parse(t.startedAt) : Number.NaN;
    const p = projects.get(t.project) ?? { tests: 0, start: Number.POSITIVE_INFINITY, end: 0, sumMs: 0 };
    p.tests += 1;
    p.sumMs += t.durationMs;
    if (Number.isFinite(start)) {
      p.start = Math.min(p.start, start);
      p.end = Math.max(p.end, start + t.durationMs);
    }
    projects.set(t.project, p);
  }
  return {
    exitCode: run.code,
    wallMs,
    cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    machineBusySeconds: busyBefore === null || busyAfter === null ? null : busyAfter - busyBefore,
    counts: results ? { passed: results.counts.passed, failed: results.counts.failed, skipped: results.counts.skipped } : null,
    projects: [...projects].map(([name, p]) => ({ name, tests: p.tests, spanMs: Math.max(0, p.end - p.start), sumMs: p.sumMs })),
    nested: nestedRuns(run.stdout),
  };
}
