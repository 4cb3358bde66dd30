// Runs the real suite the way an operator does (`npm run repro`), in a directory of its own,
// and reads back what it wrote. The self-tests judge the suite by its exit code, results.json
// and reports — the same outputs a scheduler and a triager rely on.
import fs from 'node:fs';
import path from 'node:path';
import type { TestInfo } from '@playwright/test';
import { type ResultsFile, readResultsFile } from '../../../helpers/reporting/results-file';
import { cleanEnv, ROOT, runScript } from '../../support/run-script';
import { withNestedSlot } from './nested-slots';

export interface SuiteRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** null when the run wrote no results.json (configuration error, crash). */
  results: ResultsFile | null;
  reportsDir: string;
  /** Playwright's outputDir for the run (traces, screenshots). */
  testResultsDir: string;
}

export interface SuiteRunOptions {
  /** TWIN_FAULT for the embedded twin; omitted for the healthy twin. */
  fault?: string;
  /** Extra process variables (e.g. LOCAL_TOKEN_SOURCE, TWIN_TLS, ENVIRONMENTS_DIR). */
  env?: Record<string, string>;
  /** Arguments after `repro`, e.g. ['--project=local', '--grep', 'reproduce']. */
  args?: string[];
  timeoutMs?: number;
  /** Start only while no other self-test waits for a nested-run slot (nested-slots.ts): the matrix's queue. */
  yielding?: boolean;
  /**
   * The run is expected to stop at load (exit 2 before any test: ~1.5 core-s, 1–2 s). It takes no
   * slot: waiting a minute behind two fault-matrix rows for a run that costs a second only made
   * the serial self-tests the last to finish. Should it run tests after all, its test fails.
   */
  stopsAtLoad?: boolean;
}

/** How package.json's scripts start repro, report and open (from their bundle). */
export const LAUNCH = path.join(ROOT, 'scripts', 'launch.cjs');

/** `npm run repro` in a fresh directory under the test's output folder. */
export async function runRepro(testInfo: TestInfo, name: string, opts: SuiteRunOptions = {}): Promise<SuiteRun> {
  const workDir = testInfo.outputPath(name);
  const reportsDir = path.join(workDir, 'reports');
  fs.mkdirSync(reportsDir, { recursive: true });
  const env = cleanEnv({ REPORTS_DIR: reportsDir, ...(opts.fault ? { TWIN_FAULT: opts.fault } : {}), ...opts.env });
  // The clock starts once a slot is held: the line below reports the run, not the queue.
  const work = async () => {
    const started = performance.now();
    return { started, run: await runScript(process.execPath, [LAUNCH, 'repro', ...(opts.args ?? [])], env, opts.timeoutMs ?? 180_000) };
  };
  const { run, started } = opts.stopsAtLoad ? await work() : await withNestedSlot(testInfo, work, { yielding: opts.yielding });
  // One line per nested run as it ends: a fault-matrix row takes up to minutes, and the outer
  // list reporter shows a test's stdout as it comes, so the operator sees the rows go by.
  process.stdout.write(`nested run ${name}: exit ${run.code ?? run.signal ?? 'none'} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return { code: run.code, stdout: run.stdout, stderr: run.stderr, results: readResults(reportsDir), reportsDir, testResultsDir: path.join(workDir, 'test-results') };
}

export const readResults = readResultsFile;
