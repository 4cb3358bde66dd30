// Packs the fuzz cases the loader accepted into as few env files as honesty allows, so that one
// real run against the twin proves several of them: a group holds at most one case per variable
// (each variable's line is exactly that case's line), and a group file must itself load — cases
// that only pass apart are split into groups of their own. The file-level cases (BOM, CRLF) are
// one group together: the twin file with both.
import { type FuzzCase, withLines } from './env-fuzz-cases';
import { loadCase } from './env-fuzz-load';

export interface FuzzGroup {
  cases: FuzzCase[];
  text: string;
}

/** The KEY=… lines a case put in place of the base line (a case's `line`, split back). */
const linesOf = (c: FuzzCase) => c.line.split(' / ');

function groupText(baseText: string, cases: FuzzCase[]): string {
  const fileLevel = cases.find((c) => c.variable === '(file)');
  if (fileLevel) return cases.reduce((text, c) => (c.variable === '(file)' ? text : withLines(text, c.variable, linesOf(c))), `\uFEFF${baseText.replace(/\n/g, '\r\n')}`);
  return cases.reduce((text, c) => withLines(text, c.variable, linesOf(c)), baseText);
}

export function groupAccepted(baseText: string, accepted: FuzzCase[]): FuzzGroup[] {
  const fileLevel = accepted.filter((c) => c.variable === '(file)');
  const packs: FuzzCase[][] = [];
  for (const c of accepted.filter((x) => x.variable !== '(file)')) {
    const pack = packs.find((p) => !p.some((x) => x.variable === c.variable));
    if (pack) pack.push(c);
    else packs.push([c]);
  }
  const groups: FuzzGroup[] = [];
  const settle = (cases: FuzzCase[]) => {
    const text = groupText(baseText, cases);
    if (cases.length === 1 || loadCase({ variable: '(group)', label: 'group', text, line: '' }).kind === 'accepted') {
      groups.push({ cases, text });
      return;
    }
    const half = Math.ceil(cases.length / 2);
    settle(cases.slice(0, half));
    settle(cases.slice(half));
  };
  for (const pack of packs) settle(pack);
  if (fileLevel.length > 0) groups.push({ cases: fileLevel, text: `\uFEFF${baseText.replace(/\n/g, '\r\n')}` });
  return groups;
}
