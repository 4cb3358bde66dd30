// Runs one of the operator's scripts as the operator would, with a deadline: a script that
// hangs fails the test with what it printed so far instead of hanging the suite.
import path from 'node:path';
import { runWithDeadline } from '../../scripts/run-with-deadline';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Send `signal` to the script as soon as its stdout shows `text` (an operator's Ctrl-C at that moment). */
export interface SignalWhen {
  text: string;
  signal: NodeJS.Signals;
}

/** Process groups still running; killed if this worker exits first (e.g. an outer test timed out). */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export async function runScript(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000, signalWhen?: SignalWhen): Promise<ScriptRun> {
  let pid: number | undefined;
  let signalled = false;
  let seen = '';
  try {
    // Its own process group, so a deadline kills the script's children too (Playwright, the twin).
    const run = await runWithDeadline(command, args, {
      cwd: ROOT,
      env,
      timeoutMs,
      group: true,
      onSpawn: (child) => {
        pid = child.pid;
        if (pid) running.add(pid);
      },
      onStdout: (text, child) => {
        seen += text;
        if (signalWhen && !signalled && seen.includes(signalWhen.text)) {
          signalled = true;
          child.kill(signalWhen.signal);
        }
      },
    });
    if (run.timedOut) {
      throw new Error(`${path.basename(args[args.length - 1] ?? command)} did not exit within ${timeoutMs} ms\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
    }
    return { code: run.code, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
  } finally {
    if (pid) running.delete(pid);
  }
}

/** The parent's environment minus what would steer the script: no stray env dir, reports, browser or parent run's twins. */
export function cleanEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(ENVIRONMENTS_DIR|REPORTS_DIR|CHROMIUM_PATH|TWIN_FAULT|SUITE_WORKERS|TEST_|PW_|PLAYWRIGHT_|WS_AUTH_REPRO_)/.test(key)) env[key] = value;
  }
  // One worker per nested suite: the self-tests run up to three suites at a time on two cores.
  return { ...env, SUITE_WORKERS: '1', ...overrides };
}
