// The pure shaping of results: counts, cause ranking, cell escaping, the closing line.
import { expect, test } from '@playwright/test';
import type { Verdict } from '../../../helpers/diagnosis/causes';
import type { TestResultEntry } from '../../../helpers/reporting/results-file';
import { buildResultsFile, closingLine, environmentHeadline, rankCauses, summaryMarkdown } from '../../../helpers/reporting/results-summary';

function entry(over: Partial<TestResultEntry>): TestResultEntry {
  return {
    id: 'id', project: 'local', file: 'e2e/x.spec.ts', title: 't', scenario: null, channel: null, transport: null,
    tokenVariant: null, outcome: 'passed', flaky: false, durationMs: 1, verdict: null, timings: {}, error: null, ...over,
  };
}
const verdict = (cause: 'handshake-timeout' | 'tls-failure'): Verdict => ({ layer: 'network', cause, summary: 'a | b', evidence: [], confidence: 'high' });
const run = { startedAt: '2026-11-25T00:00:00.000Z', durationMs: 1000, status: 'failed' } as const;

test('ranks failing causes by count, then name; passing verdicts do not count', () => {
  const entries = [
    entry({ outcome: 'failed', verdict: verdict('tls-failure') }),
    entry({ outcome: 'timedOut', verdict: verdict('handshake-timeout') }),
    entry({ outcome: 'failed', verdict: verdict('handshake-timeout') }),
    entry({ outcome: 'passed', verdict: verdict('tls-failure') }),
  ];
  expect(rankCauses(entries)).toEqual([
    { cause: 'handshake-timeout', tests: 2 },
    { cause: 'tls-failure', tests: 1 },
  ]);
});

test('counts interrupted as skipped, timedOut as failed, and prints the CI line', () => {
  const file = buildResultsFile(run, [
    entry({ outcome: 'interrupted' }),
    entry({ outcome: 'timedOut' }),
    entry({ outcome: 'passed', flaky: true }),
  ]);
  expect(file.counts).toEqual({ passed: 1, failed: 1, skipped: 1, flaky: 1 });
  expect(closingLine(file.counts)).toBe('tests: 1 passed, 1 failed, 1 skipped');
});

test('refuses to build a file that breaks the schema', () => {
  expect(() => buildResultsFile(run, [entry({ outcome: 'bogus' as never })])).toThrow(/outcome/);
});

test('escapes pipes and newlines so every test stays one table row', () => {
  const md = summaryMarkdown(buildResultsFile(run, [entry({ outcome: 'failed', verdict: verdict('tls-failure'), title: 'x\ny' })]));
  expect(md).toContain('| — | local: x y | — | failed | `tls-failure` a \\| b |  |');
});

test('headlines an environment without failures, or with failures but no verdict', () => {
  expect(environmentHeadline('local', [entry({})])).toBe('**local**: 1 passed, 0 failed, 0 skipped — no failures');
  expect(environmentHeadline('local', [entry({ outcome: 'failed' })])).toBe('**local**: 0 passed, 1 failed, 0 skipped — 1 failing without a verdict');
});
