// allure-playwright carries its runtime API calls (labels, parameters, description) from the
// worker as test attachments named "Allure Metadata (…)" of type application/vnd.allure.message+json:
// nine of them per scenario test, listed in Playwright's HTML report as if they were evidence.
// This reporter sits after the Allure reporter (which has read them) and before the HTML one
// (which builds its report from the results at the end) and drops them from each result.
// The blob reporter (sharded runs) is not behind it, so a merge still hands them to Allure.
import type { FullConfig, Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';

export const ALLURE_MESSAGE_CONTENT_TYPE = 'application/vnd.allure.message+json';

export function withoutAllureMessages(attachments: TestResult['attachments']): TestResult['attachments'] {
  return attachments.filter((a) => a.contentType !== ALLURE_MESSAGE_CONTENT_TYPE);
}

const isMessage = (a: TestResult['attachments'][number] | undefined) => a?.contentType === ALLURE_MESSAGE_CONTENT_TYPE;

/**
 * The steps without those attachments, and without the "Attach …" steps that only carried one.
 * The HTML report looks every step attachment up among the result's (a merge of shards attaches
 * through steps), so both lists must lose the same entries.
 */
export function stepsWithoutAllureMessages(steps: readonly TestStep[]): TestStep[] {
  const kept = steps.filter((s) => !(s.attachments.length > 0 && s.attachments.every(isMessage) && s.steps.length === 0));
  for (const step of kept) {
    step.attachments = step.attachments.filter((a) => !isMessage(a));
    step.steps = stepsWithoutAllureMessages(step.steps);
  }
  return kept;
}

/** Whether every step attachment is there yet (a merge resolves them by position, later). */
function allResolved(steps: readonly TestStep[]): boolean {
  for (const step of steps) {
    // An index loop: array methods skip the holes a replayed step leaves.
    for (let i = 0; i < step.attachments.length; i++) if (!step.attachments[i]) return false;
    if (!allResolved(step.steps)) return false;
  }
  return true;
}

export default class HideAllureMessagesReporter implements Reporter {
  private merging = false;

  printsToStdio(): boolean {
    return false;
  }

  onConfigure(config: FullConfig): void {
    // `merge-reports` configures reporters before it knows any project (see the merge-safe Allure
    // reporter). A merge replays steps whose attachments are resolved by position later on, so
    // taking entries out breaks the HTML report's lookup: a merged report keeps them.
    this.merging = config.projects.length === 0 || process.argv.includes('merge-reports');
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    // Checked here too: a merge may not call onConfigure on this reporter.
    if (this.merging || process.argv.includes('merge-reports') || !allResolved(result.steps)) return;
    // A new array, not a splice: the Allure reporter may still be iterating the old one.
    result.attachments = withoutAllureMessages(result.attachments);
    result.steps = stepsWithoutAllureMessages(result.steps);
  }
}
