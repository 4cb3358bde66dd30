// `npm run report`: the Allure 3 report of the last run, offline, as ONE self-contained
// <REPORTS_DIR>/allure-report/index.html (the form to share in triage). Categories come from
// CAUSES (written for allurerc.mjs first); the history file is kept for trends.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allureCategories } from '../helpers/reporting/allure-categories';
import { writeFileAtomic } from '../helpers/reporting/atomic-write';
import { runWithDeadline } from './run-with-deadline';

const REPO_ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(REPO_ROOT, 'allurerc.mjs');
const GENERATE_TIMEOUT_MS = 120_000;

/** Thrown when there is nothing to report; `code` is stable for callers (scripts/repro.ts). */
export class NoAllureResultsError extends Error {
  readonly code = 'ERR_NO_ALLURE_RESULTS';
  constructor(readonly resultsDir: string) {
    super(`No Allure results in ${resultsDir}: run the tests first (npm run repro), then npm run report.`);
    this.name = 'NoAllureResultsError';
  }
}

/** Thrown when the Allure CLI fails or overruns its deadline. */
export class AllureGenerateError extends Error {
  readonly code = 'ERR_ALLURE_GENERATE';
  constructor(message: string, readonly output: string) {
    super(message);
    this.name = 'AllureGenerateError';
  }
}

export interface ReportOptions {
  /** Defaults to $REPORTS_DIR, else `reports`. */
  reportsDir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ReportResult {
  indexHtml: string;
  historyPath: string;
  categoriesFile: string;
  ms: number;
}

function allureCli(): string {
  // `allure` exports only its ESM entry; its CLI sits next to it.
  return path.join(path.dirname(require.resolve('allure')), '..', 'cli.js');
}

function hasResults(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('-result.json'));
}

// Allure's single-file template defines window.allureReportData in a script placed AFTER the
// app's script; when the app renders first (a loaded machine), it finds no embedded data, falls
// back to fetching widgets/*.json, which file:// forbids, and shows an empty report (known
// upstream: allure-framework/allure3#329). Defining the object first makes the app take its
// embedded-data path, which waits for allureReportDataReady; the template keeps the object.
const EARLY_DATA = '<script>window.allureReportData = window.allureReportData || {};</script>';

export function makeSingleFileWaitForData(html: string): string {
  if (html.includes(EARLY_DATA) || !html.includes('allureReportDataReady')) return html;
  return html.replace(/<head[^>]*>/i, (head) => `${head}${EARLY_DATA}`);
}


export async function generateAllureReport(opts: ReportOptions = {}): Promise<ReportResult> {
  const started = performance.now();
  const env = opts.env ?? process.env;
  const reportsDir = path.resolve(opts.reportsDir ?? env.REPORTS_DIR ?? 'reports');
  const resultsDir = path.join(reportsDir, 'allure-results');
  if (!hasResults(resultsDir)) throw new NoAllureResultsError(resultsDir);

  const categoriesFile = path.join(reportsDir, '.allure', 'categories.json');
  writeFileAtomic(categoriesFile, `${JSON.stringify(allureCategories(), null, 2)}\n`);
  const historyPath = path.resolve(env.ALLURE_HISTORY_PATH ?? path.join(reportsDir, 'history', 'allure-history.jsonl'));
  mkdirSync(path.dirname(historyPath), { recursive: true });
  const outDir = path.join(reportsDir, 'allure-report');

  const { code, output, timedOut } = await runWithDeadline(process.execPath, [allureCli(), 'generate', resultsDir, '-c', CONFIG, '-o', outDir], {
    cwd: REPO_ROOT,
    env: { ...env, REPORTS_DIR: reportsDir, ALLURE_HISTORY_PATH: historyPath, NO_COLOR: '1' },
    timeoutMs: GENERATE_TIMEOUT_MS,
  });
  if (timedOut) throw new AllureGenerateError(`allure generate did not finish within ${GENERATE_TIMEOUT_MS} ms`, output);
  const indexHtml = path.join(outDir, 'index.html');
  if (code !== 0) throw new AllureGenerateError(`allure generate exited with ${code}`, output);
  if (!existsSync(indexHtml)) throw new AllureGenerateError(`allure generate wrote no ${indexHtml}`, output);
  writeFileAtomic(indexHtml, makeSingleFileWaitForData(readFileSync(indexHtml, 'utf8')));
  return { indexHtml, historyPath, categoriesFile, ms: Math.round(performance.now() - started) };
}

async function main(): Promise<number> {
  try {
    const r = await generateAllureReport();
    process.stdout.write(`Allure report (single file): ${r.indexHtml}\nhistory: ${r.historyPath}\ngenerated in ${(r.ms / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (error) {
    if (error instanceof AllureGenerateError) process.stderr.write(`${error.output}\n`);
    process.stderr.write(`report: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** The command (scripts/launch.cjs calls this; so does running this file). It takes no arguments. */
export function cli(_argv: string[]): void {
  void main().then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) cli(process.argv.slice(2));
