// Issue 13.2: which environments a `playwright test` command line runs (read by the config).
import { expect, test } from '@playwright/test';
import { isSelected, projectFilters, runsTests } from '../../environments/selection';

const rows = [
  { argv: ['test'], filters: [] },
  { argv: ['test', '--project=local'], filters: ['local'] },
  { argv: ['test', '--project', 'local', '--grep', 'x'], filters: ['local'] },
  { argv: ['test', '--project=unit', '--project=selftest'], filters: ['unit', 'selftest'] },
  // --project is variadic: the words after it may be projects, so they count (a stop, never a skip).
  { argv: ['test', '--project=unit', 'tests/environments'], filters: ['unit', 'tests/environments'] },
];
for (const row of rows) {
  test(`projectFilters(${row.argv.join(' ')})`, () => {
    expect(projectFilters(row.argv)).toEqual(row.filters);
  });
}

test('isSelected: none given means all; exact, case-insensitive and * wildcards like Playwright', () => {
  expect(isSelected('staging', [])).toBe(true);
  expect(isSelected('staging', ['local', 'unit'])).toBe(false);
  expect(isSelected('staging', ['Staging'])).toBe(true);
  expect(isSelected('staging-eu', ['staging*'])).toBe(true);
  expect(isSelected('staging', ['stag'])).toBe(false);
});

test('runsTests: only `playwright test` executes projects', () => {
  expect(runsTests(['node', 'cli.js', 'test', '--list'])).toBe(true);
  expect(runsTests(['node', 'cli.js', 'merge-reports', 'blobs'])).toBe(false);
});
