// The burst ramp in one picture: per concurrency step, the refusal rate with its confidence
// interval and the p95 time to an answer; beside it, a histogram of every attempt's time, refused
// ones marked. Refusals already at concurrency 1 point at a bad instance; refusals that appear
// only as concurrency climbs, at load.
import type { BurstRamp } from '../records/handshake-record';
import { escapeXml, ms, n, svgDocument, ticks } from './svg';

type Redact = (text: string) => string;

const WIDTH = 780;
const HEIGHT = 260;
const PANEL_TOP = 40;
const PANEL_H = 160;
const STEPS_X = 50;
const STEPS_W = 310;
const HIST_X = 450;
const HIST_W = 300;
export const HISTOGRAM_BINS = 16;
const OPENED = '#6aa84f';
const REFUSED = '#cc0000';
const P95 = '#3d85c6';

export interface HistogramBin {
  fromMs: number;
  toMs: number;
  opened: number;
  notOpened: number;
}

/** Equal-width bins from 0 to the slowest attempt; the last bin includes its upper edge. */
export function latencyHistogram(ramp: BurstRamp, bins = HISTOGRAM_BINS): HistogramBin[] {
  const opened = ramp.steps.flatMap((s) => s.openedMs);
  const notOpened = ramp.steps.flatMap((s) => s.notOpenedMs);
  const max = Math.max(1, ...opened, ...notOpened);
  const width = max / bins;
  const out = Array.from({ length: bins }, (_, i) => ({ fromMs: i * width, toMs: (i + 1) * width, opened: 0, notOpened: 0 }));
  const bin = (v: number) => out[Math.min(bins - 1, Math.floor(v / width))] as HistogramBin;
  for (const v of opened) bin(v).opened++;
  for (const v of notOpened) bin(v).notOpened++;
  return out;
}

function pct(v: number): string {
  return `${n(v * 100)} %`;
}

function stepsPanel(ramp: BurstRamp): string[] {
  const body: string[] = [];
  const steps = ramp.steps;
  const rateMax = Math.max(0.05, ...steps.map((s) => s.interval.high));
  const rateTicks = ticks(rateMax, 4);
  const rateTop = Math.max(rateMax, rateTicks.at(-1) ?? rateMax);
  const p95Max = Math.max(1, ...steps.map((s) => s.p95Ms));
  const msTicks = ticks(p95Max, 4);
  const msTop = Math.max(p95Max, msTicks.at(-1) ?? p95Max);
  const yRate = (v: number) => PANEL_TOP + PANEL_H - (v / rateTop) * PANEL_H;
  const yMs = (v: number) => PANEL_TOP + PANEL_H - (v / msTop) * PANEL_H;
  const slot = STEPS_W / Math.max(1, steps.length);
  const cx = (i: number) => STEPS_X + slot * (i + 0.5);

  body.push(`<text x="${STEPS_X}" y="${PANEL_TOP - 14}" font-weight="bold">Refusal rate (interval) and p95 per step</text>`);
  for (const t of rateTicks) {
    body.push(`<line x1="${STEPS_X}" y1="${n(yRate(t))}" x2="${STEPS_X + STEPS_W}" y2="${n(yRate(t))}" stroke="#eeeeee"/>`);
    body.push(`<text x="${STEPS_X - 4}" y="${n(yRate(t) + 4)}" text-anchor="end" fill="${REFUSED}">${escapeXml(pct(t))}</text>`);
  }
  for (const t of msTicks) body.push(`<text x="${STEPS_X + STEPS_W + 4}" y="${n(yMs(t) + 4)}" fill="${P95}">${escapeXml(ms(t))}</text>`);
  steps.forEach((s, i) => {
    const barW = Math.min(28, slot * 0.5);
    const rate = s.attempts > 0 ? (s.attempts - s.opened) / s.attempts : 0;
    body.push(`<g class="step" data-concurrency="${s.concurrency}">`);
    body.push(
      `<rect x="${n(cx(i) - barW / 2)}" y="${n(yRate(rate))}" width="${n(barW)}" height="${n(PANEL_TOP + PANEL_H - yRate(rate))}" fill="${REFUSED}" fill-opacity="0.7"><title>${escapeXml(`×${s.concurrency}: ${s.attempts - s.opened} of ${s.attempts} not opened (${pct(rate)}, interval ${pct(s.interval.low)}–${pct(s.interval.high)})`)}</title></rect>`,
    );
    body.push(`<line x1="${n(cx(i))}" y1="${n(yRate(s.interval.low))}" x2="${n(cx(i))}" y2="${n(yRate(s.interval.high))}" stroke="#660000" stroke-width="1.5"/>`);
    for (const edge of [s.interval.low, s.interval.high]) {
      body.push(`<line x1="${n(cx(i) - 5)}" y1="${n(yRate(edge))}" x2="${n(cx(i) + 5)}" y2="${n(yRate(edge))}" stroke="#660000" stroke-width="1.5"/>`);
    }
    body.push(`<circle cx="${n(cx(i))}" cy="${n(yMs(s.p95Ms))}" r="3.5" fill="${P95}"><title>${escapeXml(`×${s.concurrency}: p95 ${ms(s.p95Ms)}, p50 ${ms(s.p50Ms)}`)}</title></circle>`);
    body.push(`<text x="${n(cx(i))}" y="${PANEL_TOP + PANEL_H + 14}" text-anchor="middle">×${s.concurrency}</text>`);
    body.push(`<text x="${n(cx(i))}" y="${PANEL_TOP + PANEL_H + 27}" text-anchor="middle" fill="#666666">n=${s.attempts}</text>`);
    body.push('</g>');
  });
  if (steps.length > 1) {
    const points = steps.map((s, i) => `${n(cx(i))},${n(yMs(s.p95Ms))}`).join(' ');
    body.push(`<polyline points="${points}" fill="none" stroke="${P95}" stroke-width="1.5"/>`);
  }
  body.push(`<text x="${STEPS_X}" y="${PANEL_TOP + PANEL_H + 44}">concurrency (in flight) · <tspan fill="${REFUSED}">refusal rate</tspan> · <tspan fill="${P95}">p95</tspan></text>`);
  return body;
}

