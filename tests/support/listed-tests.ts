// Playwright's own view of a project's tests, without running them: `playwright test --list` with
// the JSON reporter, flattened to one entry per test in the order Playwright hands them out.
import { cleanEnv, runScript } from './run-script';

export interface ListedTest {
  file: string;
  /** The describe titles and the test's own, joined with ' › ' (as results.json writes them). */
  title: string;
}

interface Suite {
  file?: string;
  title: string;
  specs?: Array<{ title: string; file: string }>;
  suites?: Suite[];
}

/** The tests of `project` in listing order; throws with the runner's stderr when the listing fails. */
export async function listedTests(project: string, reportsDir: string): Promise<ListedTest[]> {
  const listing = await runScript(
    process.execPath,
    [require.resolve('@playwright/test/cli'), 'test', '--list', `--project=${project}`, '--reporter=json'],
    cleanEnv({ REPORTS_DIR: reportsDir }),
    60_000,
  );
  if (listing.code !== 0) throw new Error(`playwright test --list --project=${project} exited ${listing.code}: ${listing.stderr}`);
  const tests: ListedTest[] = [];
  const walk = (suite: Suite, titles: string[]) => {
    for (const spec of suite.specs ?? []) tests.push({ file: spec.file, title: [...titles, spec.title].join(' › ') });
    // A file's own suite carries the file name as its title: not part of a test's title.
    for (const child of suite.suites ?? []) walk(child, child.file === child.title ? titles : [...titles, child.title]);
  };
  for (const suite of (JSON.parse(listing.stdout) as { suites: Suite[] }).suites) walk(suite, []);
  return tests;
}
