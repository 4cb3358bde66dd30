// `npm run bench [-- --quick] [--runs=N] [--only=overhead,burst,timing,suite,tests] [--out=FILE]`:
// how much the suite costs and how right its timings are, against the twin (spawned as a child,
// so client and server never share an event loop). Prints a table (figure | probe | bare ws |
// ratio | target | met?) and writes REPORTS_DIR/bench.json (default reports/bench.json).
// Every figure is the median of the runs with its spread; every ratio is taken inside one run,
// both arms against the same twin, interleaved, then summarised. Exit 0 when it ran (a missed
// target is a finding, not a failure), 2 when it could not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEnvironment } from '../environments/load';
import type { EnvSettings } from '../environments/schema';
import { percentile } from '../helpers/channels/burst-stats';
import { accessClaims, signHs256 } from '../helpers/tokens/token-source-mint';
import { twinEnv } from '../helpers/target/twin-env';
import { spawnTwin, type SpawnedTwin } from '../twin/spawn';
import { type ArmKind, type ArmResult, type ArmSpec, bareHandshake, suiteProbe } from './bench-arm';
import { measureSuite, type SuitePhases } from './bench-suite';
import { measureTestSuite, nestedKind, type TestSuiteCost } from './bench-tests';
import { renderTable, type Row, spread } from './bench-table';
import { runWithDeadline } from './run-with-deadline';

const ROOT = path.resolve(__dirname, '..');
const SECTIONS = ['overhead', 'burst', 'timing', 'suite', 'tests'] as const;
type Section = (typeof SECTIONS)[number];

/** Issue 6's targets. */
const TARGET = { overheadP50: 1.15, burstRate: 0.9, peakMb: 120, timingRel: 0.05, timingAbsMs: 2, suiteMs: 12_000, npmTestMs: 300_000 };
/** `npm test` takes minutes: the tests section runs it once, whatever --runs says. */
const NPM_TEST_TIMEOUT_MS = 1_800_000;
/** The injected auth delay: well below the backend's 1.6 s read timeout, so valid tokens still open. */
const INJECTED_DELAY_MS = 300;
const BUDGET_MS = 5000;

export interface BenchArgs {
  quick: boolean;
  runs: number;
  sections: Section[];
  out: string;
}

export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  const quick = argv.includes('--quick');
  let runs = quick ? 1 : 3;
  let sections: Section[] = quick ? ['overhead', 'burst', 'timing'] : [...SECTIONS];
  let out = path.resolve(env.REPORTS_DIR ?? path.join(ROOT, 'reports'), 'bench.json');
  for (const arg of argv) {
    const [flag, value = ''] = arg.split('=', 2) as [string, string?];
    if (flag === '--quick') continue;
    if (flag === '--runs' && /^[1-9]\d*$/.test(value)) runs = Number(value);
    else if (flag === '--only') {
      const asked = value.split(',').filter(Boolean);
      const unknown = asked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
      if (unknown.length > 0 || asked.length === 0) throw new Error(`--only takes ${SECTIONS.join(',')}; got "${value}"`);
      sections = asked as Section[];
    } else if (flag === '--out' && value) out = path.resolve(value);
    else throw new Error(`unknown or malformed option "${arg}"; usage: npm run bench -- [--quick] [--runs=N] [--only=${SECTIONS.join(',')}] [--out=FILE]`);
  }
  return { quick, runs, sections, out };
}

interface Sizes {
  sequential: number;
  warmup: number;
  burst: number;
  concurrency: number;
  timing: number;
}
const sizesFor = (quick: boolean): Sizes =>
  quick ? { sequential: 10, warmup: 3, burst: 40, concurrency: 10, timing: 3 } : { sequential: 300, warmup: 30, burst: 2000, concurrency: 50, timing: 15 };

interface Tokens {
  valid: string;
  /** Signed with another secret: the auth service says invalid_token, the backend answers 403. */
  forged: string;
  secrets: string[];
}

