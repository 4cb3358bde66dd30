// The few pieces every chart needs: XML escaping and deterministic numbers. Charts are plain SVG
// strings (no fonts to fetch, no scripts, no CDN) so a report opened offline shows them as they are.

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate with one decimal and no trailing zeros: the same input always prints the same. */
export function n(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

/** A duration as a reader wants it: `0.4 ms`, `12 ms`, `1.3 s`. */
export function ms(value: number): string {
  if (value >= 1000) return `${n(value / 1000)} s`;
  return value >= 10 ? `${Math.round(value)} ms` : `${n(value)} ms`;
}

/** Round tick steps (1, 2, 5 × 10^k) covering 0..max in about `count` ticks. */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** Generic sans-serif only: every system has one, nothing is downloaded. */
export const FONT = 'font-family="sans-serif" font-size="11"';

export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" ${FONT}>`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${n(width)}" height="${n(height)}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
