// `npm run repro [-- --project=NAME …]`: the operator's one command. Validates the environments
// and the browser BEFORE anything runs or is deleted, runs the scenarios, always builds the
// reports, and exits with the policy of exit-codes.ts (0 green, 1 target failing, 2 suite error).
//
//   --project=NAME        an environment (environments/NAME.env); default `local`; repeatable
//   --merge-reports=DIR   instead of running tests, merge the blob reports in DIR (sharded CI)
//   anything else         passed to `playwright test` as is (e.g. --grep, --repeat-each)
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, type LoadedEnvironment, loadEnvironmentSet } from '../environments/load';
import { resolveChromium } from '../helpers/browser-path';
import { resolveTarget } from '../helpers/resolve-target';
import { type ResultsFile, resultsFileSchema } from '../helpers/reporting/results-file';
import { EXIT, type ExitCode, exitDecision } from './exit-codes';

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_PROJECT = 'local';
/** What a run writes in REPORTS_DIR; everything else there (history/ for Allure trends) survives. */
export const RUN_OUTPUTS = ['html', 'allure-results', 'allure-report', 'results.json', 'summary.md'] as const;
/** The report step is local file work (~1–2 s); past this it is stuck, not slow. */
const REPORT_STEP_TIMEOUT_MS = 120_000;

export interface ReproArgs {
  projects: string[];
  /** Blob-report directory to merge instead of running tests; null for a normal run. */
  mergeFrom: string | null;
  passThrough: string[];
  help: boolean;
}

export function parseArgs(argv: readonly string[]): ReproArgs {
  const projects: string[] = [];
  const passThrough: string[] = [];
  let mergeFrom: string | null = null;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = splitFlag(arg);
    if (flag === '--project' || flag === '-p') {
      const value = inline ?? argv[++i];
      if (value) projects.push(...value.split(',').filter(Boolean));
    } else if (flag === '--merge-reports') {
      mergeFrom = inline ?? argv[++i] ?? null;
    } else if (arg === '--help' || arg === '-h') {
      help = true;
    } else {
      passThrough.push(arg);
    }
  }
  return { projects: projects.length > 0 ? [...new Set(projects)] : [DEFAULT_PROJECT], mergeFrom, passThrough, help };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq > 0 && arg.startsWith('-') ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

/** Deletes the previous run's outputs, keeping the Allure history. */
export function cleanRunOutputs(reportsDir: string): void {
  for (const name of RUN_OUTPUTS) fs.rmSync(path.join(reportsDir, name), { recursive: true, force: true });
}