async function makeTokens(s: EnvSettings): Promise<Tokens> {
  if (!s.JWT_SECRET) throw new Error('the local environment has no JWT_SECRET to mint with');
  const claims = accessClaims(s, Math.floor(Date.now() / 1000));
  return {
    valid: await signHs256(claims, s.JWT_SECRET),
    forged: await signHs256(claims, `bench-other-secret-${'x'.repeat(32)}`),
    secrets: [s.JWT_SECRET, s.SERVICE_SECRET, s.E2E_BYPASS_KEY, s.DEV_LOGIN_PASSWORD].filter((v): v is string => typeof v === 'string' && v !== ''),
  };
}


const p50 = (xs: number[]) => percentile(xs, 50);
const p95 = (xs: number[]) => percentile(xs, 95);

// ---------------------------------------------------------------------------------------------
// 1. Probe overhead, one handshake at a time, ABAB (the order flips every pair).

interface OverheadRun {
  probe: number[];
  bare: number[];
  statuses: Record<string, number>;
}

async function overheadRun(url: string, token: string, tokens: Tokens, n: number, warmup: number): Promise<OverheadRun> {
  const probe = suiteProbe({ url, token, secrets: tokens.secrets, budgetMs: BUDGET_MS });
  const out: OverheadRun = { probe: [], bare: [], statuses: {} };
  const count = (arm: string, status: number | null) => {
    const key = `${arm}:${status ?? 'none'}`;
    out.statuses[key] = (out.statuses[key] ?? 0) + 1;
  };
  const probeOnce = async (keep: boolean) => {
    const t0 = performance.now();
    const record = await probe();
    const ms = performance.now() - t0;
    if (keep) {
      out.probe.push(ms);
      count('probe', record.status);
    }
  };
  const bareOnce = async (keep: boolean) => {
    const t0 = performance.now();
    const result = await bareHandshake(url, token, BUDGET_MS);
    const ms = performance.now() - t0;
    if (keep) {
      out.bare.push(ms);
      count('bare', result.status);
    }
  };
  for (let i = 0; i < warmup + n; i += 1) {
    const keep = i >= warmup;
    if (i % 2 === 0) {
      await probeOnce(keep);
      await bareOnce(keep);
    } else {
      await bareOnce(keep);
      await probeOnce(keep);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2. Burst throughput: each arm in its own child process (its maxRSS is its peak memory).

/**
 * How to start an arm: a plain-node bundle of bench-arm.ts when esbuild (tsx's own compiler) is
 * there — tsx's loader runs a hooks worker thread that would add ~30 MB to every arm's maxRSS,
 * none of it the probe's — else through tsx.
 */
function armCommand(scratchDir: string): string[] {
  const entry = path.join(__dirname, 'bench-arm.ts');
  try {
    const esbuild = require('esbuild') as typeof import('esbuild');
    const outfile = path.join(scratchDir, 'bench-arm.cjs');
    esbuild.buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['bufferutil', 'utf-8-validate'], logLevel: 'silent' });
    return [outfile];
  } catch {
    return ['--import', pathToFileURL(require.resolve('tsx')).href, entry];
  }
}

async function runArmChild(command: string[], spec: ArmSpec, timeoutMs: number): Promise<ArmResult> {
  const run = await runWithDeadline(process.execPath, command, { env: { ...process.env, BENCH_ARM_SPEC: JSON.stringify(spec) }, timeoutMs });
  if (run.code !== 0) {
    const ended = run.timedOut ? `SIGKILL (over ${timeoutMs} ms)` : (run.signal ?? run.code);
    throw new Error(`bench arm ${spec.kind} ended with ${ended}: ${run.stderr.slice(-2000).trim()}`);
  }
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as ArmResult;
}

async function burstRun(command: string[], url: string, token: string, tokens: Tokens, sizes: Sizes, probeFirst: boolean): Promise<Record<ArmKind, ArmResult>> {
  const spec = (kind: ArmKind): ArmSpec => ({ kind, url, token, secrets: tokens.secrets, attempts: sizes.burst, concurrency: sizes.concurrency, budgetMs: BUDGET_MS });
  const order: ArmKind[] = probeFirst ? ['probe', 'bare'] : ['bare', 'probe'];
  const results: Partial<Record<ArmKind, ArmResult>> = {};
  for (const kind of order) results[kind] = await runArmChild(command, spec(kind), 120_000);
  return results as Record<ArmKind, ArmResult>;
}

// ---------------------------------------------------------------------------------------------
// 3. Timing accuracy: the same handshakes against the twin and against a twin whose auth service
// answers /auth/validate INJECTED_DELAY_MS later; the answer-time difference should be the delay.

type ProbeFn = ReturnType<typeof suiteProbe>;

interface TimingRun {
  /** Median answer time per arm, per twin, per token: delayed − base is the measured delay. */
  delta: Record<'probeValid' | 'probeForged' | 'bareValid' | 'bareForged', number>;
  statuses: Record<string, number>;
}

async function timingRun(base: SpawnedTwin, slow: SpawnedTwin, tokens: Tokens, n: number): Promise<TimingRun> {
  const samples: Record<string, number[]> = {};
  const statuses: Record<string, number> = {};
  const push = (key: string, ms: number, status: number | null) => {
    const list = samples[key] ?? [];
    list.push(ms);
    samples[key] = list;
    const s = `${key}:${status ?? 'none'}`;
    statuses[s] = (statuses[s] ?? 0) + 1;
  };
  const probes = new Map<string, ProbeFn>();
  for (const [twinName, twin] of [['base', base], ['slow', slow]] as const) {
    for (const tok of ['valid', 'forged'] as const) probes.set(`${twinName}:${tok}`, suiteProbe({ url: twin.wsUrl, token: tokens[tok], secrets: tokens.secrets, budgetMs: BUDGET_MS }));
  }
  for (let i = 0; i < n; i += 1) {
    for (const tok of ['valid', 'forged'] as const) {
      for (const [twinName, twin] of (i % 2 === 0 ? [['base', base], ['slow', slow]] : [['slow', slow], ['base', base]]) as Array<[string, SpawnedTwin]>) {
        const record = await (probes.get(`${twinName}:${tok}`) as ProbeFn)();
        // What the record reports: the time of the HTTP answer (101 or the refusal).
        push(`probe:${tok}:${twinName}`, record.marks.response ?? Number.NaN, record.status);
        const bare = await bareHandshake(twin.wsUrl, tokens[tok], BUDGET_MS);
        push(`bare:${tok}:${twinName}`, bare.answerMs ?? Number.NaN, bare.status);
      }
    }
  }
  const d = (arm: string, tok: string) => p50(samples[`${arm}:${tok}:slow`] ?? []) - p50(samples[`${arm}:${tok}:base`] ?? []);
  return { delta: { probeValid: d('probe', 'valid'), probeForged: d('probe', 'forged'), bareValid: d('bare', 'valid'), bareForged: d('bare', 'forged') }, statuses };
}

// ---------------------------------------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
}

