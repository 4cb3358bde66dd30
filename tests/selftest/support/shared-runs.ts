// Local runs of the suite (`npm run repro`) shared within the worker: one environment alone
// (healthy twin or one fault), or several faults' environments side by side in one run
// (groupRun). The fault matrix, the exit-code tests, the load-isolation tests and the redaction
// scan need the same healthy, missing-auth-url and overloaded runs, and a run costs 15–90 s on a
// 2-core machine. Those tests share the selftest-matrix project (one worker), so they share this
// cache. Within the worker, runs queue here in the order asked (the matrix asks the longest
// first); across workers, nested-slots.ts caps the runs at once. Tests that read these runs are
// tagged MATRIX_RUNS; playwright.config.ts puts exactly those in the one selftest-matrix worker.
import fs from 'node:fs';
import path from 'node:path';
import type { TestInfo } from '@playwright/test';
import { loadEnvironment } from '../../../environments/load';
import type { ResultsFile } from '../../../helpers/reporting/results-file';
import { writeEnvPair } from './env-pair';
import { flavourEnvironmentsDir } from './flavour-env';
import { NESTED_SLOTS, withNestedSlot } from './nested-slots';
import { accessClaims, signHs256 } from '../../../helpers/tokens/token-source-mint';
import { cleanEnv, ROOT, runScript } from '../../support/run-script';
import { runRepro, type SuiteRun } from './run-suite';
import { exitDecision } from '../../../scripts/exit-codes';

/**
 * The tag of every test that reads these runs: playwright.config.ts gives the tagged tests one
 * worker of their own (the selftest-matrix project), so they share this cache.
 */
export const MATRIX_RUNS = { tag: '@matrix-runs' };

/** A test that reads these runs without the tag would run in another worker and repeat them, silently. */
function assertTagged(testInfo: TestInfo): void {
  if (!testInfo.tags.includes(MATRIX_RUNS.tag)) throw new Error(`"${testInfo.title}" reads the shared runs: give it the ${MATRIX_RUNS.tag} tag (MATRIX_RUNS)`);
}

/** Nested runs this worker starts at once (the cross-worker cap is nested-slots.ts's). */
export const NESTED_RUNS_AT_ONCE = NESTED_SLOTS;
/** A faulty run fails many tests, and Playwright restarts its worker (twin, browser) after each: `hang` takes ~4 min under load. */
export const FULL_RUN_TIMEOUT_MS = 420_000;

const runs = new Map<string, Promise<SuiteRun>>();
let active = 0;
const waiting: Array<() => void> = [];

