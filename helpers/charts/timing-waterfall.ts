// A timing waterfall of a test's raw handshakes: one row per record, its phases (DNS, TCP, TLS,
// wait for the first byte, transfer, first frame) as consecutive bars on one time axis, so a
// valid and a forged handshake read side by side: a refusal that comes as fast as a forged
// token's is the app refusing; one that waits out the auth timeout is the auth call.
import type { RawRecord } from '../records/handshake-record';
import { escapeXml, ms, n, svgDocument, ticks } from './svg';

type Redact = (text: string) => string;

export const PHASES = [
  { key: 'dnsMs', name: 'DNS', colour: '#8e7cc3' },
  { key: 'tcpMs', name: 'TCP', colour: '#6fa8dc' },
  { key: 'tlsMs', name: 'TLS', colour: '#76a5af' },
  { key: 'waitMs', name: 'wait', colour: '#f6b26b' },
  { key: 'transferMs', name: 'transfer', colour: '#93c47d' },
  { key: 'firstFrameMs', name: 'first frame', colour: '#c27ba0' },
] as const;

const LABEL_W = 330;
const BAR_W = 380;
const ROW_H = 22;
const TOP = 34;
const WIDTH = LABEL_W + BAR_W + 70;

/** The row's caption: what it was, what became of it. */
export function rowCaption(record: RawRecord): string {
  const status = record.status === null ? (record.error ? record.error.class : 'no status') : `HTTP ${record.status}`;
  return `${record.label} — ${record.outcome}, ${status}`;
}

/** Valid-token records first, then the forged ones, each group in the order they ran. */
export function waterfallOrder(records: readonly RawRecord[]): RawRecord[] {
  return [...records.filter((r) => r.tokenVariant === 'valid'), ...records.filter((r) => r.tokenVariant !== 'valid')];
}

export function timingWaterfallSvg(records: readonly RawRecord[], redact: Redact): string {
  const rows = waterfallOrder(records);
  const maxMs = Math.max(1, ...rows.map((r) => r.timing.totalMs));
  const axis = ticks(maxMs);
  const scaleMax = Math.max(maxMs, axis.at(-1) ?? maxMs);
  const x = (v: number) => LABEL_W + (v / scaleMax) * BAR_W;
  const height = TOP + rows.length * ROW_H + 44;
  const body: string[] = [];

  body.push(`<text x="8" y="16" font-weight="bold">Handshake timing (raw channel), ${rows.length} record(s)</text>`);
  for (const t of axis) {
    body.push(`<line x1="${n(x(t))}" y1="${TOP - 6}" x2="${n(x(t))}" y2="${n(TOP + rows.length * ROW_H)}" stroke="#dddddd"/>`);
    body.push(`<text x="${n(x(t))}" y="${TOP - 9}" text-anchor="middle" fill="#666666">${escapeXml(ms(t))}</text>`);
  }
  rows.forEach((record, i) => {
    const y = TOP + i * ROW_H;
    const refused = record.outcome !== 'open';
    body.push(`<g class="row" data-outcome="${escapeXml(record.outcome)}">`);
    body.push(`<text x="8" y="${n(y + 15)}" fill="${refused ? '#990000' : '#222222'}">${escapeXml(redact(rowCaption(record)))}</text>`);
    let at = 0;
    for (const phase of PHASES) {
      const d = record.timing[phase.key];
      if (d === null || d <= 0) continue;
      body.push(
        `<rect x="${n(x(at))}" y="${n(y + 4)}" width="${n(Math.max(0.5, x(at + d) - x(at)))}" height="14" fill="${phase.colour}"><title>${escapeXml(`${phase.name} ${ms(d)}`)}</title></rect>`,
      );
      at += d;
    }
    body.push(`<text x="${n(x(Math.max(at, record.timing.totalMs)) + 4)}" y="${n(y + 15)}" fill="#444444">${escapeXml(ms(record.timing.totalMs))}</text>`);
    body.push('</g>');
  });
  const legendY = TOP + rows.length * ROW_H + 22;
  PHASES.forEach((phase, i) => {
    const lx = 8 + i * 95;
    body.push(`<rect x="${lx}" y="${legendY - 10}" width="10" height="10" fill="${phase.colour}"/>`);
    body.push(`<text x="${lx + 14}" y="${legendY}">${escapeXml(phase.name)}</text>`);
  });
  // The whole document once more through the redactor: a label is not the only place text can hide.
  return redact(svgDocument(WIDTH, height, 'Handshake timing waterfall', body));
}