const loadavg = () => os.loadavg().map((v) => Math.round(v * 100) / 100);

function ratioRows(section: string, figure: string, unit: string, probe: number[], bare: number[], target: string, met: ((ratio: number, probeMedian: number) => boolean) | null): Row {
  const ratios = probe.map((p, i) => p / (bare[i] as number));
  const r = spread(ratios);
  const pr = spread(probe);
  return { section, figure, unit, probe: pr, bare: spread(bare), ratio: r, target, met: met ? met(r.median, pr.median) : null };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return 2;
  }
  const sizes = sizesFor(args.quick);
  const settings = loadEnvironment('local').settings;
  const tokens = await makeTokens(settings);
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  const rows: Row[] = [];
  const notes: string[] = [];
  const raw: Record<string, unknown> = {};
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

  const needsTwin = args.sections.some((s) => s !== 'suite' && s !== 'tests');
  const twins: SpawnedTwin[] = [];
  try {
    const base = needsTwin ? await spawnTwin(twinEnv(settings, { TWIN_FAULT: 'none' })) : null;
    if (base) twins.push(base);

    if (base && args.sections.includes('overhead')) {
      for (const tok of ['valid', 'forged'] as const) {
        const runs: OverheadRun[] = [];
        for (let r = 0; r < args.runs; r += 1) {
          log(`overhead ${tok} run ${r + 1}/${args.runs}: ${sizes.sequential} pairs`);
          runs.push(await overheadRun(base.wsUrl, tokens[tok], tokens, sizes.sequential, sizes.warmup));
        }
        raw[`overhead-${tok}`] = runs.map((r) => ({ statuses: r.statuses, probe: { p50: p50(r.probe), p95: p95(r.probe) }, bare: { p50: p50(r.bare), p95: p95(r.bare) } }));
        const label = tok === 'valid' ? '101' : '403';
        const okP50 = (ratio: number) => ratio <= TARGET.overheadP50;
        rows.push(ratioRows('1 overhead', `one at a time, ${label}, p50`, 'ms', runs.map((r) => p50(r.probe)), runs.map((r) => p50(r.bare)), `≤ ${TARGET.overheadP50}×`, okP50));
        rows.push(ratioRows('1 overhead', `one at a time, ${label}, p95`, 'ms', runs.map((r) => p95(r.probe)), runs.map((r) => p95(r.bare)), '', null));
      }
    }

    if (base && args.sections.includes('burst')) {
      const armDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-arm-'));
      const command = armCommand(armDir);
      raw.armCommand = command[0] === '--import' ? 'tsx' : 'node (esbuild bundle)';
      for (const tok of ['valid', 'forged'] as const) {
        const runs: Array<Record<ArmKind, ArmResult>> = [];
        for (let r = 0; r < args.runs; r += 1) {
          log(`burst ${tok} run ${r + 1}/${args.runs}: ${sizes.burst} at concurrency ${sizes.concurrency}, each arm in a child`);
          runs.push(await burstRun(command, base.wsUrl, tokens[tok], tokens, sizes, r % 2 === 0));
        }
        const expected = tok === 'valid' ? '101' : '403';
        runs.forEach((run, i) => {
          for (const kind of ['probe', 'bare'] as const) {
            const other = run[kind].attempts - (run[kind].statusCounts[expected] ?? 0);
            if (other > 0) notes.push(`burst ${tok} run ${i + 1}: ${kind} saw ${other}/${run[kind].attempts} answers other than ${expected} (${JSON.stringify(run[kind].statusCounts)}): the twin itself refused under load, so that run compares unlike work`);
          }
        });
        raw[`burst-${tok}`] = runs;
        const label = `${sizes.burst} × ${tok === 'valid' ? '101' : '403'} @${sizes.concurrency}`;
        const pick = (k: ArmKind, f: (a: ArmResult) => number) => runs.map((r) => f(r[k]));
        rows.push(ratioRows('2 burst', `${label}, handshakes/s`, '/s', pick('probe', (a) => a.perSecond), pick('bare', (a) => a.perSecond), `≥ ${TARGET.burstRate}×`, (ratio) => ratio >= TARGET.burstRate));
        rows.push(ratioRows('2 burst', `${label}, p50 to answer`, 'ms', pick('probe', (a) => a.p50Ms), pick('bare', (a) => a.p50Ms), '', null));
        rows.push(ratioRows('2 burst', `${label}, p95 to answer`, 'ms', pick('probe', (a) => a.p95Ms), pick('bare', (a) => a.p95Ms), '', null));
        rows.push(ratioRows('2 burst', `${label}, client CPU per handshake`, 'ms', pick('probe', (a) => a.cpuMsPerHandshake), pick('bare', (a) => a.cpuMsPerHandshake), '', null));
        rows.push(
          ratioRows('2 burst', `${label}, peak RSS (process)`, 'MB', pick('probe', (a) => a.maxRssMb), pick('bare', (a) => a.maxRssMb), `≤ ${TARGET.peakMb} MB`, (_r, probeMb) => probeMb <= TARGET.peakMb),
        );
      }
      fs.rmSync(armDir, { recursive: true, force: true });
    }

    if (base && args.sections.includes('timing')) {
      const slow = await spawnTwin(twinEnv(settings, { TWIN_FAULT: 'none', TWIN_AUTH_DELAY_MS: String(INJECTED_DELAY_MS) }));
      twins.push(slow);
      const runs: TimingRun[] = [];
      for (let r = 0; r < args.runs; r += 1) {
        log(`timing run ${r + 1}/${args.runs}: ${sizes.timing} rounds, auth delayed ${INJECTED_DELAY_MS} ms`);
        runs.push(await timingRun(base, slow, tokens, sizes.timing));
      }
      raw.timing = runs;
      const tolerance = TARGET.timingRel * INJECTED_DELAY_MS + TARGET.timingAbsMs;
      for (const [tok, label] of [['Valid', 'acceptance (101)'], ['Forged', 'refusal (403)']] as const) {
        const probe = spread(runs.map((r) => r.delta[`probe${tok}`]));
        const bare = spread(runs.map((r) => r.delta[`bare${tok}`]));
        rows.push({
          section: '3 timing',
          figure: `${label} vs injected ${INJECTED_DELAY_MS} ms`,
          unit: 'ms',
          probe,
          bare,
          ratio: spread(runs.map((r) => r.delta[`probe${tok}`] / INJECTED_DELAY_MS)),
          target: `${INJECTED_DELAY_MS} ± ${tolerance} ms`,
          met: Math.abs(probe.median - INJECTED_DELAY_MS) <= tolerance,
        });
      }
    }
  } finally {
    await Promise.all(twins.map((t) => t.stop()));
  }

  let suite: SuitePhases[] = [];
  if (args.sections.includes('suite')) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-repro-'));
    try {
      for (let r = 0; r < args.runs; r += 1) {
        log(`suite run ${r + 1}/${args.runs}: npm run repro on the healthy twin`);
        suite.push(await measureSuite(path.join(scratch, `run-${r + 1}`, 'reports'), 300_000));
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    const phase = (figure: string, f: (s: SuitePhases) => number | null, target = '', met: ((ms: number) => boolean) | null = null): void => {
      const values = suite.map(f).filter((v): v is number => v !== null);
      if (values.length === 0) return;
      const s = spread(values.map((v) => v / 1000));
      rows.push({ section: '4 suite', figure, unit: 's', probe: s, bare: null, ratio: null, target, met: met ? met(s.median * 1000) : null });
    };
    phase('npm run repro, wall', (s) => s.totalMs, `≤ ${TARGET.suiteMs / 1000} s`, (ms) => ms <= TARGET.suiteMs);
    phase('  runner start (→ "Running")', (s) => s.runnerStartMs);
    phase('  worker+twin+browser+1st test', (s) => s.firstResultMs);
    phase('  scenarios (→ "N passed")', (s) => s.scenariosMs);
    phase('  reporters finishing', (s) => s.reportersMs);
    phase('  report step (Allure file)', (s) => s.reportStepMs);
    // Named steps (medians over runs), from the Allure step timings.
    const names = new Set(suite.flatMap((s) => s.steps.slice(0, 8).map((x) => x.name)));
    const stepRows: Row[] = [];
    for (const name of names) {
      const values = suite.map((s) => s.steps.find((x) => x.name === name)?.totalMs ?? 0);
      stepRows.push({ section: '4 suite', figure: `  step "${name.slice(0, 48)}" ×${suite[0]?.steps.find((x) => x.name === name)?.count ?? 0}`, unit: 's', probe: spread(values.map((v) => v / 1000)), bare: null, ratio: null, target: '', met: null });
    }
    rows.push(...stepRows.sort((a, b) => (b.probe?.median ?? 0) - (a.probe?.median ?? 0)).slice(0, 8));
    suite = suite.map((s) => ({ ...s, steps: s.steps.slice(0, 25), tests: s.tests.slice(0, 10) }));
  }

  let tests: TestSuiteCost | null = null;
  if (args.sections.includes('tests')) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tests-'));
    try {
      log('tests: npm test (unit + self-tests), once; this takes minutes');
      tests = await measureTestSuite(path.join(scratch, 'reports'), NPM_TEST_TIMEOUT_MS);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    rows.push(...testSuiteRows(tests));
    if (tests.exitCode !== 0) notes.push(`npm test exited ${tests.exitCode} (${tests.counts ? `${tests.counts.failed} failed` : 'no results'}): its time is not that of a green run`);
  }

  const loadEnd = loadavg();
  const m = machine();
  const header = `npm run bench — ${m.cpus} × ${m.cpuModel}, ${m.memGb} GB, node ${m.node}; load average ${loadStart.join(' ')} → ${loadEnd.join(' ')}; ${args.runs} run(s)${args.sections.includes('tests') ? ' (tests: one)' : ''}${args.quick ? ', --quick' : ''}; median [min–max]`;
  console.log(header);
  console.log(renderTable(rows));
  for (const note of notes) console.log(`note: ${note}`);
  const report = { startedAt, finishedAt: new Date().toISOString(), machine: m, loadavg: { start: loadStart, end: loadEnd }, args: { ...args, out: undefined }, sizes, injectedDelayMs: INJECTED_DELAY_MS, targets: TARGET, rows, notes, raw, suite, tests };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  const rel = path.relative(process.cwd(), args.out);
  console.log(`bench: wrote ${rel && !rel.startsWith('..') ? rel : args.out}`);
  return 0;
}

