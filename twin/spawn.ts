// Runs the twin's CLI as a child process for the suite: its bundle on plain node (bundle.ts),
// else `node --import <tsx> twin/start.ts`, with absolute paths (so the caller's cwd does not matter), waits for the one JSON ready line
// with a deadline, and hands back the URLs and a stop() that always ends the child.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledTwin } from './bundle';

export interface SpawnedTwin {
  frontendUrl: string;
  backendUrl: string;
  authUrl: string;
  wsUrl: string;
  fault: string;
  /** The stack the twin presents as (TWIN_FLAVOUR; "node" by default). */
  flavour: string;
  caPem: string | null;
  spki: string | null;
  pid: number;
  /** The last lines the twin wrote to stderr (its log: no secrets), for failure messages. */
  stderrTail(): string;
  /** Ends stdin, sends SIGTERM, waits for the exit with a deadline, then SIGKILL. */
  stop(): Promise<void>;
}

/** Thrown when the twin did not become ready; the message carries the child's stderr tail. */
export class TwinSpawnError extends Error {
  readonly code = 'ERR_TWIN_SPAWN';
}

const START_SCRIPT = path.join(__dirname, 'start.ts');
const TAIL_CHARS = 4000;

/** The CLI's first stdout line: the twin's half of SpawnedTwin. */
type ReadyLine = { event: 'ready' } & Omit<SpawnedTwin, 'stderrTail' | 'stop'>;

function parseReady(line: string): ReadyLine | null {
  try {
    const data = JSON.parse(line) as Partial<ReadyLine>;
    if (data.event !== 'ready') return null;
    for (const key of ['frontendUrl', 'backendUrl', 'authUrl', 'wsUrl', 'fault', 'flavour'] as const) if (typeof data[key] !== 'string') return null;
    return data as ReadyLine;
  } catch {
    return null;
  }
}

function waitForExit(child: ChildProcessWithoutNullStreams, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

export async function spawnTwin(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<SpawnedTwin> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const bundle = bundledTwin();
  const args = bundle ? [bundle] : ['--import', pathToFileURL(require.resolve('tsx')).href, START_SCRIPT];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-TAIL_CHARS);
  });
  child.stdin.on('error', () => {});

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      child.stdin.end();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    })();
    return stopping;
  };

  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    let buffered = '';
    const fail = (why: string) => {
      cleanup();
      void stop().then(() => reject(new TwinSpawnError(`twin did not start: ${why}\n--- twin stderr (tail) ---\n${stderr.trim()}`)));
    };
    const onData = (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline === -1) return;
      const line = buffered.slice(0, newline);
      const parsed = parseReady(line);
      cleanup();
      if (parsed) resolve(parsed);
      else fail(`its first line is not the ready JSON: ${line.slice(0, 200)}`);
    };
    const onExit = (code: number | null, signal: string | null) => fail(`it exited early (code ${code}, signal ${signal})`);
    const onError = (error: Error) => fail(error.message);
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout.resume();

  const { event: _event, ...urls } = ready;
  return { ...urls, caPem: ready.caPem ?? null, spki: ready.spki ?? null, stderrTail: () => stderr, stop };
}
