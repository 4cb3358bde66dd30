// Pure functions from test entries to the results file, summary.md and the stdout table.
// The reporter gathers entries; everything a reader sees is shaped here, so it is testable
// without running Playwright.
import { CAUSES, type Cause } from '../diagnosis/causes';
import { RESULTS_FILE_VERSION, type ResultsFile, resultsFileSchema, type TestResultEntry } from './results-file';

export interface RunInfo {
  startedAt: string;
  durationMs: number;
  status: ResultsFile['status'];
}

export function isFailing(entry: TestResultEntry): boolean {
  return entry.outcome === 'failed' || entry.outcome === 'timedOut';
}

export function countOutcomes(entries: readonly TestResultEntry[]): ResultsFile['counts'] {
  return {
    passed: entries.filter((e) => e.outcome === 'passed').length,
    failed: entries.filter(isFailing).length,
    // An interrupted test did not finish: it reached no verdict, like a skipped one.
    skipped: entries.filter((e) => e.outcome === 'skipped' || e.outcome === 'interrupted').length,
    flaky: entries.filter((e) => e.flaky).length,
  };
}

/** Causes of failing tests' verdicts, most frequent first, ties by name. */
export function rankCauses(entries: readonly TestResultEntry[]): ResultsFile['causes'] {
  const counts = new Map<string, number>();
  for (const e of entries) {
    if (isFailing(e) && e.verdict) counts.set(e.verdict.cause, (counts.get(e.verdict.cause) ?? 0) + 1);
  }
  return [...counts]
    .map(([cause, tests]) => ({ cause, tests }))
    .sort((a, b) => b.tests - a.tests || a.cause.localeCompare(b.cause));
}

/** Builds and validates the file; throws (with zod's issues) rather than write a wrong one. */
export function buildResultsFile(run: RunInfo, entries: readonly TestResultEntry[]): ResultsFile {
  const environments = [...new Set(entries.map((e) => e.project))];
  return resultsFileSchema.parse({
    version: RESULTS_FILE_VERSION,
    ...run,
    environments,
    counts: countOutcomes(entries),
    causes: rankCauses(entries),
    tests: entries,
  });
}

export function closingLine(counts: ResultsFile['counts']): string {
  return `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}

function causeTitle(cause: string): string {
  return cause in CAUSES ? CAUSES[cause as Cause].title : cause;
}

/** The key timing of a test: its records' handshake times, `label 12 ms`. */
export function keyTiming(entry: TestResultEntry): string {
  return Object.entries(entry.timings)
    .map(([label, ms]) => `${label} ${Math.round(ms)} ms`)
    .join('; ');
}

/**
 * What a row says about the verdict. A failing test: its verdict (or its error). A passing test's
 * verdict is about the run's configuration, not about that test: shown only when it is not
 * `healthy`, and then marked as a note so it does not read as the test's outcome.
 */
export function verdictText(entry: TestResultEntry): string {
  if (isFailing(entry)) return entry.verdict ? `[${entry.verdict.cause}] ${entry.verdict.summary}` : (entry.error ?? '');
  if (entry.verdict && entry.verdict.cause !== 'healthy') return `note: [${entry.verdict.cause}] ${entry.verdict.summary}`;
  return '';
}

function verdictCell(entry: TestResultEntry): string {
  const text = verdictText(entry);
  if (!text) return '';
  // `cause` in code style, and a passing test's note in italics: it is context, not the outcome.
  const styled = text.replace(/\[([a-z-]+)\]/, '`$1`');
  return text.startsWith('note: ') ? `*${styled}*` : styled;
}

function chartsCell(entry: TestResultEntry): string {
  return (entry.charts ?? []).map((c) => `[${c.name}](${c.path})`).join(' · ');
}

function outcomeCell(entry: TestResultEntry): string {
  return entry.flaky ? `${entry.outcome} (flaky)` : entry.outcome;
}

// A cell must stay on one row of the table.
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The headline of one environment: its counts and its most frequent failing cause. */
export function environmentHeadline(env: string, entries: readonly TestResultEntry[]): string {
  const mine = entries.filter((e) => e.project === env);
  const counts = countOutcomes(mine);
  const top = rankCauses(mine)[0];
  const failingWithout = mine.filter((e) => isFailing(e) && !e.verdict).length;
  let why: string;
  if (top) why = `most frequent failing cause: \`${top.cause}\` (${causeTitle(top.cause)}) in ${top.tests} of ${counts.failed} failing`;
  else if (failingWithout > 0) why = `${failingWithout} failing without a verdict`;
  else why = 'no failures';
  return `**${env || '(no project)'}**: ${closingLine(counts).replace('tests: ', '')} — ${why}`;
}

export function summaryMarkdown(results: ResultsFile): string {
  const withCharts = results.tests.some((e) => (e.charts ?? []).length > 0);
  const lines = [
    '# WebSocket handshake auth — run summary',
    '',
    `Started ${results.startedAt}, ${(results.durationMs / 1000).toFixed(1)} s, status **${results.status}**.`,
    '',
    ...results.environments.map((env) => `- ${environmentHeadline(env, results.tests)}`),
    '',
    `| Scenario | Test | Channel | Outcome | Verdict | Key timing |${withCharts ? ' Charts |' : ''}`,
    `| --- | --- | --- | --- | --- | --- |${withCharts ? ' --- |' : ''}`,
    ...results.tests.map((e) =>
      [
        e.scenario ?? '—',
        `${e.project}: ${e.title}`,
        e.channel ?? '—',
        outcomeCell(e),
        verdictCell(e),
        keyTiming(e),
        ...(withCharts ? [chartsCell(e)] : []),
      ]
        .map((c) => cell(c))
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    ),
    '',
    closingLine(results.counts),
    '',
  ];
  return lines.join('\n');
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** The test's own title, without the describe titles the scenario column already names. */
export function shortTitle(entry: TestResultEntry): string {
  return entry.title.split(' › ').at(-1) ?? entry.title;
}

const VERDICT_INDENT = ' '.repeat(17);

/**
 * The compact stdout table: one line for each scenario test or test that did not pass (the
 * list reporter already names the rest), then one headline per environment. The test's title
 * comes last and whole (a cut title left rows reading alike); a failing test's verdict, or a
 * passing test's configuration note, goes on an indented line below it.
 */
export function verdictTable(results: ResultsFile): string[] {
  const shown = results.tests.filter((e) => e.scenario !== null || e.outcome !== 'passed' || e.flaky);
  const rows = shown.flatMap((e) => {
    const line = [pad(outcomeCell(e), 16), pad(e.project, 10), pad(e.scenario ?? '—', 20), pad(e.channel ?? '—', 12), shortTitle(e)].join(' ');
    const verdict = verdictText(e);
    return verdict ? [line, `${VERDICT_INDENT}└ ${verdict}`] : [line];
  });
  const header = [pad('outcome', 16), pad('project', 10), pad('scenario', 20), pad('channel', 12), 'test'].join(' ');
  return [
    ...(rows.length ? [header, ...rows] : []),
    ...results.environments.map((env) => environmentHeadline(env, results.tests).replace(/\*\*|`/g, '')),
  ];
}
