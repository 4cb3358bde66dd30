// Clears the previous run's reports once this run has really begun: Playwright calls onBegin
// only after the config loaded, the projects resolved and the tests were collected. A run that
// stops before that (bad env file, no browser, unknown project, a merge with no blobs) leaves
// the last good reports as they were. First in the reporter list, so the other reporters write
// into clean folders.
import type { Reporter } from '@playwright/test/reporter';
import { cleanRunOutputs } from './run-outputs';
import { resolveReportsDir, type SummaryReporterOptions } from './summary-reporter';

export default class RunOutputsReporter implements Reporter {
  private readonly reportsDir: string;

  constructor(options: SummaryReporterOptions = {}) {
    this.reportsDir = resolveReportsDir(options);
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(): void {
    cleanRunOutputs(this.reportsDir);
  }
}
