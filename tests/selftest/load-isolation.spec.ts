// The load ramp is a guest's: it never overlaps a single-handshake test against the same target,
// and a target that only fails under load is reported as such (exit 3), never paged as broken —
// judged from what the real runs (`npm run repro`, shared with the fault matrix) wrote.
import { expect, test } from '@playwright/test';
import type { ResultsFile } from '../../helpers/reporting/results-file';
import { fullRun, MATRIX_RUNS } from './support/shared-runs';
import { runRepro } from './support/run-suite';

const REPRODUCE = 'a token the auth service accepts opens the chat socket on every channel';

/** [start, end] of every test of the env but the #631 test, and the ramp's own window. */
function windows(results: ResultsFile) {
  const reproduce = results.tests.find((t) => t.title.endsWith(REPRODUCE));
  const ramp = reproduce?.ramp;
  const others = results.tests
    .filter((t) => t !== reproduce && t.outcome !== 'skipped' && t.startedAt)
    .map((t) => ({ title: t.title, start: Date.parse(t.startedAt ?? ''), end: Date.parse(t.startedAt ?? '') + t.durationMs }));
  return { ramp: ramp?.startedAt && ramp.endedAt ? { start: Date.parse(ramp.startedAt), end: Date.parse(ramp.endedAt) } : null, others };
}

for (const fault of ['healthy', 'overloaded'] as const) {
  test(`no single-handshake test overlaps the ramp (${fault} twin)`, MATRIX_RUNS, async () => {
    const run = await fullRun(test.info(), fault);
    expect(run.results, run.stderr).not.toBeNull();
    const { ramp, others } = windows(run.results as ResultsFile);
    expect(ramp, 'the #631 test recorded its ramp window').not.toBeNull();
    expect(others.length).toBeGreaterThan(20);
    const overlapping = others.filter((o) => ramp && o.start < ramp.end && o.end > ramp.start).map((o) => o.title);
    expect(overlapping).toEqual([]);
  });
}

test('the overloaded twin: refusals-under-load, exit 3, every test green', MATRIX_RUNS, async () => {
  const run = await fullRun(test.info(), 'overloaded');
  const results = run.results as ResultsFile;
  expect(run.code, run.stdout.slice(-2000)).toBe(3);
  expect(results.counts.failed).toBe(0);
  const reproduce = results.tests.find((t) => t.title.endsWith(REPRODUCE));
  expect(reproduce?.verdict?.cause).toBe('refusals-under-load');
  // Not one refusal one at a time: the share of a bad instance is zero, only load refuses.
  const sequential = reproduce?.ramp?.steps.filter((s) => s.concurrency === 1) ?? [];
  expect(sequential.length).toBeGreaterThan(0);
  expect(sequential.every((s) => s.refused === 0)).toBe(true);
});

test('the overloaded twin with the ramp capped below its limit (2 in flight): green, exit 0', async () => {
  const run = await runRepro(test.info(), 'overloaded-capped', { fault: 'overloaded', env: { LOCAL_BURST_CONCURRENCY: '2' }, args: ['--grep', 'reproduce issue #631', '--no-allure'] });
  const reproduce = run.results?.tests.find((t) => t.title.endsWith(REPRODUCE));
  expect(run.code, run.stdout.slice(-2000)).toBe(0);
  expect(reproduce?.verdict?.cause).toBe('healthy');
  expect(reproduce?.ramp?.steps.map((s) => s.concurrency)).toEqual([1, 2]);
});