function readResults(reportsDir: string): ResultsFile | null {
  const file = path.join(reportsDir, 'results.json');
  if (!fs.existsSync(file)) return null;
  try {
    const parsed = resultsFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
    console.error(`repro: ${file} does not match the results schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  } catch (error) {
    console.error(`repro: ${file} is not readable JSON: ${(error as Error).message}`);
  }
  return null;
}

const USAGE = `Usage: npm run repro [-- --project=NAME …] [playwright test options]
  --project=NAME        environment to run (environments/NAME.env); default ${DEFAULT_PROJECT}; repeatable
  --merge-reports=DIR   merge the blob reports in DIR (sharded CI) instead of running tests
Exit codes: 0 all green, 1 target failing, 2 suite or configuration error, 3 refusals under load only.`;

const CODE_LABEL: Record<ExitCode, string> = { 0: 'all green', 1: 'target failing', 2: 'suite or configuration error', 3: 'refusals under load (no page)' };

async function main(argv: readonly string[]): Promise<ExitCode> {
  watchInterrupts();
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return EXIT.green;
  }

  // 1. Environments first: a bad file stops the run before Playwright starts or reports/ is touched.
  // Only a broken env this run selects stops it (a merge selects them all); another one is a warning.
  let environments: LoadedEnvironment[];
  try {
    const set = loadEnvironmentSet();
    const fatal = [...set.broken].filter(([name]) => args.mergeFrom || args.projects.includes(name));
    if (set.general.length > 0 || fatal.length > 0) throw new EnvironmentError([...set.general, ...fatal.flatMap(([, problems]) => problems)]);
    for (const [name, problems] of set.broken) {
      console.warn(`Warning: environment "${name}" is not selected and has ${problems.length} problem(s); run --project=${name} to see them.`);
    }
    environments = set.loaded;
  } catch (error) {
    console.error((error as Error).message);
    return EXIT.suiteError;
  }
  const names = environments.map((env) => env.name);
  if (!args.mergeFrom) {
    const unknown = args.projects.filter((p) => !names.includes(p));
    if (unknown.length > 0) {
      const available = names.length > 0 ? names.join(', ') : '(none: add environments/NAME.env)';
      console.error(`Unknown project ${unknown.map((u) => `"${u}"`).join(', ')}: available environments are ${available}.`);
      return EXIT.suiteError;
    }
    // The target fixture's own check (production guard, endpoints, CA_FILE), made here too so a
    // refused target stops the run before Playwright starts. An embedded twin's URLs exist only
    // once it runs (always loopback): the fixture checks those.
    for (const env of environments.filter((e) => args.projects.includes(e.name) && e.settings.TWIN === 'off')) {
      try {
        resolveTarget(env.name, env.settings);
      } catch (error) {
        console.error((error as Error).message);
        return EXIT.suiteError;
      }
    }
  }

  // 2. The browser.
  try {
    resolveChromium();
  } catch (error) {
    console.error((error as Error).message);
    return EXIT.suiteError;
  }

  if (interruption.signal) {
    console.error('repro: interrupted before the run started.');
    return EXIT.suiteError;
  }
  // 3. Only now is it safe to drop the previous run's outputs.
  const reportsDir = path.resolve(process.env.REPORTS_DIR ?? 'reports');
  cleanRunOutputs(reportsDir);
  const env = { ...process.env, REPORTS_DIR: reportsDir };

  // 4. The run (or the merge of a sharded run), then always the report step.
  const playwrightCli = require.resolve('@playwright/test/cli');
  const runnerArgs = args.mergeFrom
    ? ['merge-reports', '--config', path.join(ROOT, 'playwright.config.ts'), path.resolve(args.mergeFrom)]
    : ['test', ...args.projects.map((p) => `--project=${p}`), ...args.passThrough];
  const runner = await runChild(process.execPath, [playwrightCli, ...runnerArgs], env, null);
  if (interruption.signal) {
    console.error('repro: interrupted; the reports are partial and were not rebuilt.');
    return EXIT.suiteError;
  }

  const reportScript = path.join(ROOT, 'scripts', 'report.ts');
  const report = fs.existsSync(reportScript)
    ? await runChild(process.execPath, ['--import', 'tsx', reportScript], env, REPORT_STEP_TIMEOUT_MS)
    : { code: -1, timedOut: false };
  printReportLocations(reportsDir);
  if (interruption.signal) {
    console.error('repro: interrupted during the report step.');
    return EXIT.suiteError;
  }
  if (report.code !== 0) {
    const why = report.timedOut ? `timed out after ${REPORT_STEP_TIMEOUT_MS / 1000} s` : report.code === -1 ? 'is missing or could not start' : `exited with ${report.code}`;
    console.error(`repro: the report step (scripts/report.ts) ${why}; the reports are incomplete.`);
    return EXIT.suiteError;
  }

  const decision = exitDecision(readResults(reportsDir), runner.code);
  console.log(`repro: exit ${decision.code} (${CODE_LABEL[decision.code]}): ${decision.reason}`);
  return decision.code;
}

function printReportLocations(reportsDir: string): void {
  const entries: [string, string][] = [
    ['summary', 'summary.md'],
    ['results', 'results.json'],
    ['html', path.join('html', 'index.html')],
    ['allure', path.join('allure-report', 'index.html')],
  ];
  const present = entries.filter(([, rel]) => fs.existsSync(path.join(reportsDir, rel)));
  if (present.length === 0) {
    console.log(`repro: no reports were written in ${display(reportsDir)}`);
    return;
  }
  console.log('Reports:');
  for (const [label, rel] of present) console.log(`  ${label.padEnd(8)} ${display(path.join(reportsDir, rel))}`);
}

/** Relative to where the operator stands when that is shorter, else absolute. */
function display(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

interface ChildResult {
  /** Exit status; 128 + signal number when a signal ended it; -1 when it could not start. */
  code: number;
  timedOut: boolean;
}

/** Ctrl-C (or a CI cancel) at any point: remembered, and forwarded to the running child if any. */
const interruption: { signal: NodeJS.Signals | null; child: ChildProcess | null } = { signal: null, child: null };

function watchInterrupts(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      interruption.signal = signal;
      interruption.child?.kill(signal);
    });
  }
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * Runs a child with the terminal's stdio. It gets its own process group so that a Ctrl-C
 * reaches it exactly once, from us: Playwright treats a second SIGINT as "stop now".
 */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number | null): Promise<ChildResult> {
  return new Promise((resolve) => {
    let timedOut = false;
    const child: ChildProcess = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit', detached: true });
    interruption.child = child;
    const timer =
      timeoutMs === null
        ? null
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeoutMs);
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      interruption.child = null;
      resolve({ code, timedOut });
    };
    child.once('error', (error) => {
      console.error(`repro: could not start ${path.basename(args[0] ?? command)}: ${error.message}`);
      finish(-1);
    });
    child.once('exit', (code, signal) => finish(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0)));
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`repro: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(EXIT.suiteError);
    },
  );
}
