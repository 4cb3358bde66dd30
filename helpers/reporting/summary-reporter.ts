// The run's summary, written by a Playwright reporter in the runner's main process:
// <REPORTS_DIR>/results.json (validated), <REPORTS_DIR>/summary.md, the Allure environment
// info, and a compact verdict table on stdout ending with `tests: N passed, N failed, N skipped`.
// Works the same under `playwright merge-reports` (it only reads the reporter API).
import path from 'node:path';
import type { FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import { environmentProperties, gitSha, isTargetUrls, suiteVersion, type TargetUrls } from './allure-environment';
import { ANNOTATION, ATTACHMENT } from './attachment-names';
import { writeFileAtomic } from './atomic-write';
import { RESULTS_FILE_NAME, type TestResultEntry } from './results-file';
import { buildResultsFile, closingLine, summaryMarkdown, verdictTable } from './results-summary';
import { chartFiles } from './chart-files';
import { annotation, attachmentJson, testEntry } from './test-entry';

export interface SummaryReporterOptions {
  /** Defaults to $REPORTS_DIR, else `reports`, resolved from the working directory. */
  reportsDir?: string;
}

export function resolveReportsDir(options: SummaryReporterOptions = {}, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(options.reportsDir ?? env.REPORTS_DIR ?? 'reports');
}

export default class SummaryReporter implements Reporter {
  private readonly reportsDir: string;
  private suite: Suite | null = null;
  private readonly entries = new Map<string, TestResultEntry>();
  private readonly targets = new Map<string, TargetUrls>();
  private browserVersion: string | null = null;

  constructor(options: SummaryReporterOptions = {}) {
    this.reportsDir = resolveReportsDir(options);
  }

  printsToStdio(): boolean {
    return true;
  }

  onBegin(_config: unknown, suite: Suite): void {
    this.suite = suite;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // A retry overwrites the earlier attempt: the entry describes the last result.
    const entry = testEntry(test, result);
    this.entries.set(test.id, entry);
    // The charts as files now, while the attachments are at hand; summary.md links them.
    for (const chart of chartFiles(test, result, entry.project, entry.title)) writeFileAtomic(path.join(this.reportsDir, chart.path), chart.svg);
    this.browserVersion = annotation(test, result, ANNOTATION.browserVersion) ?? this.browserVersion;
    for (const a of result.attachments) {
      if (a.name !== ATTACHMENT.target) continue;
      const target = attachmentJson(a);
      if (isTargetUrls(target)) this.targets.set(target.name, target);
    }
  }

  onEnd(result: FullResult): void {
    // No test ended: `--list`, or a run stopped before its first test. The last run's reports
    // stay as they were rather than being replaced by a table of tests that never ran.
    if (this.entries.size === 0) return;
    // Suite order, not finishing order, so a merged run reads the same as a single one;
    // tests that never ran (interrupted, max failures) still get a row.
    const tests = this.suite?.allTests() ?? [];
    const entries = tests.map((t) => this.entries.get(t.id) ?? testEntry(t, t.results.at(-1)));
    let results: ReturnType<typeof buildResultsFile>;
    try {
      results = buildResultsFile(
        { startedAt: result.startTime.toISOString(), durationMs: Math.round(result.duration), status: result.status },
        entries,
      );
    } catch (error) {
      process.stderr.write(`summary reporter: results.json NOT written, it would not match its schema: ${String(error)}\n`);
      return;
    }
    writeFileAtomic(path.join(this.reportsDir, RESULTS_FILE_NAME), `${JSON.stringify(results, null, 2)}\n`);
    writeFileAtomic(path.join(this.reportsDir, 'summary.md'), summaryMarkdown(results));
    writeFileAtomic(
      path.join(this.reportsDir, 'allure-results', 'environment.properties'),
      environmentProperties({
        targets: [...this.targets.values()],
        browserVersion: this.browserVersion,
        suiteVersion: suiteVersion(),
        gitSha: gitSha(),
        nodeVersion: process.version,
      }),
    );
    const out = ['', ...verdictTable(results), `summary: ${path.join(this.reportsDir, 'summary.md')}`, closingLine(results.counts)];
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
