// One Playwright test (its last result) as a results.json entry: annotations, the verdict
// attachment, the records' key timings, and the first line of the error, scrubbed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { TestCase, TestResult } from '@playwright/test/reporter';
import type { TestResultEntry } from './results-file';
import { rampSchema, testResultSchema } from './results-file';
import { ANNOTATION, ATTACHMENT } from './attachment-names';
import { scrubJwts } from '../redaction/jwt-scrub';
import { chartFiles } from './chart-files';

type Attachment = TestResult['attachments'][number];

const ERROR_LINE_CAP = 500;

/** An annotation of the last result (which holds runtime ones too), else the test's static ones. */
export function annotation(test: TestCase, result: TestResult | undefined, type: string): string | null {
  const found = (result?.annotations ?? []).find((a) => a.type === type) ?? test.annotations.find((a) => a.type === type);
  return found?.description ?? null;
}

export function attachmentText(attachment: Attachment): string | null {
  try {
    if (attachment.body) return attachment.body.toString('utf8');
    if (attachment.path) return readFileSync(attachment.path, 'utf8');
  } catch {
    // A vanished attachment file is missing evidence, not a reporter crash.
  }
  return null;
}

export function attachmentJson(attachment: Attachment): unknown {
  const text = attachmentText(attachment);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseVerdict(result: TestResult | undefined): TestResultEntry['verdict'] {
  // The last one: a failed test's healthy verdict is superseded after the test (verdictForFailedTest).
  const attachment = result?.attachments.filter((a) => a.name === ATTACHMENT.verdict).pop();
  if (!attachment) return null;
  const parsed = testResultSchema.shape.verdict.safeParse(attachmentJson(attachment));
  return parsed.success ? parsed.data : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The time a record's handshake was decided: the raw channel's total, or for the browser
 * (which has no total) the response, else the frame error, else the close.
 */
export function recordKeyMs(record: unknown): number | null {
  if (!isRecord(record) || !isRecord(record.timing)) return null;
  const t = record.timing;
  const candidates = record.channel === 'browser' ? [t.responseMs, t.errorMs, t.closedMs] : [t.totalMs];
  const ms = candidates.find((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return ms ?? null;
}

function parseTimings(result: TestResult | undefined): Record<string, number> {
  const timings: Record<string, number> = {};
  for (const attachment of result?.attachments ?? []) {
    if (!attachment.name.startsWith(ATTACHMENT.recordPrefix)) continue;
    const ms = recordKeyMs(attachmentJson(attachment));
    if (ms !== null) timings[attachment.name.slice(ATTACHMENT.recordPrefix.length)] = round1(ms);
  }
  return timings;
}

/** To 0.1 ms: the probes measure no finer, and a file of 0.30000000000000004 reads as noise. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The ramp attachment's loose shape: only the fields the compact form keeps (zod drops the rest). */
const rampAttachmentSchema = rampSchema;

/** The burst ramp, compact (no per-attempt times: those are in the attachment and its chart). */
export function parseRamp(result: TestResult | undefined): TestResultEntry['ramp'] {
  const attachment = result?.attachments.find((a) => a.name === ATTACHMENT.ramp);
  if (!attachment) return null;
  const parsed = rampAttachmentSchema.safeParse(attachmentJson(attachment));
  if (!parsed.success) return null;
  return {
    stopped: parsed.data.stopped,
    ...(parsed.data.startedAt ? { startedAt: parsed.data.startedAt, endedAt: parsed.data.endedAt } : {}),
    steps: parsed.data.steps.map((s) => ({
      concurrency: s.concurrency,
      attempts: s.attempts,
      refused: s.refused,
      refusalRate: Math.round(s.refusalRate * 10_000) / 10_000,
      interval: { low: Math.round(s.interval.low * 10_000) / 10_000, high: Math.round(s.interval.high * 10_000) / 10_000, confidence: s.interval.confidence },
      p50Ms: round1(s.p50Ms),
      p95Ms: round1(s.p95Ms),
    })),
  };
}

/** The burst's numbers (no records: those are in the attachment), null when the test ran none. */
function parseBurst(result: TestResult | undefined): TestResultEntry['burst'] {
  const attachment = result?.attachments.find((a) => a.name === ATTACHMENT.burst);
  if (!attachment) return null;
  const parsed = testResultSchema.shape.burst.safeParse(attachmentJson(attachment));
  return parsed.success ? (parsed.data ?? null) : null;
}

/** The first meaningful line of the failure: the verdict headline when a scenario failed. */
export function firstErrorLine(result: TestResult | undefined): string | null {
  const error = result?.errors[0] ?? result?.error;
  const text = error?.message ?? error?.value;
  if (!text) return null;
  // Playwright colours matcher output; a report file wants plain text.
  const line = stripVTControlCharacters(text)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (!line) return null;
  const scrubbed = scrubJwts(line.replace(/^Error:\s+/, ''));
  return scrubbed.length > ERROR_LINE_CAP ? `${scrubbed.slice(0, ERROR_LINE_CAP - 1)}…` : scrubbed;
}

export function testEntry(test: TestCase, result: TestResult | undefined, cwd = process.cwd()): TestResultEntry {
  // NAME and NAME:load are one environment: report it, not the project.
  const owner = test.parent.project();
  const environment = (owner?.metadata as { environment?: unknown } | undefined)?.environment;
  const project = typeof environment === 'string' ? environment : (owner?.name ?? '');
  // titlePath: ['', project, file, ...describes, title]
  const title = test.titlePath().slice(3).join(' › ');
  const charts = chartFiles(test, result, project, title).map(({ name, path: file }) => ({ name, path: file }));
  return {
    id: test.id,
    project,
    file: path.relative(cwd, test.location.file).split(path.sep).join('/'),
    title,
    scenario: annotation(test, result, ANNOTATION.scenario),
    channel: annotation(test, result, ANNOTATION.channel),
    transport: annotation(test, result, ANNOTATION.transport),
    tokenVariant: annotation(test, result, ANNOTATION.tokenVariant),
    outcome: result?.status ?? 'skipped',
    flaky: test.outcome() === 'flaky',
    durationMs: result?.duration ?? 0,
    ...(result ? { startedAt: result.startTime.toISOString() } : {}),
    verdict: parseVerdict(result),
    timings: parseTimings(result),
    error: result && result.status !== 'passed' && result.status !== 'skipped' ? firstErrorLine(result) : null,
    burst: parseBurst(result),
    ramp: parseRamp(result),
    ...(charts.length > 0 ? { charts } : {}),
  };
}
