// Full local runs of the suite (`npm run repro`, healthy twin or one fault), each at most once per
// worker: the fault matrix, the exit-code tests and the redaction scan need the same healthy and
// missing-auth-url runs,
// and a full run costs 20–60 s on a 2-core machine. Those files share the selftest-matrix project
// (one worker), so they share this cache. Within the worker, runs queue here in the order asked
// (the matrix asks slowest first); across workers, nested-slots.ts caps the runs at once.
import fs from 'node:fs';
import path from 'node:path';
import type { TestInfo } from '@playwright/test';
import { loadEnvironment } from '../../../environments/load';
import { SECRET_VARIABLES } from '../../../environments/schema';
import type { ResultsFile } from '../../../helpers/reporting/results-file';
import { flavourEnvironmentsDir } from './flavour-env';
import { NESTED_SLOTS } from './nested-slots';
import { accessClaims, signHs256 } from '../../../helpers/tokens/token-source-mint';
import { ROOT } from '../../support/run-script';
import { runRepro, type SuiteRun } from './run-suite';

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
  /** Only the #631 test (its headline and ramp), not the whole suite. */
  headlineOnly?: boolean;
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
  const flavour = opts.flavour ?? 'node';
  const key = `${fault}@${flavour}${opts.headlineOnly ? '-headline' : ''}`;
  let run = runs.get(key);
  if (!run) {
    const envDir = flavourEnvironmentsDir(flavour, testInfo.outputPath(`env-${flavour}`));
    const scanned = flavour === 'node' && !opts.headlineOnly && SCANNED_FAULTS.includes(fault);
    run = (scanned ? scannedRunToken() : Promise.resolve(null)).then((token) =>
      inSlot(() =>
        runRepro(testInfo, `full-${key}`, {
          ...(fault === 'healthy' ? {} : { fault }),
          env: {
            ...(flavour === 'node' ? {} : { TWIN_FLAVOUR: flavour }),
            ...(envDir ? { ENVIRONMENTS_DIR: envDir } : {}),
            ...(token ? { LOCAL_TOKEN_SOURCE: 'static', LOCAL_STATIC_TOKEN: token } : {}),
          },
          args: [...(opts.headlineOnly ? ['--grep', 'reproduce issue #631'] : []), ...(scanned ? [] : ['--trace', 'off'])],
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
 * The #631 test against several faults of one flavour in ONE `npm run repro`: an environment file
 * per fault (the flavour's local.env plus TWIN_FAULT=<fault>), each its own project with its own
 * twin, as an operator who keeps one env per target runs them side by side. One runner start and
 * one report for all, instead of one per fault (~5 s each); each fault's #631 test still runs
 * alone against its own twin (NAME:load, one worker).
 */
export function headlineGroupRun(testInfo: TestInfo, flavour: string, faults: readonly string[]): Promise<SuiteRun> {
  const key = `headlines@${flavour}:${faults.join(',')}`;
  let run = runs.get(key);
  if (!run) {
    const base = flavourEnvironmentsDir(flavour, testInfo.outputPath(`env-${flavour}`)) ?? path.join(ROOT, 'environments');
    // Only local.env may hold the twin's throwaway secrets: each fault's go to its NAME.local.env.
    const lines = fs.readFileSync(path.join(base, 'local.env'), 'utf8').split('\n');
    const isSecret = (line: string) => SECRET_VARIABLES.some((key) => line.startsWith(`${key}=`));
    const dir = testInfo.outputPath(`env-headlines-${flavour}`);
    fs.mkdirSync(dir, { recursive: true });
    for (const fault of faults) {
      fs.writeFileSync(path.join(dir, `${fault}.env`), `${lines.filter((l) => !isSecret(l)).join('\n')}\nTWIN_FAULT=${fault}\n`);
      fs.writeFileSync(path.join(dir, `${fault}.local.env`), `${lines.filter(isSecret).join('\n')}\n`);
    }
    run = inSlot(() =>
      runRepro(testInfo, `headlines@${flavour}`, {
        env: { ...(flavour === 'node' ? {} : { TWIN_FLAVOUR: flavour }), ENVIRONMENTS_DIR: dir },
        args: [...faults.map((fault) => `--project=${fault}`), '--grep', 'reproduce issue #631', '--trace', 'off'],
        timeoutMs: FULL_RUN_TIMEOUT_MS,
        yielding: true,
      }),
    );
    runs.set(key, run);
  }
  return run;
}

/** One environment's part of a run's results (the project of a headline group run). */
export function resultsOf(results: ResultsFile | null, environment: string): ResultsFile | null {
  return results && { ...results, tests: results.tests.filter((t) => t.project === environment) };
}
