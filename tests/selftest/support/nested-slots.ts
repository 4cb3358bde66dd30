// The cores are shared by every self-test worker: a nested run (a Playwright runner, a twin and a
// Chromium) keeps well under a core busy on average, so at most NESTED_SLOTS run at once across all
// workers of this `npm test`, whichever project or file starts them. A slot is a directory made with mkdir (atomic:
// exactly one process wins it) under the run's output folder, which Playwright empties when a run
// begins; it holds its owner's pid, so a slot left by a killed worker is taken back.
// The fault matrix queues ~20 long runs at once: it takes a slot only when no other self-test is
// waiting for one (a `waiting-<pid>-<n>` file), so the other worker's tests, which run one after
// another, are not left as a one-run tail after the matrix; the matrix's own queue fills both
// slots to the end. A run expected to stop at load takes no slot (run-suite.ts: stopsAtLoad).
import fs from 'node:fs';
import path from 'node:path';
import type { TestInfo } from '@playwright/test';

/**
 * Nested runs at once, over all self-test workers, on two cores. A nested run waits much of its
 * time (handshake budgets, slow auth services, a worker restart after each failing test), so two
 * at once left the cores idle once Chromium got cheap: npm test from a clean clone took 465 s with
 * the machine 1.64 cores busy with two, 426 s and 1.79 cores with three (four would oversubscribe).
 */
export const NESTED_SLOTS = 3;
/** A release wakes waiters through fs.watch; this re-check covers a missed event or a dead owner. */
const RECHECK_MS = 250;

function slotsDir(testInfo: TestInfo): string {
  const dir = path.join(testInfo.project.outputDir, '.nested-run-slots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes a free slot (or one whose owner died); null when all are held. */
function tryTake(dir: string): string | null {
  for (let i = 0; i < NESTED_SLOTS; i++) {
    const slot = path.join(dir, `slot-${i}`);
    try {
      fs.mkdirSync(slot);
      fs.writeFileSync(path.join(slot, 'pid'), String(process.pid));
      return slot;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readOwner(slot));
      // An owner that has not written its pid yet is alive by definition (it is between two calls).
      if (owner > 0 && !alive(owner)) fs.rmSync(slot, { recursive: true, force: true });
    }
  }
  return null;
}

function readOwner(slot: string): string {
  try {
    return fs.readFileSync(path.join(slot, 'pid'), 'utf8');
  } catch {
    return '';
  }
}

let waits = 0;

/** Is a live process other than this one waiting with priority? */
function othersWaiting(dir: string): boolean {
  return fs.readdirSync(dir).some((name) => {
    const pid = Number(/^waiting-(\d+)-\d+$/.exec(name)?.[1]);
    return pid > 0 && pid !== process.pid && alive(pid);
  });
}

/**
 * fs.watch may be refused (inotify limits: Chromium uses inotify too) or fail later; the re-check
 * timer alone then wakes the waiter, a little later. Never a crash of the test.
 */
function watchOrNull(dir: string, onChange: () => void): fs.FSWatcher | null {
  try {
    const watcher = fs.watch(dir, onChange);
    watcher.on('error', onChange);
    return watcher;
  } catch {
    return null;
  }
}

/** Waits for a slot: woken by any change in the slots folder, re-checked every RECHECK_MS, until the deadline. */
async function take(dir: string, deadline: number, yielding: boolean): Promise<string> {
  const marker = yielding ? null : path.join(dir, `waiting-${process.pid}-${waits++}`);
  if (marker) fs.writeFileSync(marker, '');
  try {
    return await takeWhenFree(dir, deadline, yielding);
  } finally {
    if (marker) fs.rmSync(marker, { force: true });
  }
}

async function takeWhenFree(dir: string, deadline: number, yielding: boolean): Promise<string> {
  for (;;) {
    const slot = yielding && othersWaiting(dir) ? null : tryTake(dir);
    if (slot) return slot;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no nested-run slot became free in time (${NESTED_SLOTS} held in ${dir})`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(RECHECK_MS, left));
      const watcher = watchOrNull(dir, done);
      function done() {
        clearTimeout(timer);
        watcher?.close();
        resolve();
      }
    });
  }
}

/**
 * How long a run may wait for a slot. Slots are held by nested runs, each under its own deadline
 * (a group run's is minutes per fault), so a wait this long means a run hangs past its deadline.
 */
export const SLOT_WAIT_MS = 30 * 60_000;

/**
 * Runs `work` (one nested run) holding one of the NESTED_SLOTS shared by all self-test workers.
 * `yielding`: take a slot only while no other process waits for one (the matrix's queue).
 * The wait is not the test's work: the test's timeout is stretched by exactly the time it waited
 * (how long depends on the other workers' runs, up to a matrix group's minutes), so the timeout
 * its author set bounds only its own runs.
 */
export function withNestedSlot<T>(testInfo: TestInfo, work: () => Promise<T>, opts: { yielding?: boolean } = {}): Promise<T> {
  return withSlotFor(testInfo, slotsDir(testInfo), work, opts);
}

/** withNestedSlot on a folder of the caller's (its own test uses a temporary one). */
export async function withSlotFor<T>(testInfo: TestInfo, dir: string, work: () => Promise<T>, opts: { yielding?: boolean } = {}): Promise<T> {
  const budget = testInfo.timeout;
  const asked = Date.now();
  // Stretched before the wait (Playwright's timer runs meanwhile), trimmed to the real wait after.
  if (budget > 0) testInfo.setTimeout(budget + SLOT_WAIT_MS);
  return withSlotIn(dir, SLOT_WAIT_MS, work, {
    ...opts,
    onTaken: () => {
      if (budget > 0) testInfo.setTimeout(budget + (Date.now() - asked));
    },
  });
}

/** The slots' mechanism on any folder, with a deadline for the wait. */
export async function withSlotIn<T>(dir: string, waitMs: number, work: () => Promise<T>, opts: { yielding?: boolean; onTaken?: () => void } = {}): Promise<T> {
  const slot = await take(dir, Date.now() + waitMs, opts.yielding === true);
  try {
    opts.onTaken?.();
    return await work();
  } finally {
    fs.rmSync(slot, { recursive: true, force: true });
  }
}