/** Runs `work` (one nested run) once fewer than NESTED_RUNS_AT_ONCE are running. */
export async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  while (active >= NESTED_RUNS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await work();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

export interface MatrixRunOptions {
  /** TWIN_FLAVOUR; default node. */
  flavour?: string;
}

/**
 * The runs the redaction test scans (no-secret-in-run-outputs.spec.ts): the whole suite against
 * the healthy and the #631 twin under the node flavour. They take their valid token as
 * TOKEN_SOURCE=static, minted here once, so the scan knows the exact token to look for, and they
 * keep the default trace mode (traces are among the files scanned).
 */
export const SCANNED_FAULTS: readonly string[] = ['healthy', 'missing-auth-url'];
/** The scanned runs may start minutes after the token is minted (the matrix queues ~20 runs). */
const SCANNED_TOKEN_LIFETIME_SECONDS = 2 * 3600;

let scannedToken: Promise<string> | null = null;

/** The valid token the scanned runs use (HS256 with local.env's throwaway secret, as mint does). */
export function scannedRunToken(): Promise<string> {
  scannedToken ??= (async () => {
    const local = loadEnvironment('local', path.join(ROOT, 'environments'), {}).settings;
    if (!local.JWT_SECRET) throw new Error('environments/local.env must set JWT_SECRET: the scanned runs mint their static token with it');
    const now = Math.floor(Date.now() / 1000);
    return signHs256({ ...accessClaims(local, now), exp: now + SCANNED_TOKEN_LIFETIME_SECONDS }, local.JWT_SECRET);
  })();
  return scannedToken;
}

/**
 * The run of the local project against the twin with `fault` ('healthy': none), shared within the
 * worker. The matrix judges outcomes, verdicts and exit codes, never traces: every run but the
 * scanned ones records none (`--trace off`, as an operator may pass it), which saves Chromium's
 * screencast and the trace scrub in each browser test (~2 core-s a healthy run).
 */
export function fullRun(testInfo: TestInfo, fault: string, opts: MatrixRunOptions = {}): Promise<SuiteRun> {
  assertTagged(testInfo);
  const flavour = opts.flavour ?? 'node';
  const key = `${fault}@${flavour}`;
  let run = runs.get(key);
  if (!run) {
    const envDir = flavourEnvironmentsDir(flavour, testInfo.outputPath(`env-${flavour}`));
    const scanned = flavour === 'node' && SCANNED_FAULTS.includes(fault);
    run = (scanned ? scannedRunToken() : Promise.resolve(null)).then((token) =>
      inSlot(() =>
        runRepro(testInfo, `full-${key}`, {
          ...(fault === 'healthy' ? {} : { fault }),
          env: {
            ...(flavour === 'node' ? {} : { TWIN_FLAVOUR: flavour }),
            ...(envDir ? { ENVIRONMENTS_DIR: envDir } : {}),
            ...(token ? { LOCAL_TOKEN_SOURCE: 'static', LOCAL_STATIC_TOKEN: token } : {}),
          },
          args: scanned ? [] : ['--trace', 'off', '--no-allure'],
          timeoutMs: FULL_RUN_TIMEOUT_MS,
          yielding: true,
        }),
      ),
    );
    runs.set(key, run);
  }
  return run;
}

/**
 * Several faults of one flavour in ONE `npm run repro`: an environment file per fault (the
 * flavour's local.env plus TWIN_FAULT=<fault>), each its own project with its own twin, as an
 * operator who keeps one env per target runs them side by side. One runner start, one report step
 * and one repro process for all (~4.4 core-s a run in the last profile), instead of one per fault;
 * each fault's tests still run against its own twin, and its #631 test alone after them
 * (NAME:load). `headlineOnly`: each fault's #631 test only (`--grep`).
 */
export function groupRun(testInfo: TestInfo, flavour: string, faults: readonly string[], opts: { headlineOnly?: boolean } = {}): Promise<SuiteRun> {
  assertTagged(testInfo);
  const kind = opts.headlineOnly ? 'headlines' : 'suites';
  const key = `${kind}@${flavour}:${faults.join(',')}`;
  let run = runs.get(key);
  if (!run) {
    // The first fault names the group: no two groups of one kind and flavour share it.
    const name = `${kind}@${flavour}-${faults[0]}`;
    const base = flavourEnvironmentsDir(flavour, testInfo.outputPath(`env-${flavour}`)) ?? path.join(ROOT, 'environments');
    const text = fs.readFileSync(path.join(base, 'local.env'), 'utf8');
    const dir = testInfo.outputPath(`env-${name}`);
    for (const fault of faults) writeEnvPair(dir, fault, `${text}\nTWIN_FAULT=${fault}\n`);
    run = inSlot(() =>
      runRepro(testInfo, name, {
        env: { ...(flavour === 'node' ? {} : { TWIN_FLAVOUR: flavour }), ENVIRONMENTS_DIR: dir },
        args: [...faults.map((fault) => `--project=${fault}`), ...(opts.headlineOnly ? ['--grep', 'reproduce issue #631'] : []), '--trace', 'off', '--no-allure'],
        // One worker runs the faults one after another: a run's budget per fault.
        timeoutMs: FULL_RUN_TIMEOUT_MS * (opts.headlineOnly ? 1 : faults.length),
        yielding: true,
      }),
    );
    runs.set(key, run);
  }
  return run;
}

/** Shards of the sharded run (sharding.spec.ts). */
export const SHARDS = 2;
let shardBlobs: Promise<string> | null = null;

/**
 * The local suite split into SHARDS blob-only shards with the scheduled workflow's own command line,
 * each with its own blob folder (as on separate machines), their blobs gathered into one folder,
 * whose path this resolves to. Shared like the runs above, so the fault matrix queues the shards
 * among its own runs instead of sharding.spec.ts starting them after the matrix has ended.
 */
export function shardedBlobs(testInfo: TestInfo): Promise<string> {
  assertTagged(testInfo);
  shardBlobs ??= (async () => {
    const mergeDir = testInfo.outputPath('all-blob-reports');
    fs.mkdirSync(mergeDir, { recursive: true });
    const shard = (index: number) =>
      inSlot(async () => {
        const dir = testInfo.outputPath(`shard-${index}`);
        const args = [require.resolve('@playwright/test/cli'), 'test', '--project=local', '--fully-parallel', `--shard=${index}/${SHARDS}`, '--reporter=blob'];
        const env = cleanEnv({ REPORTS_DIR: path.join(dir, 'reports'), PLAYWRIGHT_BLOB_OUTPUT_DIR: path.join(dir, 'blob-report') });
        // A nested run like the others: it holds one of the slots shared across workers.
        const run = await withNestedSlot(testInfo, () => runScript(process.execPath, args, env, FULL_RUN_TIMEOUT_MS), { yielding: true });
        if (run.code !== 0) throw new Error(`shard ${index} exited ${run.code}: ${run.stderr}`);
        const blobs = fs.readdirSync(path.join(dir, 'blob-report')).filter((f) => f.endsWith('.zip'));
        if (blobs.length !== 1) throw new Error(`shard ${index} wrote ${blobs.length} blobs, expected one`);
        for (const blob of blobs) fs.copyFileSync(path.join(dir, 'blob-report', blob), path.join(mergeDir, blob));
      });
    await Promise.all(Array.from({ length: SHARDS }, (_, i) => shard(i + 1)));
    return mergeDir;
  })();
  return shardBlobs;
}

/** One environment's part of a group run's results: its tests, and the status and counts they make. */
export function resultsOf(results: ResultsFile | null, environment: string): ResultsFile | null {
  if (!results) return null;
  const tests = results.tests.filter((t) => t.project === environment);
  const count = (...outcomes: string[]) => tests.filter((t) => outcomes.includes(t.outcome)).length;
  const failed = count('failed', 'timedOut');
  return {
    ...results,
    status: failed > 0 ? 'failed' : results.status === 'interrupted' ? 'interrupted' : 'passed',
    environments: [environment],
    counts: { passed: count('passed'), failed, skipped: count('skipped'), flaky: tests.filter((t) => t.flaky).length },
    causes: results.causes
      .map(({ cause }) => ({ cause, tests: tests.filter((t) => ['failed', 'timedOut'].includes(t.outcome) && t.verdict?.cause === cause).length }))
      .filter((c) => c.tests > 0)
      .sort((a, b) => b.tests - a.tests),
    tests,
  };
}

/**
 * What `npm run repro` against this part alone would have exited with: scripts/exit-codes.ts's
 * policy on its results, with the runner's status Playwright gives such a run (1 when a test
 * failed, else 0). The policy itself is checked end to end by the runs that stay alone.
 */
export function exitCodeOfPart(part: ResultsFile): number {
  return exitDecision(part, part.counts.failed > 0 ? 1 : 0).code;
}
