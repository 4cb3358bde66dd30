// Pure functions from test entries to the results file, summary.md and the stdout table.
// The reporter gathers entries; everything a reader sees is shaped here, so it is testable
// without running Playwright.
import { CAUSES, type Cause } from '../causes';
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

function verdictCell(entry: TestResultEntry): string {
  if (entry.verdict) return `\`${entry.verdict.cause}\` ${entry.verdict.summary}`;
  return entry.error ?? '';
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
  const lines = [
    '# WebSocket handshake auth — run summary',
    '',
    `Started ${results.startedAt}, ${(results.durationMs / 1000).toFixed(1)} s, status **${results.status}**.`,
    '',
    ...results.environments.map((env) => `- ${environmentHeadline(env, results.tests)}`),
    '',
    '| Scenario | Test | Channel | Outcome | Verdict | Key timing |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.tests.map((e) =>
      [
        e.scenario ?? '—',
        `${e.project}: ${e.title}`,
        e.channel ?? '—',
        outcomeCell(e),
        verdictCell(e),
        keyTiming(e),
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
  const clipped = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return clipped.padEnd(width);
}

/**
 * The compact stdout table: one line for each scenario test or test that did not pass (the
 * list reporter already names the rest), then one headline per environment.
 */
export function verdictTable(results: ResultsFile): string[] {
  const shown = results.tests.filter((e) => e.scenario !== null || e.outcome !== 'passed' || e.flaky);
  const rows = shown.map((e) =>
    [
      pad(outcomeCell(e), 16),
      pad(e.project, 10),
      pad(e.scenario ?? '—', 20),
      pad(e.channel ?? '—', 12),
      pad(e.title, 40),
      e.verdict ? `[${e.verdict.cause}] ${e.verdict.summary}` : (e.error ?? ''),
    ]
      .join(' ')
      .trimEnd(),
  );
  const header = [pad('outcome', 16), pad('project', 10), pad('scenario', 20), pad('channel', 12), pad('test', 40), 'verdict'].join(' ');
  return [
    ...(rows.length ? [header, ...rows] : []),
    ...results.environments.map((env) => environmentHeadline(env, results.tests).replace(/\*\*|`/g, '')),
  ];
}
