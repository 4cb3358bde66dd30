import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { cleanRunOutputs, parseArgs, type ReproArgs } from '../../scripts/repro';
import { cleanEnv, ROOT, runScript } from '../support/run-script';

/** As package.json's "repro" and "report" scripts start them. */
const LAUNCH = path.join(ROOT, 'scripts', 'launch.cjs');
const REPRO = [LAUNCH, 'repro'];
const VALID_LOCAL = 'TWIN=embedded\nTOKEN_SOURCE=mint\nJWT_SECRET=twin-only-jwt-secret-not-for-real-use-0001\n';

/** A temp root with environments/ (the given files) and reports/ holding a previous run's outputs. */
function workspace(envFiles: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'repro-spec-'));
  const envDir = path.join(root, 'environments');
  const reportsDir = path.join(root, 'reports');
  fs.mkdirSync(envDir);
  for (const [name, body] of Object.entries(envFiles)) fs.writeFileSync(path.join(envDir, name), body);
  for (const dir of ['html', 'history']) fs.mkdirSync(path.join(reportsDir, dir), { recursive: true });
  fs.writeFileSync(path.join(reportsDir, 'results.json'), 'previous run');
  fs.writeFileSync(path.join(reportsDir, 'html', 'index.html'), 'previous run');
  fs.writeFileSync(path.join(reportsDir, 'history', 'allure-history.jsonl'), 'trend');
  return { root, envDir, reportsDir };
}

