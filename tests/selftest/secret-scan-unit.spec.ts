// The scanner on synthetic files: each row hides a needle in one of the containers a real run
// writes, and the scanner must name the file, the container chain and the needle. Fast: no run.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { test, expect } from '@playwright/test';
import { writeZip } from '../../helpers/redaction/zip-writer';
import { DEFAULT_LIMITS, describeFinding, type Needle, needlesFor, scanTree } from './support/secret-scan';

// Built at run time so no JWT-shaped literal sits in the repository (same value as a literal).
const TOKEN = ['{"alg":"HS256","typ":"JWT"}', '{"sub":"user-1","aud":"netra-platform"}', 'signature-bytes-of-the-token-1234'].map((part) => Buffer.from(part).toString('base64url')).join('.');
const SECRET = 'unit-only-secret-value-0123456789';
const NEEDLES: Needle[] = needlesFor(TOKEN, { JWT_SECRET: SECRET });
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** A deflated zip, as traces and reports are: the content is not readable without inflating. */
const zip = (entries: Record<string, string | Buffer>): Buffer =>
  writeZip(Object.entries(entries).map(([name, content]) => ({ name, data: Buffer.from(content) })));

const padding = 'x'.repeat(300); // makes an embedded base64 run longer than the scanner's minimum

/** [what, file name, content, expected findings as `chain: needle` lines]. */
const rows: Array<[string, string, string | Buffer, string[]]> = [
  ['a clean text file', 'clean.txt', 'nothing here: ‹fp:1a2b3c4d› eyJhbGciOiJIUzI1NiJ9 only a header', []],
  ['the token in text', 'plain.txt', `token=${TOKEN}`, [': token', ': token header.payload', ': token signature', ': any JWT-shaped string']],
  ['the forged header.payload alone', 'forged.txt', `${TOKEN.split('.').slice(0, 2).join('.')}.AAAA`, [': token header.payload', ': any JWT-shaped string']],
  ['the subprotocol entry', 'frames.json', `{"protocols":"jwt-auth, jwt.${b64url(TOKEN)}"}`, [': token base64', ': any jwt.<base64url(JWT)> subprotocol entry']],
  ['a secret in base64 at offset 1 of a longer encoding', 'header.txt', b64(`x${SECRET}`), [': JWT_SECRET base64 (at offset 1)']],
  ['a secret as utf16le', 'utf16.bin', Buffer.from(`k=${SECRET}`, 'utf16le'), [': JWT_SECRET']],
  ['a secret in a gzip', 'log.gz', gzipSync(`secret ${SECRET}`), ['gzip: JWT_SECRET']],
  ['the token in a trace zip', 'trace.zip', zip({ 'trace.trace': `{"headers":"Authorization: Bearer ${TOKEN}"}`, 'trace.network': '{}' }), [
    'zip:trace.trace: token',
    'zip:trace.trace: token header.payload',
    'zip:trace.trace: token signature',
    'zip:trace.trace: any JWT-shaped string',
  ]],
  ['a zip inside base64 inside html (the HTML report)', 'index.html', `<script>window.data = "data:application/zip;base64,${b64(zip({ 'report.json': `${padding} ${SECRET}` }))}";</script>`, ['base64@* → zip:report.json: JWT_SECRET']],
  ['a zip in a zip', 'outer.zip', zip({ 'data/trace.zip': zip({ 'resources/abc': `p ${SECRET}` }) }), ['zip:data/trace.zip → zip:resources/abc: JWT_SECRET']],
  ['base64 of a gzip in text (Allure-style embedding)', 'allure.html', `d["x.json"]="${b64(gzipSync(`${padding}${TOKEN}`))}"`, [
    'base64@* → gzip: token',
    'base64@* → gzip: token header.payload',
    'base64@* → gzip: token signature',
    'base64@* → gzip: any JWT-shaped string',
  ]],
];

for (const [what, name, content, expected] of rows) {
  test(`finds exactly what is hidden: ${what}`, async () => {
    const testInfo = test.info();
    const dir = testInfo.outputPath('tree');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
    const report = await scanTree([dir], NEEDLES);
    const got = report.findings.map((f) => `${f.chain.join(' → ').replace(/base64@\d+/g, 'base64@*')}: ${f.needle}`).sort();
    expect(got).toEqual([...expected].sort());
    expect(report.files).toEqual([path.join(dir, name)]);
    expect(report.skipped).toEqual([]);
  });
}

test('records each container it opened, by kind', async () => {
  const testInfo = test.info();
  const dir = testInfo.outputPath('tree');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), `data:application/zip;base64,${b64(zip({ 'a.txt': 'a', 'b.gz': gzipSync('b') }))}`);
  const report = await scanTree([dir], NEEDLES);
  expect(report.containers.map((c) => [c.kind, c.chain.join(' → ').replace(/@\d+/g, '@N'), c.size])).toEqual([
    ['base64', '', expect.any(Number)],
    ['zip', 'base64@N', 2],
    ['gzip', 'base64@N → zip:b.gz', 1],
  ]);
});

test('a container past the depth limit is reported as skipped, not passed over in silence', async () => {
  const testInfo = test.info();
  const dir = testInfo.outputPath('tree');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'deep.zip'), zip({ 'inner.zip': zip({ 'x.txt': SECRET }) }));
  const report = await scanTree([dir], NEEDLES, { ...DEFAULT_LIMITS, maxDepth: 1 });
  expect(report.findings).toEqual([]);
  expect(report.skipped).toEqual([{ file: path.join(dir, 'deep.zip'), chain: ['zip:inner.zip'], why: 'zip below the depth limit' }]);
});

test('a finding names the needle, never its value', async () => {
  const testInfo = test.info();
  const dir = testInfo.outputPath('tree');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'leak.txt'), `${TOKEN} ${SECRET}`);
  const report = await scanTree([dir], NEEDLES);
  const lines = report.findings.map(describeFinding).join('\n');
  expect(lines).toContain(`${path.join(dir, 'leak.txt')}: JWT_SECRET`);
  for (const needle of NEEDLES) if (typeof needle.value === 'string') expect(lines).not.toContain(needle.value);
});

test('a missing root is an error, not an empty (passing) scan', async () => {
  await expect(scanTree(['/nonexistent/secret-scan-root'], NEEDLES)).rejects.toThrow('secret-scan: /nonexistent/secret-scan-root does not exist');
});

test('needlesFor refuses a token that is not a signed JWT', () => {
  expect(() => needlesFor('not-a-jwt', {})).toThrow('secret-scan: the token is not a signed JWT');
});
