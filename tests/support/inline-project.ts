// Runs a tiny Playwright project written into a temp dir, with the real runner of this repo,
// for tests of reporters and report generation. Not a spec: a helper of the reporting specs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runWithDeadline } from '../../scripts/run-with-deadline';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PLAYWRIGHT_CLI = path.join(REPO_ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
/** Whole inner run: the runner's start (~2 s) plus a few trivial tests. */
const RUN_TIMEOUT_MS = 60_000;

/** A module of this repo, as an absolute import specifier for files in the temp dir. */
export function repoModule(relative: string): string {
  return JSON.stringify(path.join(REPO_ROOT, relative));
}

export interface RunOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The parent run's worker variables would confuse a nested runner. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(TEST_|PW_|PLAYWRIGHT_|WS_AUTH_REPRO_)/.test(k) && k !== 'PLAYWRIGHT_BROWSERS_PATH') continue;
    if (k === 'CI' || k === 'REPORTS_DIR') continue;
    env[k] = v;
  }
  return { ...env, FORCE_COLOR: '0', ...extra };
}

export async function runPlaywright(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunOutput> {
  const run = await runWithDeadline(process.execPath, [PLAYWRIGHT_CLI, ...args], { cwd, env: childEnv(env), timeoutMs: RUN_TIMEOUT_MS });
  if (run.timedOut) throw new Error(`playwright ${args.join(' ')} did not finish within ${RUN_TIMEOUT_MS} ms\n${run.stdout}\n${run.stderr}`);
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
}

/** A fresh temp dir holding the given files (paths relative to it). */
export function writeProject(files: Record<string, string>, base = path.join(os.tmpdir(), 'helper-f1')): string {
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, 'inline-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
