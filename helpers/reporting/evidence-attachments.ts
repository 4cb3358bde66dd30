// Attaches a test's evidence under the names the reporter and the Allure report read
// (helpers/reporting/attachment-names.ts). Callers pass evidence already redacted; every text
// and JSON body goes through `redact` once more here, as defence in depth.
import type { TestInfo } from '@playwright/test';
import { labelVerdict } from './allure-labels';
import type { Verdict } from '../diagnosis/causes';
import type { ConfigFacts } from '../records/config-facts';
import { burstRampSvg } from '../charts/burst-ramp';
import { timingWaterfallSvg } from '../charts/timing-waterfall';
import type { BurstRamp, ConsoleLine, HandshakeRecord, RawRecord } from '../records/handshake-record';
import { ANNOTATION, ATTACHMENT } from './attachment-names';
import { redactDeepWith } from '../redaction/redaction';
import type { Target } from '../target/target';

export type Redact = (text: string) => string;

/**
 * JSON text of a value, redacted twice: string by string (structure kept, redactDeepWith), then as a whole
 * (patterns that span a key and its value). The whole-text pass is kept only if it still parses.
 */
export function redactedJson(value: unknown, redact: Redact): string {
  const walked = JSON.stringify(redactDeepWith(value, redact), null, 2);
  const whole = redact(walked);
  try {
    JSON.parse(whole);
    return whole;
  } catch {
    return walked;
  }
}

export async function attachJson(testInfo: TestInfo, name: string, value: unknown, redact: Redact): Promise<void> {
  await testInfo.attach(redact(name), { body: redactedJson(value, redact), contentType: 'application/json' });
}

/** The verdict as JSON (results.json reads it) and at the top of the test's Allure description. */
export async function attachVerdict(testInfo: TestInfo, verdict: Verdict, redact: Redact): Promise<void> {
  await attachJson(testInfo, ATTACHMENT.verdict, verdict, redact);
  labelVerdict(verdict, redact);
}

/** `record: <label>`; the reporter keys the record's timing by that label. */
export async function attachRecord(testInfo: TestInfo, record: HandshakeRecord, redact: Redact): Promise<void> {
  await attachJson(testInfo, `${ATTACHMENT.recordPrefix}${record.label}`, record, redact);
}

export async function attachConfigFacts(testInfo: TestInfo, facts: ConfigFacts, redact: Redact): Promise<void> {
  await attachJson(testInfo, ATTACHMENT.configFacts, facts, redact);
}

export const SVG_CONTENT_TYPE = 'image/svg+xml';

/**
 * The timing waterfall of a test's raw handshakes (valid and forged side by side), one row per
 * record. Nothing is attached for an empty list.
 */
export async function attachTimingWaterfall(testInfo: TestInfo, records: readonly RawRecord[], redact: Redact): Promise<void> {
  if (records.length === 0) return;
  await testInfo.attach(ATTACHMENT.timingWaterfall, { body: timingWaterfallSvg(records, redact), contentType: SVG_CONTENT_TYPE });
}

/**
 * The burst ramp: its steps as JSON (under the name results.json reads) and its chart (refusal
 * rate with interval and p95 per step, and the attempts' latency histogram).
 */
export async function attachBurstRamp(testInfo: TestInfo, ramp: BurstRamp, redact: Redact): Promise<void> {
  await attachJson(testInfo, ATTACHMENT.ramp, ramp, redact);
  await testInfo.attach(ATTACHMENT.rampChart, { body: burstRampSvg(ramp, redact), contentType: SVG_CONTENT_TYPE });
}

/** Only the URLs of a target: given a whole Target, its settings and secrets stay out. */
export async function attachTarget(
  testInfo: TestInfo,
  target: Pick<Target, 'name' | 'frontendUrl' | 'backendUrl' | 'authUrl' | 'wsUrl'>,
  redact: Redact,
): Promise<void> {
  const { name, frontendUrl, backendUrl, authUrl, wsUrl } = target;
  await attachJson(testInfo, ATTACHMENT.target, { name, frontendUrl, backendUrl, authUrl, wsUrl }, redact);
}

/** The page's console, one line a message: `+123ms error: text`. */
export async function attachConsole(testInfo: TestInfo, lines: readonly (ConsoleLine | string)[], redact: Redact): Promise<void> {
  const text = lines.map((l) => (typeof l === 'string' ? l : `+${Math.round(l.atMs)}ms ${l.type}: ${l.text}`)).join('\n');
  await testInfo.attach(ATTACHMENT.console, { body: redact(text), contentType: 'text/plain' });
}

/** A screenshot cannot be redacted: the caller must not show secrets on screen. */
export async function attachScreenshot(testInfo: TestInfo, png: Buffer, name: string = ATTACHMENT.screenshot): Promise<void> {
  await testInfo.attach(name, { body: png, contentType: 'image/png' });
}

/** Chromium's version for the report's environment info (the reporter reads this annotation). */
export function annotateBrowserVersion(testInfo: TestInfo, version: string): void {
  if (!testInfo.annotations.some((a) => a.type === ANNOTATION.browserVersion)) {
    testInfo.annotations.push({ type: ANNOTATION.browserVersion, description: version });
  }
}
