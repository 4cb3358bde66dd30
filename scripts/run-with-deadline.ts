// One child process with a deadline: how every script and test here runs another program (the
// runner, the report step, a bench arm, an operator's script). A run past its deadline is killed
// — with `group`, its whole process group, so Playwright's workers and the twin go too — and the
// promise settles at once with `timedOut`, without waiting for pipes a grandchild may hold open.
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';

export interface DeadlineOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** null: no deadline. */
  timeoutMs: number | null;
  /** 'pipe' (default): stdout and stderr are collected; 'inherit': the terminal's. */
  stdio?: 'pipe' | 'inherit';
  /** Its own process group (detached); the deadline kills the group, not only the child. */
  group?: boolean;
  /** The child once it is spawned (to forward a Ctrl-C, to remember its group). */
  onSpawn?: (child: ChildProcess) => void;
  /** Each chunk of stdout as it arrives. */
  onStdout?: (text: string, child: ChildProcess) => void;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr in the order they arrived. */
  output: string;
  /** The deadline passed: the child (or its group) was sent SIGKILL. */
  timedOut: boolean;
}

/** SIGKILL to the child's process group (when it has one) or to the child; a finished one is ignored. */
export function killChild(child: ChildProcess, group: boolean): void {
  try {
    if (group && child.pid) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/** Rejects only when the command cannot be started; a deadline resolves with `timedOut: true`. */
export function runWithDeadline(command: string, args: readonly string[], opts: DeadlineOptions): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const group = opts.group ?? false;
    const stdio: StdioOptions = opts.stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'];
    const child: ChildProcess = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio, detached: group });
    const run: ChildRun = { code: null, signal: null, stdout: '', stderr: '', output: '', timedOut: false };
    let timer: NodeJS.Timeout | null = null;
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      finish();
    };
    opts.onSpawn?.(child);
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      run.stdout += text;
      run.output += text;
      opts.onStdout?.(text, child);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      run.stderr += text;
      run.output += text;
    });
    if (opts.timeoutMs !== null) {
      timer = setTimeout(() => {
        run.timedOut = true;
        killChild(child, group);
        settle(() => resolve(run));
      }, opts.timeoutMs);
    }
    child.once('error', (error) => settle(() => reject(error)));
    child.once('close', (code, signal) => settle(() => resolve({ ...run, code, signal })));
  });
}
