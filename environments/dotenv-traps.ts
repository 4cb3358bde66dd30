// Quoting traps of dotenv 18 that turn a value into something else without a word. Found by
// comparing each raw `KEY=…` line of a file with what dotenv.parse made of it:
//   - an unquoted `#` starts a comment ANYWHERE in the value, not only after a space:
//     `JWT_SECRET=abc#def` is read as `abc`, `UI_STATUS_SELECTOR=#connection-status` as empty;
//   - a quote not closed on its line is kept literally (`"abc`), or, when the same quote comes
//     later in the file, swallows every line up to it into one multi-line value;
//   - a key set twice: dotenv keeps the last one, so editing the first changes nothing.
// A `#` after a space and a non-empty value is an ordinary trailing comment (`TWIN=off # why`),
// so it is not refused; it becomes a hint on the variable's problem when the value is then invalid.

export interface DotenvTrap {
  variable: string;
  /** 1-based line of the (last) assignment. */
  line: number;
  /** A refusing trap stops the load; a hint only explains another problem of the same variable. */
  kind: 'refuse' | 'hint';
  message: string;
}

interface RawAssignment {
  key: string;
  line: number;
  /** The text after `=` on that line, as written. */
  raw: string;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*=(.*)$/;
const QUOTES = ['"', "'", '`'];

function assignments(text: string): RawAssignment[] {
  const out: RawAssignment[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let swallowedUntil = -1;
  lines.forEach((content, index) => {
    if (index <= swallowedUntil) return;
    const m = ASSIGNMENT.exec(content);
    if (!m?.[1]) return;
    const raw = m[2] ?? '';
    out.push({ key: m[1], line: index + 1, raw });
    // The lines a multi-line quoted value swallows are not assignments of their own.
    const q = raw.trimStart()[0];
    if (q && QUOTES.includes(q) && !closesOnLine(raw.trimStart())) {
      const rest = lines.slice(index + 1);
      const closing = rest.findIndex((l) => l.includes(q));
      if (closing >= 0) swallowedUntil = index + 1 + closing;
    }
  });
  return out;
}

/** A quoted raw value whose quote closes on the same line (dotenv's own notion of "closed"). */
function closesOnLine(value: string): boolean {
  const q = value[0] ?? '';
  for (let i = 1; i < value.length; i++) if (value[i] === q && value[i - 1] !== '\\') return true;
  return false;
}

const QUOTE_IT = (key: string) => `quote the value: ${key}="…"`;

/** Every trap in one file's text, given what dotenv.parse returned for it. */
export function findDotenvTraps(text: string, parsed: Record<string, string>): DotenvTrap[] {
  const traps: DotenvTrap[] = [];
  const all = assignments(text);
  const lastLine = new Map<string, number>();
  for (const a of all) lastLine.set(a.key, a.line);

  const seen = new Map<string, number[]>();
  for (const a of all) seen.set(a.key, [...(seen.get(a.key) ?? []), a.line]);
  for (const [key, lines] of seen) {
    if (lines.length < 2) continue;
    const message = `set ${lines.length} times (lines ${lines.join(', ')}); dotenv keeps the last one, so an edit of the others changes nothing: keep one line`;
    traps.push({ variable: key, line: lines[lines.length - 1] ?? 0, kind: 'refuse', message });
  }

  for (const a of all) {
    if (lastLine.get(a.key) !== a.line) continue;
    const raw = a.raw.trimStart();
    const value = parsed[a.key] ?? '';
    const q = raw[0];
    if (q && QUOTES.includes(q)) {
      if (closesOnLine(raw)) continue;
      const message = value.includes('\n')
        ? `the ${q} opened on line ${a.line} is not closed on that line: every line up to the next ${q} was read into this value; close the quote on line ${a.line}`
        : `the ${q} on line ${a.line} is never closed, so it was kept as part of the value: close it or remove it`;
      traps.push({ variable: a.key, line: a.line, kind: 'refuse', message });
      continue;
    }
    const hash = raw.indexOf('#');
    if (hash < 0) continue;
    const before = raw.slice(0, hash);
    if (before.trim() === '') {
      const message = `the value is empty: dotenv reads an unquoted # as the start of a comment (line ${a.line}); ${QUOTE_IT(a.key)}`;
      traps.push({ variable: a.key, line: a.line, kind: 'refuse', message });
    } else if (!/\s$/.test(before)) {
      const message = `the value was cut at an unquoted # (line ${a.line}): dotenv reads the rest of the line as a comment; ${QUOTE_IT(a.key)}`;
      traps.push({ variable: a.key, line: a.line, kind: 'refuse', message });
    } else {
      const message = `(line ${a.line}: the text after " #" was read as a comment; if it belongs to the value, ${QUOTE_IT(a.key)})`;
      traps.push({ variable: a.key, line: a.line, kind: 'hint', message });
    }
  }
  return traps;
}
