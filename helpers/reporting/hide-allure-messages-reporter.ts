// allure-playwright carries its runtime API calls (labels, parameters, description) from the
// worker as test attachments named "Allure Metadata (…)" of type application/vnd.allure.message+json:
// nine of them per scenario test, listed in Playwright's HTML report as if they were evidence.
// This reporter sits after the Allure reporter (which has read them) and before the HTML one
// (which builds its report from the results at the end) and drops them from each result.
// The blob reporter (sharded runs) is not behind it, so a merge still hands them to Allure.
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export const ALLURE_MESSAGE_CONTENT_TYPE = 'application/vnd.allure.message+json';

export function withoutAllureMessages(attachments: TestResult['attachments']): TestResult['attachments'] {
  return attachments.filter((a) => a.contentType !== ALLURE_MESSAGE_CONTENT_TYPE);
}

export default class HideAllureMessagesReporter implements Reporter {
  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    // A new array, not a splice: the Allure reporter may still be iterating the old one.
    result.attachments = withoutAllureMessages(result.attachments);
  }
}
