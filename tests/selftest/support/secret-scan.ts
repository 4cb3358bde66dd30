// Searches everything a run wrote for known secrets, looking inside the containers reports use:
// zips (traces, the HTML report's data), gzip, and long base64 runs in text (the HTML report
// embeds its data as a base64 zip in index.html; Allure's single file embeds its data too).
// A finding names the file, the chain of containers, and the needle's NAME — never its value.
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { readAll } from '../../../helpers/redaction/trace-scrub';

/** What to look for: an exact value (searched as utf8 and utf16le bytes) or a pattern (on latin1 text). */
export interface Needle {
  name: string;
  value: string | RegExp;
}

export interface Finding {
  /** The file on disk. */
  file: string;
  /** Containers opened on the way, outermost first: `zip:resources/abc`, `base64@1234`, `gzip`. */
  chain: string[];
  needle: string;
}

export type ContainerKind = 'zip' | 'gzip' | 'base64';

export interface OpenedContainer {
  file: string;
  chain: string[];
  kind: ContainerKind;
  /** Entries read (zip), or decoded bytes (gzip, base64). */
  size: number;
}

export interface ScanReport {
  findings: Finding[];
  /** Every file on disk that was read. */
  files: string[];
  containers: OpenedContainer[];
  /** Containers skipped because a bound was hit (depth or size): a scan with any is incomplete. */
  skipped: Array<{ file: string; chain: string[]; why: string }>;
}

export interface ScanLimits {
  /** Containers inside containers, counted from the file. */
  maxDepth: number;
  /** Largest decoded buffer (entry, gunzip, base64) taken in. */
  maxBytes: number;
  /** Shortest base64 run decoded; shorter runs are searched as text only. */
  minBase64: number;
}

export const DEFAULT_LIMITS: ScanLimits = { maxDepth: 6, maxBytes: 256 * 1024 * 1024, minBase64: 200 };

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
// Standard or url-safe alphabet, optional padding; a data: URL's payload is such a run too.
const BASE64_RUN = /[A-Za-z0-9+/_-]{2,}={0,2}/g;

/** Every needle, in every readable file under the roots (missing roots are an error: nothing to prove). */
export async function scanTree(roots: readonly string[], needles: readonly Needle[], limits: ScanLimits = DEFAULT_LIMITS): Promise<ScanReport> {
  const report: ScanReport = { findings: [], files: [], containers: [], skipped: [] };
  for (const root of roots) {
    if (!fs.existsSync(root)) throw new Error(`secret-scan: ${root} does not exist`);
    for (const file of walk(root)) {
      report.files.push(file);
      await scanBuffer(fs.readFileSync(file), { file, chain: [] }, needles, limits, report);
    }
  }
  return report;
}

/** One buffer (a file's bytes, or something decoded from one), with what lies inside it. */
export async function scanBuffer(
  buf: Buffer,
  where: { file: string; chain: string[] },
  needles: readonly Needle[],
  limits: ScanLimits,
  report: ScanReport,
): Promise<void> {
  const found = new Set(report.findings.filter((f) => sameWhere(f, where)).map((f) => f.needle));
  const latin1 = buf.toString('latin1');
  for (const needle of needles) {
    if (found.has(needle.name) || !matches(buf, latin1, needle.value)) continue;
    found.add(needle.name);
    report.findings.push({ file: where.file, chain: where.chain, needle: needle.name });
  }

  const deeper = where.chain.length + 1;
  const skip = (why: string): void => {
    report.skipped.push({ ...where, why });
  };
  if (startsWith(buf, ZIP_MAGIC) || startsWith(buf, EMPTY_ZIP_MAGIC)) {
    if (deeper > limits.maxDepth) return skip('zip below the depth limit');
    await scanZip(buf, where, needles, limits, report);
    return;
  }
  if (startsWith(buf, GZIP_MAGIC)) {
    if (deeper > limits.maxDepth) return skip('gzip below the depth limit');
    let plain: Buffer;
    try {
      plain = gunzipSync(buf, { maxOutputLength: limits.maxBytes });
    } catch (error) {
      return skip(`gzip not readable: ${(error as Error).message}`);
    }
    report.containers.push({ ...where, kind: 'gzip', size: plain.length });
    await scanBuffer(plain, { file: where.file, chain: [...where.chain, 'gzip'] }, needles, limits, report);
    return;
  }
  // Text (or something that might hold text): decode every long base64 run and look inside.
  for (const m of latin1.matchAll(BASE64_RUN)) {
    if (m[0].length < limits.minBase64) continue;
    if (deeper > limits.maxDepth) {
      skip(`base64 run at ${m.index} below the depth limit`);
      continue;
    }
    const run = m[0].replace(/=+$/, '');
    if (run.length % 4 === 1) continue; // not whole base64: no byte ends there
    const decoded = Buffer.from(run.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
    if (decoded.length > limits.maxBytes) {
      skip(`base64 run at ${m.index} larger than ${limits.maxBytes} bytes`);
      continue;
    }
    report.containers.push({ ...where, kind: 'base64', size: decoded.length });
    await scanBuffer(decoded, { file: where.file, chain: [...where.chain, `base64@${m.index}`] }, needles, limits, report);
  }
}

async function scanZip(buf: Buffer, where: { file: string; chain: string[] }, needles: readonly Needle[], limits: ScanLimits, report: ScanReport): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true });
  } catch (error) {
    report.skipped.push({ ...where, why: `zip not readable: ${(error as Error).message}` });
    return;
  }
  const opened: OpenedContainer = { ...where, kind: 'zip', size: 0 };
  report.containers.push(opened);
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const inner = { file: where.file, chain: [...where.chain, `zip:${entry.fileName}`] };
      if (entry.uncompressedSize > limits.maxBytes) {
        report.skipped.push({ ...inner, why: `entry larger than ${limits.maxBytes} bytes` });
        continue;
      }
      const data = await readAll(await zip.openReadStreamPromise(entry));
      opened.size++;
      await scanBuffer(data, inner, needles, limits, report);
    }
  } finally {
    zip.close();
  }
}