/** Every file under dir, relative, sorted: the whole state in one comparable value. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).sort();
}

const PREVIOUS_RUN = ['environments', path.join('environments', 'local.env'), 'reports', path.join('reports', 'history'), path.join('reports', 'history', 'allure-history.jsonl'), path.join('reports', 'html'), path.join('reports', 'html', 'index.html'), path.join('reports', 'results.json')].sort();

test.describe('repro stops before Playwright starts', () => {
  test('a broken env file: exit 2, every problem listed, reports untouched', async () => {
    const ws = workspace({ 'local.env': 'TWIN=off\nBACKEND_URL=not-a-url\nTOKEN_SOURCE=mint\n' });
    const run = await runScript(process.execPath, [...REPRO], cleanEnv({ ENVIRONMENTS_DIR: ws.envDir, REPORTS_DIR: ws.reportsDir }));

    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^Stopped before any test: the environment files have \d+ problems\.$/);
    const problems = lines.slice(1).map((l) => l.replace(/^\s+- .*local\.env: /, '').split(' — ')[0]);
    expect(problems.sort()).toEqual(['AUTH_URL', 'BACKEND_URL', 'FRONTEND_URL', 'JWT_SECRET']);
    expect(run.stdout).not.toContain('Running');
    expect(tree(ws.root)).toEqual(PREVIOUS_RUN);
  });

  test('an unknown --project: exit 2 and one line naming the available ones', async () => {
    const ws = workspace({ 'local.env': VALID_LOCAL });
    fs.writeFileSync(path.join(ws.envDir, 'qa-eu.env'), 'TWIN=embedded\nTOKEN_SOURCE=static\n');
    const env = cleanEnv({ ENVIRONMENTS_DIR: ws.envDir, REPORTS_DIR: ws.reportsDir, QA_EU_STATIC_TOKEN: 'operator-token-0123456789' });
    const run = await runScript(process.execPath, [...REPRO, '--project=local', '--project=nope'], env);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe('Unknown project "nope": available environments are local, qa-eu.\n');
    expect(run.stdout).toBe('');
    expect(tree(ws.root)).toEqual([...PREVIOUS_RUN, path.join('environments', 'qa-eu.env')].sort());
  });

  test('no browser: exit 2 with the browser line, reports untouched', async () => {
    const ws = workspace({ 'local.env': VALID_LOCAL });
    const missing = path.join(ws.root, 'no-such-chromium');
    const run = await runScript(process.execPath, [...REPRO], cleanEnv({ ENVIRONMENTS_DIR: ws.envDir, REPORTS_DIR: ws.reportsDir, CHROMIUM_PATH: missing }));

    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`CHROMIUM_PATH=${missing}`)]);
    expect(tree(ws.root)).toEqual(PREVIOUS_RUN);
  });
});

// Interrupted once the first test has reported, i.e. while the run is truly under way.
test('Ctrl-C during the run: forwarded to Playwright, exit 2, the report step skipped', async () => {
  test.skip(!fs.existsSync(path.join(ROOT, 'e2e')), 'needs the scenarios in e2e/ to have something to interrupt');
  // Playwright stops gracefully: it lets the running test and the twin wind down first.
  test.setTimeout(90_000);
  const ws = workspace({ 'local.env': VALID_LOCAL });
  const env = cleanEnv({ ENVIRONMENTS_DIR: ws.envDir, REPORTS_DIR: ws.reportsDir });
  const run = await runScript(process.execPath, [...REPRO], env, 60_000, { text: '[local] ›', signal: 'SIGINT' });

  expect(run.code).toBe(2);
  expect(run.stderr).toContain('repro: interrupted; the reports are partial and were not rebuilt.\n');
  expect(run.stdout).not.toContain('repro: exit');
  // Playwright stopped and wrote what it had; the Allure report (the report step) was never built.
  expect(fs.existsSync(path.join(ws.reportsDir, 'allure-report'))).toBe(false);
  expect(fs.readFileSync(path.join(ws.reportsDir, 'history', 'allure-history.jsonl'), 'utf8')).toBe('trend');
});

test('--no-allure: the run writes every report but the Allure single file, which npm run report then builds from allure-results', async () => {
  const ws = workspace({ 'local.env': VALID_LOCAL });
  const env = cleanEnv({ ENVIRONMENTS_DIR: ws.envDir, REPORTS_DIR: ws.reportsDir });
  const run = await runScript(process.execPath, [...REPRO, '--no-allure', '--grep', 'the target resolves'], env, 60_000);

  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toContain('Allure report: skipped (--no-allure); `npm run report` builds it from allure-results.');
  const written = tree(ws.reportsDir);
  expect(written).toEqual(expect.arrayContaining(['results.json', 'summary.md', path.join('html', 'index.html')]));
  expect(written.filter((f) => f.startsWith('allure-results') && f.endsWith('-result.json'))).toHaveLength(1);
  expect(written.filter((f) => f.startsWith('allure-report'))).toEqual([]);
  expect(fs.readFileSync(path.join(ws.reportsDir, 'history', 'allure-history.jsonl'), 'utf8')).toBe('trend');

  // The workspace's history is a placeholder, not JSONL: the report step starts a fresh one.
  fs.rmSync(path.join(ws.reportsDir, 'history'), { recursive: true });
  const report = await runScript(process.execPath, [LAUNCH, 'report'], env, 60_000);
  expect(report.code, report.stdout + report.stderr).toBe(0);
  expect(fs.existsSync(path.join(ws.reportsDir, 'allure-report', 'index.html'))).toBe(true);
});

test.describe('parseArgs', () => {
  const rows: { argv: string[]; want: ReproArgs }[] = [
    { argv: [], want: { projects: ['local'], mergeFrom: null, passThrough: [], allure: true, help: false } },
    { argv: ['--project=staging'], want: { projects: ['staging'], mergeFrom: null, passThrough: [], allure: true, help: false } },
    { argv: ['--project', 'staging', '-p', 'qa'], want: { projects: ['staging', 'qa'], mergeFrom: null, passThrough: [], allure: true, help: false } },
    { argv: ['--project=staging,qa', '--project=qa'], want: { projects: ['staging', 'qa'], mergeFrom: null, passThrough: [], allure: true, help: false } },
    {
      argv: ['--grep', '403', '--repeat-each=3', '--project=staging'],
      want: { projects: ['staging'], mergeFrom: null, passThrough: ['--grep', '403', '--repeat-each=3'], allure: true, help: false },
    },
    { argv: ['--merge-reports=all-blob-reports'], want: { projects: ['local'], mergeFrom: 'all-blob-reports', passThrough: [], allure: true, help: false } },
    { argv: ['--no-allure', '--grep', 'x'], want: { projects: ['local'], mergeFrom: null, passThrough: ['--grep', 'x'], allure: false, help: false } },
    { argv: ['--merge-reports', 'blobs', '--help'], want: { projects: ['local'], mergeFrom: 'blobs', passThrough: [], allure: true, help: true } },
  ];
  for (const row of rows) {
    test(`[${row.argv.join(' ')}]`, () => {
      expect(parseArgs(row.argv)).toEqual(row.want);
    });
  }
});

test('cleanRunOutputs removes the last run and keeps the Allure history', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repro-clean-'));
  for (const d of ['html', 'allure-results', 'allure-report', 'history']) fs.mkdirSync(path.join(dir, d));
  for (const f of ['results.json', 'summary.md', 'README.md', path.join('html', 'index.html'), path.join('history', 'allure-history.jsonl')]) {
    fs.writeFileSync(path.join(dir, f), 'x');
  }
  cleanRunOutputs(dir);
  expect(tree(dir)).toEqual(['README.md', 'history', path.join('history', 'allure-history.jsonl')]);
});
