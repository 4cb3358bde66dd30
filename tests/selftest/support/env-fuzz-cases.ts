// The env-file fuzzer's table, generated from environments/schema.ts: every variable gets the
// wrong-but-parseable values of its kind, so a variable added to the schema is fuzzed without
// anyone remembering. The kind is found by asking the schema itself (which values it takes),
// not by a list kept here. Each case is a whole local.env text: the committed twin file with
// that one line changed (or added).
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { envSchema, SECRET_VARIABLES } from '../../../environments/schema';
import { MIN_SECRET_LENGTH } from '../../../helpers/redaction/redaction';

export const BASE_FILE = path.join(__dirname, '..', '..', '..', 'environments', 'local.env');

export interface FuzzCase {
  variable: string;
  label: string;
  /** The whole NAME.env text. */
  text: string;
  /** The mutated line (for messages; may hold a fuzz secret, so never printed for secrets). */
  line: string;
}

type Kind = 'http-url' | 'ws-url' | 'path' | 'number' | 'enum' | 'list' | 'secret' | 'string';

const shape = envSchema.shape as Record<string, z.ZodType>;
const accepts = (key: string, value: string) => shape[key]?.safeParse(value).success === true;

/** Enum options anywhere inside a field (through default, optional, pipe, array), and whether it is a list. */
function enumOptions(schema: z.ZodType): { options: string[]; list: boolean } {
  const found = { options: [] as string[], list: false };
  const walk = (s: unknown) => {
    if (!s || typeof s !== 'object' || !('_zod' in s)) return;
    const def = (s as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
    if (def.type === 'enum') found.options.push(...Object.values(def.entries as Record<string, string>));
    if (def.type === 'array') found.list = true;
    for (const child of [def.innerType, def.in, def.out, def.element]) walk(child);
  };
  walk(schema);
  return found;
}

function kindOf(key: string): Kind {
  if ((SECRET_VARIABLES as readonly string[]).includes(key)) return 'secret';
  const e = enumOptions(shape[key] as z.ZodType);
  if (e.options.length > 0) return e.list ? 'list' : 'enum';
  const free = accepts(key, 'fuzz-not-a-url');
  if (!free && accepts(key, 'https://fuzz.example.com')) return 'http-url';
  if (!free && accepts(key, 'wss://fuzz.example.com')) return 'ws-url';
  if (accepts(key, '/fuzz') && !accepts(key, 'fuzz')) return 'path';
  if (accepts(key, '5000') && !accepts(key, 'abc')) return 'number';
  return 'string';
}

/** A fuzz secret: distinctive, so a leak is found by searching the output for it. */
export const fuzzSecret = (n: number) => 'Zq'.concat('x7K9'.repeat(Math.ceil(n / 4))).slice(0, n);

function kindValues(key: string, kind: Kind): Array<[string, string]> {
  // The longest option: its near miss is still far from the others ('' and '0' are options too).
  const first = [...enumOptions(shape[key] as z.ZodType).options].sort((a, b) => b.length - a.length)[0] ?? 'x';
  switch (kind) {
    case 'http-url':
      return [
        ['wrong scheme', 'ftp://fuzz.example.com'],
        ['no scheme', 'fuzz.example.com'],
        ['with a path', 'https://fuzz.example.com/some/path'],
        ['with credentials', 'https://fuzzuser:fuzz-url-password@fuzz.example.com'],
        ['port out of range', 'https://fuzz.example.com:70000'],
      ];
    case 'ws-url':
      return [
        ['wrong scheme', 'https://fuzz.example.com/ws'],
        ['with a fragment', 'wss://fuzz.example.com/ws#frag'],
        ['with credentials', 'wss://fuzzuser:fuzz-url-password@fuzz.example.com/ws'],
        ['port out of range', 'wss://fuzz.example.com:70000/ws'],
      ];
    case 'path':
      return [
        ['no leading slash', 'fuzz'],
        ['a space inside', '/fu zz'],
        ['a full URL', 'https://fuzz.example.com/x'],
      ];
    case 'number':
      return [
        ['wrong type', 'abc'],
        ['a unit', '5s'],
        ['negative', '-1'],
        ['zero', '0'],
        ['fraction', '1.5'],
        ['huge', '1e12'],
      ];
    case 'enum':
      return [
        ['unknown value', 'fuzz-value'],
        ['near miss', first.slice(0, -1)],
        ['upper case', first.toUpperCase()],
      ];
    case 'list':
      return [
        ['unknown item', `${first},fuzz-item`],
        ['near-miss item', first.slice(0, -1)],
        ['only commas', ',,'],
      ];
    case 'secret':
      return [
        ['shorter than the redactor minimum', fuzzSecret(MIN_SECRET_LENGTH - 1)],
        ['a 2-character secret', fuzzSecret(2)],
      ];
    case 'string':
      return [['wrong type', '12345']];
  }
}

/** Its value in the committed file, else one the schema accepts (a default, or a kind sample). */
function validValue(key: string, kind: Kind, base: Record<string, string>): string {
  const inBase = base[key];
  if (inBase !== undefined) return inBase;
  const samples: Record<Kind, string> = {
    'http-url': 'https://fuzz.example.com',
    'ws-url': 'wss://fuzz.example.com/ws',
    path: '/fuzz',
    number: '5000',
    enum: enumOptions(shape[key] as z.ZodType).options[0] ?? '',
    list: enumOptions(shape[key] as z.ZodType).options[0] ?? '',
    secret: fuzzSecret(40),
    string: 'fuzz',
  };
  return samples[kind];
}

/** `KEY=value` lines of the base file (comments dropped from the index, kept in the text). */
function baseValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1]) out[m[1]] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** The base text with KEY's line replaced by `lines` (appended when KEY is not set there). */
export function withLines(baseText: string, key: string, lines: string[]): string {
  const rows = baseText.split('\n');
  const at = rows.findIndex((l) => l.startsWith(`${key}=`));
  if (at < 0) return `${baseText.replace(/\n?$/, '\n')}${lines.join('\n')}\n`;
  rows.splice(at, 1, ...lines);
  return rows.join('\n');
}

