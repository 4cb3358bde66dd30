// Which folder may import which: the README's map ("Layout"), enforced. Plain fs and a regex over
// the import lines of every .ts file (type-only imports count too), so it runs in milliseconds.
// A folder not in the table, or an import the table does not allow, fails with the file and line.
// Packages and node: builtins are not checked here; package.json declares them.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..');

/** Each area and the other areas it may import from (its own files always). Longest prefix wins. */
/** The helpers/ folders that anything above them (fixtures, scripts, their tests) may use. */
const HELPERS = ['helpers/channels', 'helpers/diagnosis', 'helpers/records', 'helpers/redaction', 'helpers/reporting', 'helpers/target', 'helpers/tokens'];

const ALLOWED: Record<string, readonly string[]> = {
  twin: [],
  environments: ['helpers/redaction'],
  'helpers/redaction': [],
  'helpers/records': ['environments'],
  'helpers/target': ['environments'],
  'helpers/tokens': ['environments', 'helpers/records', 'helpers/redaction', 'helpers/target'],
  'helpers/channels': ['helpers/records', 'helpers/target', 'helpers/tokens'],
  'helpers/diagnosis': ['environments', 'helpers/channels', 'helpers/records'],
  'helpers/charts': ['helpers/records'],
  'helpers/reporting': ['helpers/charts', 'helpers/diagnosis', 'helpers/records', 'helpers/redaction', 'helpers/target'],
  'helpers/fixtures': ['environments', 'twin', ...HELPERS],
  e2e: ['environments', 'helpers/channels', 'helpers/diagnosis', 'helpers/fixtures', 'helpers/records', 'helpers/reporting'],
  'playwright.config.ts': ['e2e', 'environments', 'helpers/reporting', 'helpers/target', 'scripts/compile-cache.cjs'],
  // The runtime's compile cache, shared by the config and scripts/launch.cjs: it imports nothing.
  'scripts/compile-cache.cjs': [],
  scripts: ['environments', 'twin', 'helpers/fixtures', ...HELPERS],
  'tests/support': ['environments', 'helpers/diagnosis', 'helpers/records', 'helpers/target', 'scripts'],
  'tests/twin': ['twin'],
  // The scenarios' own properties (their order), read through Playwright's listing.
  'tests/e2e': ['tests/support'],
  'tests/environments': ['environments', 'helpers/redaction'],
  'tests/helpers': ['environments', 'helpers/charts', ...HELPERS, 'tests/support'],
  'tests/helpers/fixtures': ['environments', 'helpers/fixtures', ...HELPERS, 'tests/support'],
  'tests/scripts': ['scripts', 'scripts/compile-cache.cjs', 'helpers/diagnosis', 'helpers/reporting', 'tests/support'],
  'tests/selftest': ['environments', 'twin', 'helpers/diagnosis', 'helpers/redaction', 'helpers/reporting', 'helpers/tokens', 'scripts', 'tests/support'],
  // Specs about the whole tree (this one) import nothing of the project.
  tests: [],
};

const AREAS = Object.keys(ALLOWED).sort((a, b) => b.length - a.length);
const SKIP_DIRS = new Set(['node_modules', '.git', 'reports', 'test-results', 'blob-report', 'playwright-report']);
// `from '…'`, `import '…'`, `import('…')`, `require('…')`, `require.resolve('…')`, `export … from '…'`.
const SPECIFIER = /(?:\bfrom\s+|^\s*import\s+|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*)(['"])(\.{1,2}\/[^'"]*)\1/gm;

function areaOf(file: string): string | null {
  return AREAS.find((a) => file === a || file.startsWith(`${a}/`) || file === `${a}.ts`) ?? null;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : tsFiles(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

interface Import {
  file: string;
  line: number;
  specifier: string;
  target: string;
}

function importsIn(file: string, source: string): Import[] {
  return [...source.matchAll(SPECIFIER)].map((m) => ({
    file,
    line: source.slice(0, m.index).split('\n').length,
    specifier: m[2] ?? '',
    target: path.posix.normalize(path.posix.join(path.posix.dirname(file), m[2] ?? '')),
  }));
}

const importsOf = (file: string) => importsIn(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));

// This file is left out: its sample import lines (below) are text, and it imports only packages.
const SELF = 'tests/import-directions.spec.ts';
const FILES = tsFiles('').filter((f) => f !== SELF);

test('every .ts file belongs to an area of the table', () => {
  expect(FILES.length).toBeGreaterThan(100);
  expect(FILES.filter((f) => areaOf(f) === null)).toEqual([]);
});

test('every relative import goes the way the table allows', () => {
  const wrong = FILES.flatMap(importsOf)
    .filter((i) => {
      const from = areaOf(i.file);
      const to = areaOf(i.target);
      return from === null || to === null || (from !== to && !ALLOWED[from]?.includes(to));
    })
    .map((i) => `${i.file}:${i.line} imports '${i.specifier}' (${areaOf(i.target) ?? 'outside every area'}), which ${areaOf(i.file)} may not`);
  expect(wrong).toEqual([]);
});

test('the table has no cycle between areas', () => {
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    (ALLOWED[from] ?? []).some((next) => {
      if (next === to) return true;
      if (seen.has(next)) return false;
      seen.add(next);
      return reaches(next, to, seen);
    });
  expect(AREAS.filter((a) => reaches(a, a))).toEqual([]);
});

test('the check reads every form of import line', () => {
  const source = [
    "import type { A } from '../records/a';",
    "export { B } from './b';",
    "import './side-effect';",
    "const c = await import('../../c');",
    "const d = require.resolve('../d');",
    "import { e } from 'node:fs'; // a package: not ours to check",
  ].join('\n');
  const targets = importsIn('helpers/channels/x.ts', source).map((i) => i.target);
  expect(targets).toEqual(['helpers/records/a', 'helpers/channels/b', 'helpers/channels/side-effect', 'c', 'helpers/d']);
});
