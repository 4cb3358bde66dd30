// Issue 3: redaction end to end. After full runs (`npm run repro`, reports built) whose token and
// secrets we know, nothing under reports/ or test-results/ — traces unzipped, the HTML report's
// embedded zip and the Allure single file decoded — holds any of them, nor any JWT at all.
// The runs are the fault matrix's healthy and #631 rows (support/shared-runs.ts: they take a
// static token minted there, so the needles are exact), scanned here rather than run twice.
// The design this proves: the token enters the browser through storageState before tracing
// starts, the raw channel keeps no trace, records and attachments are redacted when written.
// The scan must not be vacuous: it has to open the containers named below, and a control file
// planted in the tree must set off every needle.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { loadEnvironment } from '../../environments/load';
import { ROOT } from '../support/run-script';
import { describeFinding, type Needle, needlesFor, type ScanReport, scanBuffer, scanTree, DEFAULT_LIMITS } from './support/secret-scan';
import { FULL_RUN_TIMEOUT_MS, fullRun, SCANNED_FAULTS, scannedRunToken, MATRIX_RUNS } from './support/shared-runs';

const local = loadEnvironment('local', path.join(ROOT, 'environments'), {}).settings;
/** Every secret local.env holds; STATIC_TOKEN is the minted token, a needle of its own. */
const SECRETS: Record<string, string | undefined> = {
  JWT_SECRET: local.JWT_SECRET,
  SERVICE_SECRET: local.SERVICE_SECRET,
  E2E_BYPASS_KEY: local.E2E_BYPASS_KEY,
  DEV_LOGIN_PASSWORD: local.DEV_LOGIN_PASSWORD,
};
const CONTROL = 'redaction-control.txt';

/**
 * [TWIN_FAULT ('healthy': none), exit codes accepted, why this run]. The healthy run is about what
 * passing tests write, so it must be green: a failure there would scan another mix.
 * Two runs, not one per fault: each is a full `npm run repro` (~25–40 s here).
 */
const RUNS: Array<[string, number[], string]> = [
  ['healthy', [0], 'passing scenarios: tokens on the wire, 101s, chat frames'],
  ['missing-auth-url', [1], 'failures: traces attached, screenshots, error messages, verdicts'],
];

test('the scanned runs are the ones shared-runs.ts gives the static token', () => {
  expect(RUNS.map(([fault]) => fault)).toEqual([...SCANNED_FAULTS]);
});

for (const [name, exitCodes, why] of RUNS) {
  test(`no secret or token in any file a run writes: ${name} twin (${why})`, MATRIX_RUNS, async () => {
    const testInfo = test.info();
    test.setTimeout(FULL_RUN_TIMEOUT_MS);
    const secrets = Object.fromEntries(Object.entries(SECRETS).map(([k, v]) => [k, required(k, v)]));
    const token = await scannedRunToken();
    const needles = needlesFor(token, secrets);

    const run = await fullRun(testInfo, name);
    expect(exitCodes, `repro exit code ${run.code}\nstdout:\n${tail(run.stdout)}\nstderr:\n${tail(run.stderr)}`).toContain(run.code);
    expect(run.results?.tests.length ?? 0).toBeGreaterThan(0);
    const failed = run.code !== 0;

    // The control: every needle's value, in a file inside the scanned tree.
    const control = path.join(run.testResultsDir, CONTROL);
    fs.writeFileSync(control, `${needles.map((n) => (typeof n.value === 'string' ? n.value : '')).join('\n')}\n${token}\njwt.${Buffer.from(token).toString('base64url')}\n`);

    const report = await scanTree([run.reportsDir, run.testResultsDir], needles);
    await scanOutput(run.stdout, '<repro stdout>', needles, report);
    await scanOutput(run.stderr, '<repro stderr>', needles, report);
    fs.rmSync(control); // it holds live values: not left behind in the selftest's own output
    await testInfo.attach('scan', { body: JSON.stringify(summary(report, run.reportsDir, run.testResultsDir), null, 2), contentType: 'application/json' });

    // 1. The scanner works on this run's needles: the control sets off every one of them.
    const inControl = new Set(report.findings.filter((f) => f.file === control).map((f) => f.needle));
    expect([...inControl].sort()).toEqual(needles.map((n) => n.name).sort());
    // 2. Nothing else anywhere.
    const leaks = report.findings.filter((f) => f.file !== control).map(describeFinding);
    expect(leaks, 'files holding a secret or token (needle names only)').toEqual([]);
    // 3. Nothing was passed over.
    expect(report.skipped).toEqual([]);
    // 4. Not vacuous: the files and containers that carry handshake data were found and opened.
    const rel = (file: string) => path.relative(path.dirname(run.reportsDir), file);
    const files = report.files.map(rel);
    expect(files).toEqual(expect.arrayContaining(['reports/results.json', 'reports/summary.md', 'reports/html/index.html', 'reports/allure-report/index.html']));
    const opened = report.containers.map((c) => `${c.kind} ${rel(c.file)}${c.chain.map((x) => ` → ${x.replace(/@\d+/, '@N')}`).join('')}`);
    expect(opened, 'a browser trace unzipped').toContainEqual(expect.stringMatching(/^zip test-results\/.+\/trace-\d+\.zip$/));
    expect(opened, "the HTML report's embedded zip").toContainEqual('zip reports/html/index.html → base64@N');
    expect(opened, "the Allure single file's embedded data").toContainEqual(expect.stringMatching(/^base64 reports\/allure-report\/index\.html$/));
    if (failed) expect(opened, 'a failed test\'s trace, copied into the HTML report').toContainEqual(expect.stringMatching(/^zip reports\/html\/data\/[0-9a-f]+\.zip$/));
  });
}

function required(name: string, value: string | undefined): string {
  if (!value) throw new Error(`environments/local.env must set ${name}: the redaction test needs every secret it scrubs`);
  return value;
}

async function scanOutput(text: string, label: string, needles: readonly Needle[], report: ScanReport): Promise<void> {
  await scanBuffer(Buffer.from(text), { file: label, chain: [] }, needles, DEFAULT_LIMITS, report);
}

/** What was scanned, for the report: counts and container kinds, never content. */
function summary(report: ScanReport, reportsDir: string, testResultsDir: string) {
  const kinds: Record<string, number> = {};
  for (const c of report.containers) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
  return { roots: [reportsDir, testResultsDir], files: report.files.length, containers: kinds, zipEntries: report.containers.filter((c) => c.kind === 'zip').reduce((n, c) => n + c.size, 0), findings: report.findings.map(describeFinding) };
}

function tail(text: string): string {
  return text.split('\n').slice(-30).join('\n');
}
