// The benchmark's arithmetic and its table: a figure measured over several runs is its median
// with the spread (min–max); a ratio is taken inside each run (same target, same moment) and
// only then summarised, so drift between runs cancels.

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spread: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, runs: [...values] };
}

/** One line of the table; probe/bare/ratio are null where a column does not apply. */
export interface Row {
  section: string;
  figure: string;
  unit: string;
  probe: Spread | null;
  bare: Spread | null;
  ratio: Spread | null;
  target: string;
  /** null: no target for this figure. */
  met: boolean | null;
}

function fmt(n: number): string {
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function cell(s: Spread | null, unit = ''): string {
  if (s === null) return '—';
  const u = unit ? ` ${unit}` : '';
  return s.runs.length > 1 ? `${fmt(s.median)}${u} [${fmt(s.min)}–${fmt(s.max)}]` : `${fmt(s.median)}${u}`;
}

/** A Markdown table (it reads fine in a terminal too): figure | probe | bare ws | ratio | target | met? */
export function renderTable(rows: readonly Row[]): string {
  const head = ['figure', 'probe', 'bare ws', 'ratio', 'target', 'met?'];
  const body = rows.map((r) => [
    `${r.section}: ${r.figure}`,
    cell(r.probe, r.unit),
    cell(r.bare, r.unit),
    r.ratio === null ? '—' : `${cell(r.ratio)}×`,
    r.target || '—',
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
