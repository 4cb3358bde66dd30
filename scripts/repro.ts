// `npm run repro [-- --project=NAME …]`: the operator's one command. Validates the environments
// and the browser BEFORE anything runs or is deleted, runs the scenarios, always builds the
// reports, and exits with the policy of exit-codes.ts (0 green, 1 target failing, 2 suite error).
//
//   --project=NAME        an environment (environments/NAME.env); default `local`; repeatable
//   --merge-reports=DIR   instead of running tests, merge the blob reports in DIR (sharded CI)
//   --no-allure           skip the Allure single file (`npm run report` builds it later from allure-results)
//   anything else         passed to `playwright test` as is (e.g. --grep, --repeat-each)
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs as parseArgv } from 'node:util';
import { EnvironmentError, type LoadedEnvironment, loadEnvironmentSet } from '../environments/load';
import { ensureChromium } from '../helpers/target/browser-path';
import { resolveTarget } from '../helpers/target/resolve-target';
import { RESULTS_FILE_NAME, type ResultsFile, readResultsFile } from '../helpers/reporting/results-file';
import { cleanRunOutputs, RUN_OUTPUTS } from '../helpers/reporting/run-outputs';
import { EXIT, type ExitCode, exitDecision } from './exit-codes';
import { AllureGenerateError, generateAllureReport } from './report';
import { runWithDeadline } from './run-with-deadline';

export { cleanRunOutputs, RUN_OUTPUTS };

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_PROJECT = 'local';

export interface ReproArgs {
  projects: string[];
  /** Blob-report directory to merge instead of running tests; null for a normal run. */
  mergeFrom: string | null;
  passThrough: string[];
  /** Build the Allure single file after the run (the default; `--no-allure` skips it). */
  allure: boolean;
  help: boolean;
}

/**
 * Our own flags, by node:util's parser; every other token goes to `playwright test` untouched
 * and in order (`--grep 403` stays two tokens), which is why the parser runs non-strict with tokens.
 */
export function parseArgs(argv: readonly string[]): ReproArgs {
  const { values, tokens } = parseArgv({
    args: [...argv],
    options: {
      project: { type: 'string', short: 'p', multiple: true },
      'merge-reports': { type: 'string' },
      'no-allure': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const ours = new Set(['project', 'merge-reports', 'no-allure', 'help']);
  const passThrough: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option' && !ours.has(token.name)) passThrough.push(token.inlineValue ? `${token.rawName}=${token.value}` : token.rawName);
    else if (token.kind === 'positional') passThrough.push(token.value);
    else if (token.kind === 'option-terminator') passThrough.push('--');
  }
  const projects = (values.project ?? []).filter((p): p is string => typeof p === 'string').flatMap((p) => p.split(',').filter(Boolean));
  const merge = values['merge-reports'];
  return {
    projects: projects.length > 0 ? [...new Set(projects)] : [DEFAULT_PROJECT],
    mergeFrom: typeof merge === 'string' ? merge : null,
    passThrough,
    allure: values['no-allure'] !== true,
    help: values.help === true,
  };
}

/**
 * A shard of a sharded run (`--shard=i/N --reporter=blob`, as the README says): it writes only a
 * blob report, for the merge to turn into reports. Such a run leaves reports/ alone and skips the
 * report step; the merge (`--merge-reports=DIR`) judges the outcome.
 */
export function isBlobOnlyRun(passThrough: readonly string[]): boolean {
  return passThrough.some((arg, i) => arg === '--reporter=blob' || (arg === '--reporter' && passThrough[i + 1] === 'blob'));
}

/** Where a shard's blob goes: beside the reports (the merge job collects these), unless the operator chose. */
export function blobDir(reportsDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.PLAYWRIGHT_BLOB_OUTPUT_DIR ?? path.join(reportsDir, 'blob-report'));
}

function readResults(reportsDir: string): ResultsFile | null {
  try {
    return readResultsFile(reportsDir);
  } catch (error) {
    console.error(`repro: ${(error as Error).message}`);
    return null;
  }
}

const USAGE = `Usage: npm run repro [-- --project=NAME …] [playwright test options]
  --project=NAME        environment to run (environments/NAME.env); default ${DEFAULT_PROJECT}; repeatable
  --shard=i/N --reporter=blob
                        one shard of a sharded run: writes only <REPORTS_DIR>/blob-report/ (reports untouched)
  --merge-reports=DIR   merge the blob reports in DIR (sharded CI) instead of running tests
  --no-allure           skip the Allure single file (~2 s); \`npm run report\` builds it later from allure-results
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
    // A selected env that is broken stops the run; so does any broken one when no selected env
    // exists at all (then its problems are what the operator needs to read).
    const noneUsable = !args.mergeFrom && args.projects.some((p) => !set.loaded.some((e) => e.name === p) && !set.broken.has(p));
    const fatal = [...set.broken].filter(([name]) => args.mergeFrom || args.projects.includes(name) || noneUsable);
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

  // 2. The browser (whether there is one; the run chooses which).
  try {
    ensureChromium();
  } catch (error) {
    console.error((error as Error).message);
    return EXIT.suiteError;
  }

  if (interruption.signal) {
    console.error('repro: interrupted before the run started.');
    return EXIT.suiteError;
  }
  const reportsDir = path.resolve(process.env.REPORTS_DIR ?? 'reports');
  const env = { ...process.env, REPORTS_DIR: reportsDir };
  const playwrightCli = require.resolve('@playwright/test/cli');
  const projectArgs = args.projects.map((p) => `--project=${p}`);

  // 3a. A shard: only its blob, for the merge job.
  if (!args.mergeFrom && isBlobOnlyRun(args.passThrough)) {
    const blobs = blobDir(reportsDir);
    const shard = await runChild(process.execPath, [playwrightCli, 'test', ...projectArgs, ...args.passThrough], { ...env, PLAYWRIGHT_BLOB_OUTPUT_DIR: blobs }, null);
    if (interruption.signal) return EXIT.suiteError;
    const written = fs.existsSync(blobs) && fs.readdirSync(blobs).some((f) => f.endsWith('.zip'));
    if (!written) {
      console.error(`repro: the shard wrote no blob report in ${display(blobs)} (runner exit ${shard.code}).`);
      return EXIT.suiteError;
    }
    // Playwright exits 1 when a test failed: the target is failing in this shard. Anything else is the suite's.
    const code: ExitCode = shard.code === 0 ? EXIT.green : shard.code === 1 ? EXIT.targetFailing : EXIT.suiteError;
    console.log(`repro: shard blob written to ${display(blobs)}; after collecting every shard's blob in one folder: npm run repro -- --merge-reports=<folder>`);
    console.log(`repro: exit ${code} (${CODE_LABEL[code]}) for this shard; the merge gives the run's verdict.`);
    return code;
  }

  // 3b. The run (or the merge of a sharded run). The previous run's outputs are cleared by the
  // first reporter when the run has begun (helpers/reporting/run-outputs-reporter.ts), not here:
  // a run that cannot start leaves the last good reports in place.
  const previousResults = readResultsText(reportsDir);
  const runnerArgs = args.mergeFrom
    ? ['merge-reports', '--config', path.join(ROOT, 'playwright.config.ts'), path.resolve(args.mergeFrom)]
    : ['test', ...projectArgs, ...args.passThrough];
  const runner = await runChild(process.execPath, [playwrightCli, ...runnerArgs], env, null);
  if (interruption.signal) {
    console.error('repro: interrupted; the reports are partial and were not rebuilt.');
    return EXIT.suiteError;
  }
  if (!wroteNewResults(reportsDir, previousResults)) {
    // Nothing ran (config error, no tests matched, a merge with no blobs): the Allure step would
    // only rebuild the last run's report and append it to the history a second time.
    console.error(`repro: the run wrote no results (runner exit ${runner.code}); the previous reports were left as they were.`);
    return EXIT.suiteError;
  }

  // 4. The report step (unless --no-allure): npm run report's work, in this process (a second tsx
  // start cost ~0.5 s per run); the Allure CLI it runs has its own deadline.
  const report = args.allure ? await reportStep(reportsDir, env) : null;
  if (!args.allure) console.log('Allure report: skipped (--no-allure); `npm run report` builds it from allure-results.');
  printReportLocations(reportsDir);
  if (interruption.signal) {
    console.error('repro: interrupted during the report step.');
    return EXIT.suiteError;
  }
  if (report !== null) {
    console.error(`repro: the report step (npm run report) failed: ${report}; the reports are incomplete.`);
    return EXIT.suiteError;
  }

  const decision = exitDecision(readResults(reportsDir), runner.code);
  console.log(`repro: exit ${decision.code} (${CODE_LABEL[decision.code]}): ${decision.reason}`);
  return decision.code;
}