export function fuzzCases(baseText = fs.readFileSync(BASE_FILE, 'utf8')): FuzzCase[] {
  const base = baseValues(baseText);
  const cases: FuzzCase[] = [];
  for (const key of Object.keys(shape)) {
    const kind = kindOf(key);
    const valid = validValue(key, kind, base);
    const quoted = (v: string) => (v.includes('#') ? `"${v}"` : v);
    const lineCases: Array<[string, string[]]> = [
      ['empty', [`${key}=`]],
      ['whitespace only', [`${key}=   `]],
      ['too short', [`${key}=x`]],
      ['too long', [`${key}=${'y'.repeat(5000)}`]],
      ['an unquoted # inside the value', [`${key}=ab#cd`]],
      ['an unquoted # at the start', [`${key}=#${valid.replace(/^#/, '')}`]],
      ['a trailing comment after a space', [`${key}=${quoted(valid)} # fuzz comment`]],
      ['an unclosed quote', [`${key}="${valid}`]],
      ['a duplicate key', [`${key}=${quoted(valid)}`, `${key}=${quoted(valid)}`]],
      ['padded with spaces', [`${key}=  ${quoted(valid)}  `]],
      ...kindValues(key, kind).map(([label, value]): [string, string[]] => [label, [`${key}=${value.includes('#') ? `"${value}"` : value}`]]),
    ];
    for (const [label, lines] of lineCases) cases.push({ variable: key, label, text: withLines(baseText, key, lines), line: lines.join(' / ') });
  }
  // File-level traps, each once: the twin file with a byte-order mark, with CRLF line ends.
  cases.push({ variable: '(file)', label: 'a UTF-8 BOM', text: `\uFEFF${baseText}`, line: '\\uFEFF…' });
  cases.push({ variable: '(file)', label: 'CRLF line ends', text: baseText.replace(/\n/g, '\r\n'), line: '…\\r\\n' });
  return cases;
}
