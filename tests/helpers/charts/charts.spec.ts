// The SVG charts: well-formed XML (Chromium's own XML parser says so), one row per record or
// step, the same bytes for the same input, and no token once through the redactor.
import { expect, type Page, test } from '@playwright/test';
import { burstRampSvg, latencyHistogram } from '../../../helpers/charts/burst-ramp';
import { rowCaption, timingWaterfallSvg, waterfallOrder } from '../../../helpers/charts/timing-waterfall';
import { createRedactor } from '../../../helpers/redaction/redaction';
import { rawOpen, rawRefused } from '../../support/record-fixtures';
import { RAMP } from '../../support/ramp-fixture';

// JWT-shaped, and a known secret: the two things the redactor must catch in a label.
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaGFydC10ZXN0In0.c2lnbmF0dXJlLW9mLXRoZS1jaGFydC10ZXN0';
const SECRET = 'chart-secret-value-0123456789';
const redact = (text: string) => createRedactor([SECRET]).redact(text);

const records = [
  rawRefused('bad-signature', 'subprotocol', 403, { ms: 9 }),
  rawOpen('valid', 'subprotocol', { label: `valid token ${TOKEN} via raw subprotocol` }),
  rawRefused('expired', 'authorization-header', 403, { ms: 7 }),
  rawOpen('valid', 'authorization-header', { label: `valid token (${SECRET}) via raw header & co <x>` }),
];

/** The document's parse errors per Chromium's XML parser (none for well-formed XML), and its rows. */
async function parse(page: Page, svg: string): Promise<{ errors: number; rows: number; steps: number; root: string }> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      errors: doc.getElementsByTagName('parsererror').length,
      rows: doc.querySelectorAll('g.row').length,
      steps: doc.querySelectorAll('g.step').length,
      root: doc.documentElement.nodeName,
    };
  }, svg);
}

test('the waterfall is well-formed SVG with one row per record, valid ones first', async ({ page }) => {
  const svg = timingWaterfallSvg(records, redact);
  expect(await parse(page, svg)).toEqual({ errors: 0, rows: 4, steps: 0, root: 'svg' });
  expect(waterfallOrder(records).map((r) => r.tokenVariant)).toEqual(['valid', 'valid', 'bad-signature', 'expired']);
  expect(svg).toContain('bad-signature token via raw subprotocol — refused, HTTP 403');
  expect(rowCaption(records[1] as (typeof records)[number])).toContain('— open, HTTP 101');
});

test('the waterfall is deterministic and carries no token or secret', () => {
  const svg = timingWaterfallSvg(records, redact);
  expect(timingWaterfallSvg(records, redact)).toBe(svg);
  expect(svg).not.toContain(TOKEN);
  expect(svg).not.toContain(TOKEN.split('.')[1]);
  expect(svg).not.toContain(SECRET);
  expect(svg).toMatch(/‹fp:[0-9a-f]{8}›/);
  // Nothing outside the document: no links, scripts or fonts to fetch.
  expect(svg).not.toMatch(/<script|href=|@import|url\(/);
});

test('the ramp chart is well-formed SVG with one group per step, deterministic, token-free', async ({ page }) => {
  const svg = burstRampSvg(RAMP, redact);
  expect(await parse(page, svg)).toEqual({ errors: 0, rows: 0, steps: 3, root: 'svg' });
  expect(burstRampSvg(RAMP, redact)).toBe(svg);
  expect(svg).toContain('Burst ramp: 2 of 13 not opened over 3 step(s) (stopped climbing at the first refusals)');
});

test('the latency histogram puts every attempt in one bin, refusals apart', () => {
  const bins = latencyHistogram(RAMP, 4);
  expect(bins.reduce((sum, b) => sum + b.opened, 0)).toBe(11);
  expect(bins.reduce((sum, b) => sum + b.notOpened, 0)).toBe(2);
  // The slowest attempt (7.1 ms) lands in the last bin, not past it.
  expect(bins.at(-1)?.opened).toBeGreaterThan(0);
  expect(bins[1]).toMatchObject({ notOpened: 2 });
});
