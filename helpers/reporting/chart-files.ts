// The SVG charts a test attached, as files under <REPORTS_DIR>/charts/ that summary.md links:
// a Markdown reader (a CI job summary, a file browser) shows a linked file, not an attachment
// buried in the HTML report. Names are stable and readable: project, test, chart.
import { readFileSync } from 'node:fs';
import type { TestCase, TestResult } from '@playwright/test/reporter';

export const CHARTS_DIR = 'charts';
const SVG = 'image/svg+xml';

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `charts/<project>--<test tail>--<chart>-<id>.svg`, relative to REPORTS_DIR, with `/` separators. */
export function chartPath(project: string, title: string, testId: string, chartName: string): string {
  const tail = slug(title).slice(-50).replace(/^-+/, '');
  return `${CHARTS_DIR}/${[slug(project) || 'run', tail, slug(chartName)].join('--')}-${slug(testId).slice(-8)}.svg`;
}

export interface ChartFile {
  name: string;
  /** Relative to REPORTS_DIR. */
  path: string;
  svg: string;
}

/** The result's SVG attachments (already redacted when attached) with the files they go to. */
export function chartFiles(test: TestCase, result: TestResult | undefined, project: string, title: string): ChartFile[] {
  const out: ChartFile[] = [];
  for (const a of result?.attachments ?? []) {
    if (a.contentType !== SVG) continue;
    const svg = svgText(a);
    if (svg !== null) out.push({ name: a.name, path: chartPath(project, title, test.id, a.name), svg });
  }
  return out;
}

function svgText(attachment: TestResult['attachments'][number]): string | null {
  try {
    if (attachment.body) return attachment.body.toString('utf8');
    if (attachment.path) return readFileSync(attachment.path, 'utf8');
  } catch {
    // A vanished attachment is a missing chart, not a reporter crash.
  }
  return null;
}
