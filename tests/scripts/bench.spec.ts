// `npm run bench` as an operator runs it, in its tiny mode: it must finish, print its table and
// write its JSON. The figures are never checked here: they measure a shared machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parseBenchArgs, testSuiteRows } from '../../scripts/bench';
import { machineBusySeconds, nestedRuns } from '../../scripts/bench-tests';
import { cleanEnv, ROOT, runScript } from '../support/run-script';

const TSX = require.resolve('tsx/cli');
const BENCH = path.join(ROOT, 'scripts', 'bench.ts');

test.describe('bench options', () => {
  const rows: Array<[string[], { quick: boolean; runs: number; sections: string[] }]> = [
    [[], { quick: false, runs: 3, sections: ['overhead', 'burst', 'timing', 'suite', 'tests'] }],
    [['--quick'], { quick: true, runs: 1, sections: ['overhead', 'burst', 'timing'] }],
    [['--runs=5'], { quick: false, runs: 5, sections: ['overhead', 'burst', 'timing', 'suite', 'tests'] }],
    [['--quick', '--only=suite'], { quick: true, runs: 1, sections: ['suite'] }],
  ];
  for (const [argv, expected] of rows) {
    test(`${JSON.stringify(argv)} → ${JSON.stringify(expected)}`, () => {
      const { quick, runs, sections } = parseBenchArgs(argv, {});
      expect({ quick, runs, sections }).toEqual(expected);
    });
  }

  test('the JSON goes to REPORTS_DIR/bench.json, or where --out says', () => {
    expect(parseBenchArgs([], { REPORTS_DIR: '/tmp/r' }).out).toBe('/tmp/r/bench.json');
    expect(parseBenchArgs([], {}).out).toBe(path.join(ROOT, 'reports', 'bench.json'));
    expect(parseBenchArgs(['--out=/tmp/x/b.json'], {}).out).toBe('/tmp/x/b.json');
  });

  const usage = 'usage: npm run bench -- [--quick] [--runs=N] [--only=overhead,burst,timing,suite,tests] [--out=FILE]';
  const bad: Array<[string, string]> = [
    ['--runs=0', `unknown or malformed option "--runs=0"; ${usage}`],
    ['--runs=two', `unknown or malformed option "--runs=two"; ${usage}`],
    ['--fast', `unknown or malformed option "--fast"; ${usage}`],
    ['--only=burst,speed', '--only takes overhead,burst,timing,suite,tests; got "burst,speed"'],
  ];
  for (const [arg, message] of bad) {
    test(`${arg} is refused with its reason`, () => {
      expect(() => parseBenchArgs([arg], {})).toThrow(new Error(message));
    });
  }
});

test('npm run bench -- --quick prints the table and writes bench.json', async () => {
  test.setTimeout(180_000);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-spec-')), 'bench.json');
  const run = await runScript(process.execPath, [TSX, BENCH, '--quick', `--out=${out}`], cleanEnv({}), 170_000);

  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.split('\n');
  expect(lines[0]).toMatch(/^npm run bench — \d+ × .+; load average [\d. ]+ → [\d. ]+; 1 run\(s\), --quick; median \[min–max\]$/);
  expect(lines[1]).toMatch(/^\| figure +\| probe +\| bare ws +\| ratio +\| target +\| met\? \|$/);
  expect(run.stdout).toContain(`bench: wrote ${out}`);

  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { rows: Array<{ section: string; figure: string }>; loadavg: { start: number[]; end: number[] } };
  expect([...new Set(report.rows.map((r) => r.section))]).toEqual(['1 overhead', '2 burst', '3 timing']);
  expect(report.rows.map((r) => r.figure)).toEqual([
    'one at a time, 101, p50',
    'one at a time, 101, p95',
    'one at a time, 403, p50',
    'one at a time, 403, p95',
    ...['101', '403'].flatMap((s) => ['handshakes/s', 'p50 to answer', 'p95 to answer', 'client CPU per handshake', 'peak RSS (process)'].map((f) => `40 × ${s} @10, ${f}`)),
    'acceptance (101) vs injected 300 ms',
    'refusal (403) vs injected 300 ms',
  ]);
  expect(report.loadavg.start).toHaveLength(3);
  // The throwaway twin token must not leak into what the bench writes.
  expect(fs.readFileSync(out, 'utf8')).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
});

test('the tests section reads the self-tests\' "nested run" lines and sums them by kind', () => {
  const stdout = [
    '  ✓  1 [unit] › x.spec.ts:1:1 › a (3ms)',
    'nested run full-hang@node: exit 1 in 94.2 s',
    'nested run headlines@wsproto: exit 1 in 61.0 s',
    'nested run suites@node-auth-slow: exit 1 in 120.5 s',
    'nested run full-healthy@node: exit 0 in 21.4 s',
    'nested run tls-trusted: exit 0 in 16.9 s',
    'nested run env-timeout: exit SIGKILL in 60.0 s',
  ].join('\n');
  const nested = nestedRuns(stdout);
  expect(nested.map((n) => [n.name, n.exitCode, n.seconds])).toEqual([
    ['full-hang@node', '1', 94.2],
    ['headlines@wsproto', '1', 61],
    ['suites@node-auth-slow', '1', 120.5],
    ['full-healthy@node', '0', 21.4],
    ['tls-trusted', '0', 16.9],
    ['env-timeout', 'SIGKILL', 60],
  ]);
  const rows = testSuiteRows({ exitCode: 0, wallMs: 400_000, cpuSeconds: 600, machineBusySeconds: 720, counts: null, projects: [{ name: 'unit', tests: 2, spanMs: 90_000, sumMs: 100_000 }], nested });
  const figures = Object.fromEntries(rows.map((r) => [r.figure.trim(), [r.probe?.median, r.met]]));
  expect(figures['npm test, wall']).toEqual([400, false]);
  expect(figures['cores busy on average']).toEqual([1.5, null]);
  expect(figures['machine busy (/proc/stat)']).toEqual([720, null]);
  expect(figures['machine cores busy on average']).toEqual([1.8, null]);
  expect(figures['project unit: span (2 tests)']).toEqual([90, null]);
  expect(figures['nested runs, matrix: whole suite, one fault (×2)']?.[0]).toBeCloseTo(115.6);
  expect(figures['nested runs, matrix: whole suites, faults side by side (×1)']).toEqual([120.5, null]);
  expect(figures['nested runs, matrix: #631 rows per flavour (×1)']).toEqual([61, null]);
  expect(figures['nested runs, other self-tests (×2)']?.[0]).toBeCloseTo(76.9);
  expect(figures['slowest: suites@node-auth-slow (exit 1)']).toEqual([120.5, null]);
  expect(figures['slowest: full-hang@node (exit 1)']).toEqual([94.2, null]);
});

test("the machine's busy time is /proc/stat's first line without idle and iowait, in seconds", () => {
  // user nice system idle iowait irq softirq steal (guest fields after these are already in user).
  const stat = 'cpu  2059101 123982 564619 805138 5677 0 6309 8536 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n';
  expect(machineBusySeconds(stat)).toBeCloseTo((2059101 + 123982 + 564619 + 6309 + 8536) / 100);
  expect(machineBusySeconds('intr 1 2 3\n')).toBeNull();
  expect(machineBusySeconds(null)).toBeNull();
  // This machine's own file reads as a number that grows.
  const now = machineBusySeconds();
  if (fs.existsSync('/proc/stat')) expect(now).toBeGreaterThan(0);
  else expect(now).toBeNull();
});