function histogramPanel(ramp: BurstRamp): string[] {
  const bins = latencyHistogram(ramp);
  const countMax = Math.max(1, ...bins.map((b) => b.opened + b.notOpened));
  const y = (v: number) => PANEL_TOP + PANEL_H - (v / countMax) * PANEL_H;
  const w = HIST_W / bins.length;
  const body: string[] = [`<text x="${HIST_X}" y="${PANEL_TOP - 14}" font-weight="bold">Attempt latencies (all steps)</text>`];
  bins.forEach((b, i) => {
    const x = HIST_X + i * w;
    const label = `${ms(b.fromMs)}–${ms(b.toMs)}: ${b.opened} opened, ${b.notOpened} not opened`;
    body.push(`<g class="bin"><title>${escapeXml(label)}</title>`);
    if (b.opened > 0) body.push(`<rect x="${n(x + 0.5)}" y="${n(y(b.opened))}" width="${n(w - 1)}" height="${n(PANEL_TOP + PANEL_H - y(b.opened))}" fill="${OPENED}"/>`);
    if (b.notOpened > 0) {
      body.push(`<rect x="${n(x + 0.5)}" y="${n(y(b.opened + b.notOpened))}" width="${n(w - 1)}" height="${n(y(b.opened) - y(b.opened + b.notOpened))}" fill="${REFUSED}"/>`);
    }
    body.push('</g>');
  });
  body.push(`<line x1="${HIST_X}" y1="${PANEL_TOP + PANEL_H}" x2="${HIST_X + HIST_W}" y2="${PANEL_TOP + PANEL_H}" stroke="#999999"/>`);
  body.push(`<text x="${HIST_X}" y="${PANEL_TOP + PANEL_H + 14}">0</text>`);
  body.push(`<text x="${HIST_X + HIST_W}" y="${PANEL_TOP + PANEL_H + 14}" text-anchor="end">${escapeXml(ms(bins.at(-1)?.toMs ?? 0))}</text>`);
  body.push(`<text x="${HIST_X}" y="${PANEL_TOP + PANEL_H + 44}"><tspan fill="${OPENED}">opened</tspan> · <tspan fill="${REFUSED}">refused or failed</tspan> · max ${countMax} per bin</text>`);
  return body;
}

export function burstRampSvg(ramp: BurstRamp, redact: Redact): string {
  const attempts = ramp.steps.reduce((sum, s) => sum + s.attempts, 0);
  const notOpened = ramp.steps.reduce((sum, s) => sum + (s.attempts - s.opened), 0);
  const headline = `Burst ramp: ${notOpened} of ${attempts} not opened over ${ramp.steps.length} step(s) (${ramp.stopped === 'refusals' ? 'stopped climbing at the first refusals' : 'every planned step ran'})`;
  const body = [`<text x="8" y="16" font-weight="bold">${escapeXml(headline)}</text>`, ...stepsPanel(ramp), ...histogramPanel(ramp)];
  return redact(svgDocument(WIDTH, HEIGHT, 'Burst ramp', body));
}