/** Section 5's rows: the wall against its target, the CPU, each project's span, the nested runs by kind. */
export function testSuiteRows(t: TestSuiteCost): Row[] {
  const row = (figure: string, seconds: number, target = '', met: boolean | null = null, unit = 's'): Row => ({
    section: '5 test suite',
    figure,
    unit,
    probe: spread([seconds]),
    bare: null,
    ratio: null,
    target,
    met,
  });
  const wall = t.wallMs / 1000;
  const rows = [row('npm test, wall', wall, `≤ ${TARGET.npmTestMs / 1000} s`, t.wallMs <= TARGET.npmTestMs)];
  if (t.cpuSeconds !== null) {
    rows.push(row('  CPU, processes reaped', t.cpuSeconds, '', null, 'core-s'));
    rows.push(row('  cores busy on average', t.cpuSeconds / wall, `≤ ${os.cpus().length}`, null, '×'));
  }
  if (t.machineBusySeconds !== null) {
    // The whole machine, Chromium's renderers included: how close the run is to the cores it has.
    rows.push(row('  machine busy (/proc/stat)', t.machineBusySeconds, '', null, 'core-s'));
    rows.push(row('  machine cores busy on average', t.machineBusySeconds / wall, `≤ ${os.cpus().length}`, null, '×'));
  }
  for (const p of t.projects) rows.push(row(`  project ${p.name}: span (${p.tests} tests)`, p.spanMs / 1000));
  const kinds = new Map<string, { runs: number; seconds: number }>();
  for (const n of t.nested) {
    const k = kinds.get(nestedKind(n.name)) ?? { runs: 0, seconds: 0 };
    k.runs += 1;
    k.seconds += n.seconds;
    kinds.set(nestedKind(n.name), k);
  }
  for (const [kind, k] of kinds) rows.push(row(`  nested runs, ${kind} (×${k.runs})`, k.seconds));
  for (const n of [...t.nested].sort((a, b) => b.seconds - a.seconds).slice(0, 3)) rows.push(row(`    slowest: ${n.name} (exit ${n.exitCode})`, n.seconds));
  return rows;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(2);
    },
  );
}
