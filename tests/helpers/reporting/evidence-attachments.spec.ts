// The attach functions on the running test's own TestInfo: names, content types, bodies,
// and the defence-in-depth redaction (keys and values, JSON kept valid).
import { expect, type TestInfo, test } from '@playwright/test';
import type { Verdict } from '../../../helpers/diagnosis/causes';
import {
  annotateBrowserVersion,
  attachConsole,
  attachJson,
  attachRecord,
  attachScreenshot,
  attachBurstRamp,
  attachTarget,
  attachTimingWaterfall,
  attachVerdict,
  redactedJson,
} from '../../../helpers/reporting/evidence-attachments';
import { ATTACHMENT } from '../../../helpers/reporting/attachment-names';
import { parseRamp } from '../../../helpers/reporting/test-entry';
import type { RawRecord } from '../../../helpers/records/handshake-record';
import { RAMP } from '../../support/ramp-fixture';
import { rawOpen } from '../../support/record-fixtures';

const SECRET = 'super-secret-value';
const redact = (text: string) => text.split(SECRET).join('‹fp:0000›');

function attached(testInfo: TestInfo, name: string): { contentType: string; body: string } {
  const a = testInfo.attachments.find((x) => x.name === name);
  if (!a?.body) throw new Error(`no attachment ${name}`);
  return { contentType: a.contentType, body: a.body.toString('utf8') };
}

test('attachJson redacts keys and values and keeps valid JSON', async () => {
  const testInfo = test.info();
  await attachJson(testInfo, 'facts', { [SECRET]: 1, nested: [{ header: `Bearer ${SECRET}` }], n: 3, ok: true }, redact);
  const { contentType, body } = attached(testInfo, 'facts');
  expect(contentType).toBe('application/json');
  expect(JSON.parse(body)).toEqual({ '‹fp:0000›': 1, nested: [{ header: 'Bearer ‹fp:0000›' }], n: 3, ok: true });
});

test('redactedJson keeps the structure-safe form when a whole-text redaction would break JSON', () => {
  const breaking = (text: string) => text.replace(/"b"/g, 'b"');
  // Per string nothing matches (no quotes inside a value); the whole text would lose a quote.
  expect(JSON.parse(redactedJson({ a: 'b' }, breaking))).toEqual({ a: 'b' });
});

test('attachVerdict and attachRecord use the names the reporter reads', async () => {
  const testInfo = test.info();
  const verdict: Verdict = { layer: 'none', cause: 'healthy', summary: 'ok', evidence: [`token ${SECRET}`], confidence: 'high' };
  await attachVerdict(testInfo, verdict, redact);
  expect(JSON.parse(attached(testInfo, 'verdict').body)).toEqual({ ...verdict, evidence: ['token ‹fp:0000›'] });
  const record = { channel: 'raw', label: 'valid token via raw subprotocol', timing: { totalMs: 5 } } as unknown as RawRecord;
  await attachRecord(testInfo, record, redact);
  expect(JSON.parse(attached(testInfo, 'record: valid token via raw subprotocol').body)).toEqual(record);
});

test('attachTarget writes only the URLs, never settings or secrets', async () => {
  const testInfo = test.info();
  const target = {
    name: 'staging',
    frontendUrl: 'https://app.example/',
    backendUrl: 'https://api.example/',
    authUrl: 'https://auth.example/',
    wsUrl: 'wss://api.example/ws',
    origin: 'https://app.example',
    ca: null,
    secrets: ['another-secret-value'],
    settings: { JWT_SECRET: 'another-secret-value' },
  };
  await attachTarget(testInfo, target as never, redact);
  expect(JSON.parse(attached(testInfo, 'target').body)).toEqual({
    name: 'staging',
    frontendUrl: 'https://app.example/',
    backendUrl: 'https://api.example/',
    authUrl: 'https://auth.example/',
    wsUrl: 'wss://api.example/ws',
  });
});

test('attachConsole writes one redacted line per message', async () => {
  const testInfo = test.info();
  await attachConsole(testInfo, [{ type: 'error', text: `WebSocket authentication failed ${SECRET}`, atMs: 12.4 }, 'plain line'], redact);
  expect(attached(testInfo, 'console')).toEqual({
    contentType: 'text/plain',
    body: '+12ms error: WebSocket authentication failed ‹fp:0000›\nplain line',
  });
});

test('attachScreenshot attaches the PNG as is', async () => {
  const testInfo = test.info();
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  await attachScreenshot(testInfo, png);
  const a = testInfo.attachments.find((x) => x.name === 'screenshot');
  expect(a?.contentType).toBe('image/png');
  expect(a?.body?.equals(png)).toBe(true);
});

test('annotateBrowserVersion adds one browser-version annotation', async () => {
  const testInfo = test.info();
  annotateBrowserVersion(testInfo, '156.0.7258.5');
  annotateBrowserVersion(testInfo, '156.0.7258.5');
  expect(testInfo.annotations.filter((a) => a.type === 'browser-version')).toEqual([{ type: 'browser-version', description: '156.0.7258.5' }]);
});

test('attachTimingWaterfall attaches one SVG, redacted; nothing for no records', async () => {
  const testInfo = test.info();
  await attachTimingWaterfall(testInfo, [], redact);
  expect(testInfo.attachments.filter((a) => a.name === ATTACHMENT.timingWaterfall)).toHaveLength(0);
  await attachTimingWaterfall(testInfo, [rawOpen('valid', 'subprotocol', { label: `valid ${SECRET}` })], redact);
  const { contentType, body } = attached(testInfo, ATTACHMENT.timingWaterfall);
  expect(contentType).toBe('image/svg+xml');
  expect(body).toContain('<svg');
  expect(body).not.toContain(SECRET);
});

test('attachBurstRamp attaches the ramp as JSON under the name results.json reads, and its chart', async () => {
  const testInfo = test.info();
  await attachBurstRamp(testInfo, RAMP, redact);
  expect(JSON.parse(attached(testInfo, ATTACHMENT.ramp).body)).toEqual(RAMP);
  expect(attached(testInfo, ATTACHMENT.rampChart)).toMatchObject({ contentType: 'image/svg+xml' });
  // The results file's compact form, read back from exactly that attachment.
  const ramp = parseRamp({ attachments: testInfo.attachments } as never);
  expect(ramp?.steps.map((s) => [s.concurrency, s.attempts, s.refused])).toEqual([[1, 4, 0], [2, 4, 0], [5, 5, 2]]);
  expect(ramp?.steps[2]).toEqual({ concurrency: 5, attempts: 5, refused: 2, refusalRate: 0.4, interval: { low: 0.35, high: 0.5, confidence: 0.95 }, p50Ms: 3.3, p95Ms: 9 });
});
