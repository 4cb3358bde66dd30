// reports/results.json: the machine-readable outcome of a run, for trend tools, bots and the
// exit code of `npm run repro`. A zod schema because other programs read it back.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CAUSE_NAMES, type Cause } from '../diagnosis/causes';

export const RESULTS_FILE_VERSION = 1;

/** The burst ramp in compact form: per concurrency step, its counts, interval and times (no per-attempt times). */
export const rampSchema = z.object({
  stopped: z.enum(['completed', 'refusals']),
  /** When the ramp's first handshake started and its last ended (ISO); older files lack them. */
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  steps: z.array(
    z.object({
      concurrency: z.number(),
      attempts: z.number(),
      refused: z.number(),
      refusalRate: z.number(),
      interval: z.object({ low: z.number(), high: z.number(), confidence: z.number() }),
      p50Ms: z.number(),
      p95Ms: z.number(),
    }),
  ),
});

const verdictSchema = z.object({
  layer: z.string(),
  cause: z.enum(CAUSE_NAMES as [Cause, ...Cause[]]),
  summary: z.string(),
  evidence: z.array(z.string()),
  confidence: z.enum(['high', 'medium', 'low']),
  /** Every cause that still fits when the evidence could not single one out, most likely first. */
  candidates: z.array(z.enum(CAUSE_NAMES as [Cause, ...Cause[]])).optional(),
  /** The comparison or app message that decided. */
  decidedBy: z.string().optional(),
});

export const testResultSchema = z.object({
  /** Playwright's stable test id. */
  id: z.string(),
  project: z.string(),
  file: z.string(),
  /** Full title path below the file: describe titles and the test title. */
  title: z.string(),
  /** config-verification | valid-jwt | invalid-jwt | timeout | reproduce-403 (from the `scenario` annotation); null for the suite's own tests. */
  scenario: z.string().nullable(),
  channel: z.string().nullable(),
  transport: z.string().nullable(),
  tokenVariant: z.string().nullable(),
  outcome: z.enum(['passed', 'failed', 'timedOut', 'skipped', 'interrupted']),
  /** Playwright's flaky marker: passed on a retry. */
  flaky: z.boolean(),
  durationMs: z.number(),
  /** When the test started (ISO); older files lack it. */
  startedAt: z.string().optional(),
  verdict: verdictSchema.nullable(),
  /** Key timings from the test's records: handshake total, by channel/label. */
  timings: z.record(z.string(), z.number()),
  /** First line of the failure message (already redacted), null when it passed. */
  error: z.string().nullable(),
  /** The test's burst of valid handshakes, when it ran one: counts and the refusal rate's interval. */
  burst: z
    .object({
      attempts: z.number(),
      opened: z.number(),
      refusalRate: z.number(),
      interval: z.object({ low: z.number(), high: z.number(), confidence: z.number() }),
    })
    .nullable()
    .optional(),
  /** The burst ramp, when the test ran one: per concurrency step, its counts, interval and times. Optional: older files lack it. */
  ramp: rampSchema.nullable().optional(),
  /** SVG charts the summary reporter copied to <REPORTS_DIR>/charts/, relative to REPORTS_DIR. Optional: older files lack it. */
  charts: z.array(z.object({ name: z.string(), path: z.string() })).optional(),
});

export const resultsFileSchema = z.object({
  version: z.literal(RESULTS_FILE_VERSION),
  startedAt: z.string(),
  durationMs: z.number(),
  /** Playwright's overall status. */
  status: z.enum(['passed', 'failed', 'timedout', 'interrupted']),
  environments: z.array(z.string()),
  counts: z.object({ passed: z.number(), failed: z.number(), skipped: z.number(), flaky: z.number() }),
  /** The causes of failing tests' verdicts, most frequent first: the run's headline. */
  causes: z.array(z.object({ cause: z.string(), tests: z.number() })),
  tests: z.array(testResultSchema),
});

export type TestResultEntry = z.infer<typeof testResultSchema>;
export type ResultsFile = z.infer<typeof resultsFileSchema>;

export const RESULTS_FILE_NAME = 'results.json';

/** <reportsDir>/results.json, checked against the schema; null when the run wrote none. Throws, naming the file, when it is unreadable or off-schema. */
export function readResultsFile(reportsDir: string): ResultsFile | null {
  const file = path.join(reportsDir, RESULTS_FILE_NAME);
  if (!fs.existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not readable JSON: ${(error as Error).message}`);
  }
  const parsed = resultsFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} does not match the results schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
