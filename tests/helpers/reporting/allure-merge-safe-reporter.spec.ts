import { test, expect } from '@playwright/test';
import type { FullConfig } from '@playwright/test';
import type { FullProject, Suite } from '@playwright/test/reporter';
import { AllureReporter } from 'allure-playwright';
import AllureMergeSafeReporter from '../../../helpers/reporting/allure-merge-safe-reporter';

// What `playwright merge-reports` hands a reporter: a config without projects, then a suite whose
// project suites carry them. Only the fields the reporter reads are filled in.
const mergeConfig = { projects: [], rootDir: '/repo' } as unknown as FullConfig;
const project = { name: 'local', outputDir: '/repo/test-results', snapshotDir: '/repo/e2e' } as unknown as FullProject;
const mergedSuite = { suites: [{ project: () => project }] } as unknown as Suite;

test('allure-playwright itself throws on a merge config (the bug this reporter works around)', () => {
  const plain = new AllureReporter({ resultsDir: test.info().outputPath('plain') });
  expect(() => plain.onConfigure(mergeConfig)).toThrow(TypeError);
});

test('under a merge it configures Allure from the merged suite at onBegin', () => {
  const reporter = new AllureMergeSafeReporter({ resultsDir: test.info().outputPath('merge') });
  expect(() => reporter.onConfigure(mergeConfig)).not.toThrow();
  expect(reporter.outputDir).toBeUndefined();
  reporter.onBegin(mergedSuite);
  expect(reporter.outputDir).toBe('/repo/test-results');
  expect(reporter.snapshotDir).toBe('/repo/e2e');
  expect(reporter.config.rootDir).toBe('/repo');
});

test('a normal run is configured at onConfigure, as allure-playwright does', () => {
  const reporter = new AllureMergeSafeReporter({ resultsDir: test.info().outputPath('run') });
  reporter.onConfigure({ ...mergeConfig, projects: [project] });
  expect(reporter.outputDir).toBe('/repo/test-results');
});