function matches(buf: Buffer, latin1: string, value: string | RegExp): boolean {
  if (typeof value !== 'string') return new RegExp(value.source, value.flags.replace('g', '')).test(latin1);
  return buf.includes(Buffer.from(value, 'utf8')) || buf.includes(Buffer.from(value, 'utf16le'));
}


function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

function startsWith(buf: Buffer, magic: Buffer): boolean {
  return buf.length >= magic.length && buf.subarray(0, magic.length).equals(magic);
}

function sameWhere(f: Finding, where: { file: string; chain: string[] }): boolean {
  return f.file === where.file && f.chain.length === where.chain.length && f.chain.every((c, i) => c === where.chain[i]);
}

/** A finding as one line, for an assertion message: where, and which needle (its name only). */
export function describeFinding(f: Finding): string {
  return `${f.file}${f.chain.map((c) => ` → ${c}`).join('')}: ${f.needle}`;
}

/**
 * The needles for a run: each secret raw, base64, base64url (+ URL-encoded forms); the token
 * also in its parts and subprotocol form; plus any JWT-shaped string and any `jwt.ZXlK…` entry.
 */
export function needlesFor(token: string, secrets: Record<string, string>): Needle[] {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) throw new Error('secret-scan: the token is not a signed JWT');
  const needles: Needle[] = [
    { name: 'token', value: token },
    { name: 'token header.payload', value: `${header}.${payload}` },
    { name: 'token signature', value: signature },
  ];
  for (const [name, value] of Object.entries({ token, ...secrets })) {
    if (name !== 'token') needles.push({ name, value });
    needles.push(...encodedForms(name, value));
  }
  needles.push(
    { name: 'any JWT-shaped string', value: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./ },
    { name: 'any jwt.<base64url(JWT)> subprotocol entry', value: /jwt\.ZXlK/ },
  );
  return needles;
}

function encodedForms(name: string, value: string): Needle[] {
  const forms: Needle[] = [];
  // Inside a longer encoded text the value starts at any byte offset mod 3: each offset gives
  // different characters. Keep only the characters that depend on the value alone.
  for (const offset of [0, 1, 2]) {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(value, 'utf8')]);
    const whole = Math.floor(bytes.length / 3) * 4;
    const from = [0, 2, 3][offset] ?? 0;
    const b64 = bytes.toString('base64').slice(from, whole);
    const b64url = bytes.toString('base64url').slice(from, whole);
    const at = offset === 0 ? '' : ` (at offset ${offset})`;
    forms.push({ name: `${name} base64${at}`, value: b64 });
    if (b64url !== b64) forms.push({ name: `${name} base64url${at}`, value: b64url });
    const escaped = encodeURIComponent(b64);
    if (escaped !== b64) forms.push({ name: `${name} base64 URL-encoded${at}`, value: escaped });
  }
  const escapedValue = encodeURIComponent(value);
  if (escapedValue !== value) forms.push({ name: `${name} URL-encoded`, value: escapedValue });
  return forms;
}
