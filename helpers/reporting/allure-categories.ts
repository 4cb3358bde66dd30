// Allure categories generated from CAUSES, the one source of truth: a failing test's message
// starts with verdictHeadline(), `Verdict [<cause>] at <layer>: …`, and each category matches
// exactly its own `[<cause>]` tag. Written as JSON for allurerc.mjs (which cannot import TS).
import { CAUSE_NAMES, CAUSES, type Cause } from '../diagnosis/causes';

/** The subset of Allure 3's CategoryRule we emit: plain JSON, regexes as strings. */
export interface AllureCategory {
  id: string;
  name: string;
  matchers: { statuses: ('failed' | 'broken')[]; message?: string };
  groupBy?: 'environment'[];
  groupByMessage?: boolean;
}

// Allure 3 names its built-in defaults so; listing them last keeps them as the fallbacks
// for failures that carry no verdict (a product assertion or a broken test).
export const PRODUCT_DEFECTS = 'Product errors';
export const TEST_DEFECTS = 'Test errors';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The message pattern of one cause: its tag as verdictHeadline() writes it. */
export function causePattern(cause: Cause): string {
  return `Verdict \\[${escapeRegExp(cause)}\\] at `;
}

export function allureCategories(): AllureCategory[] {
  const byCause: AllureCategory[] = CAUSE_NAMES.map((cause) => ({
    id: `cause:${cause}`,
    name: `${CAUSES[cause].title} [${cause}]`,
    // A verdict can end a test as failed (assertion) or broken (thrown), so both count.
    matchers: { statuses: ['failed', 'broken'], message: causePattern(cause) },
    groupBy: ['environment'],
    groupByMessage: false,
  }));
  return [
    ...byCause,
    { id: '_product_errors_default_category', name: PRODUCT_DEFECTS, matchers: { statuses: ['failed'] } },
    { id: '_test_errors_default_category', name: TEST_DEFECTS, matchers: { statuses: ['broken'] } },
  ];
}
