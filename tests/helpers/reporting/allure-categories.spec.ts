// Categories from CAUSES, checked with Allure 3's own normaliser and matcher (the code the
// report runs): each cause's headline lands in its own category and in no other.
import { type CategoryMatchingData, matchCategory, matchCategoryMatcher, normalizeCategoriesConfig } from '@allurereport/core-api';
import { expect, test } from '@playwright/test';
import { CAUSE_NAMES, CAUSES, type Cause, verdictHeadline } from '../../../helpers/diagnosis/causes';
import { allureCategories, PRODUCT_DEFECTS, TEST_DEFECTS } from '../../../helpers/reporting/allure-categories';

const categories = normalizeCategoriesConfig(allureCategories());

/** A failing scenario's message as Playwright reports it: headline, evidence, matcher output. */
function failure(cause: Cause, status: 'failed' | 'broken' = 'failed'): CategoryMatchingData {
  const headline = verdictHeadline({ layer: CAUSES[cause].layer, cause, summary: 'sample summary', evidence: [], confidence: 'high' });
  return { status, labels: [], flaky: false, message: `${headline}\nevidence line\n\nexpect(received).toBe(expected)` };
}

test('one category per cause, then the product and test defaults', () => {
  expect(categories.map((c) => c.name)).toEqual([...CAUSE_NAMES.map((c) => `${CAUSES[c].title} [${c}]`), PRODUCT_DEFECTS, TEST_DEFECTS]);
});

for (const cause of CAUSE_NAMES) {
  test(`a [${cause}] headline matches its category and no other`, () => {
    const sample = failure(cause);
    expect(matchCategory(categories, sample)?.id).toBe(`cause:${cause}`);
    const others = categories.filter((c) => c.id.startsWith('cause:') && c.id !== `cause:${cause}`);
    expect(others.filter((c) => c.matchers.some((m) => matchCategoryMatcher(m, sample))).map((c) => c.id)).toEqual([]);
  });
}

test('a thrown (broken) verdict is categorised by its cause too', () => {
  expect(matchCategory(categories, failure('handshake-timeout', 'broken'))?.id).toBe('cause:handshake-timeout');
});

test('failures without a verdict fall to the product or test defaults; passes to none', () => {
  const plain = (status: CategoryMatchingData['status']): CategoryMatchingData => ({ status, labels: [], flaky: false, message: 'expect(received).toBe(expected)' });
  expect(matchCategory(categories, plain('failed'))?.name).toBe(PRODUCT_DEFECTS);
  expect(matchCategory(categories, plain('broken'))?.name).toBe(TEST_DEFECTS);
  expect(matchCategory(categories, { ...failure('healthy'), status: 'passed' })).toBeUndefined();
});