/** Builds the Allure single file as `npm run report` does; null when it worked, else why not. */
async function reportStep(reportsDir: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const r = await generateAllureReport({ reportsDir, env });
    console.log(`Allure report (single file): ${r.indexHtml}\nhistory: ${r.historyPath}\ngenerated in ${(r.ms / 1000).toFixed(1)} s`);
    return null;
  } catch (error) {
    if (error instanceof AllureGenerateError) console.error(error.output);
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether this run wrote results.json (the summary reporter writes it once a test has ended). */
function readResultsText(reportsDir: string): string | null {
  try {
    return fs.readFileSync(path.join(reportsDir, RESULTS_FILE_NAME), 'utf8');
  } catch {
    return null;
  }
}

/**
 * Did this run write results.json? Compared by content, not mtime: a file the previous run (or a
 * test) wrote a moment before this one started has an mtime no clock can tell apart, while every
 * real run's file differs (its startedAt, at least).
 */
function wroteNewResults(reportsDir: string, before: string | null): boolean {
  const now = readResultsText(reportsDir);
  return now !== null && now !== before;
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
async function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number | null): Promise<ChildResult> {
  try {
    const onSpawn = (child: ChildProcess) => {
      interruption.child = child;
    };
    const run = await runWithDeadline(command, args, { cwd: ROOT, env, stdio: 'inherit', group: true, timeoutMs, onSpawn });
    const signal = run.timedOut ? 'SIGKILL' : run.signal;
    return { code: run.code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0), timedOut: run.timedOut };
  } catch (error) {
    console.error(`repro: could not start ${path.basename(args[0] ?? command)}: ${error instanceof Error ? error.message : String(error)}`);
    return { code: -1, timedOut: false };
  } finally {
    interruption.child = null;
  }
}

/** The command: main, then exit with its code (scripts/launch.cjs calls this; so does running this file). */
export function cli(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`repro: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(EXIT.suiteError);
    },
  );
}

if (require.main === module) cli(process.argv.slice(2));
