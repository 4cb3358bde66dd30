// Issue 13.4: dotenv quoting traps are explained where they happen, not as a misleading
// "too short" or a silently empty value.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { EnvironmentError, loadEnvironment } from '../../environments/load';

const SECRET = 'twin-only-jwt-secret-for-trap-tests-0001';

function problemsOf(text: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-traps-'));
  try {
    fs.writeFileSync(path.join(dir, 'local.env'), `TWIN=embedded\n${text}`);
    loadEnvironment('local', dir, {});
    return [];
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    return error.problems.map((p) => `${p.variable} — ${p.message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const traps = [
  {
    title: 'a secret cut at an unquoted # is not called "too short"',
    text: 'JWT_SECRET=twin-only-jwt-secret#for-trap-tests-0001\n',
    problems: ['JWT_SECRET — the value was cut at an unquoted # (line 2): dotenv reads the rest of the line as a comment; quote the value: JWT_SECRET="…"'],
  },
  {
    title: 'a selector starting with # is not silently empty',
    text: `JWT_SECRET=${SECRET}\nUI_STATUS_SELECTOR=#connection-status\n`,
    problems: ['UI_STATUS_SELECTOR — the value is empty: dotenv reads an unquoted # as the start of a comment (line 3); quote the value: UI_STATUS_SELECTOR="…"'],
  },
  {
    title: 'a value followed by " #" gets a hint when it is then invalid',
    text: `JWT_SECRET=${SECRET}\nHTTP_TIMEOUT_MS=soon #2000\n`,
    problems: [
      'HTTP_TIMEOUT_MS — expected a number (got "soon") (line 3: the text after " #" was read as a comment; if it belongs to the value, quote the value: HTTP_TIMEOUT_MS="…")',
    ],
  },
  {
    title: 'an unclosed quote is not taken literally',
    text: `JWT_SECRET=${SECRET}\nJWT_ISSUER="netra-auth-service\n`,
    problems: ['JWT_ISSUER — the " on line 3 is never closed, so it was kept as part of the value: close it or remove it'],
  },
  {
    title: 'an unclosed quote that swallows the next lines says so',
    text: `JWT_SECRET=${SECRET}\nJWT_ISSUER="netra-auth-service\nUI_STATUS_SELECTOR="#connection-status"\n`,
    problems: ['JWT_ISSUER — the " opened on line 3 is not closed on that line: every line up to the next " was read into this value; close the quote on line 3'],
  },
  {
    title: 'a key set twice is refused',
    text: `JWT_SECRET=${SECRET}\nJWT_ENV=staging\nJWT_ENV=dev\n`,
    problems: ['JWT_ENV — set 2 times (lines 3, 4); dotenv keeps the last one, so an edit of the others changes nothing: keep one line'],
  },
  {
    title: 'an enum value gets a did-you-mean',
    text: `JWT_SECRET=${SECRET}\nTOKEN_SOURCE=e2e\n`,
    problems: ['TOKEN_SOURCE — expected one of mint | e2e-endpoint | dev-login | static (got "e2e"); did you mean e2e-endpoint?'],
  },
  {
    title: 'a list item gets a did-you-mean',
    text: `JWT_SECRET=${SECRET}\nTRANSPORTS=subprotocol,autorization-header\n`,
    problems: [
      'TRANSPORTS — expected one of subprotocol | authorization-header | query | cookie (got "subprotocol,autorization-header"); did you mean authorization-header?',
    ],
  },
];
for (const row of traps) {
  test(row.title, () => {
    const problems = problemsOf(row.text);
    expect(problems).toEqual(row.problems);
    expect(problems.join('\n')).not.toContain('for-trap-tests');
  });
}

test('quoted values, trailing comments, a BOM and CRLF line ends are fine', () => {
  const text = `JWT_SECRET="${SECRET}" # the twin's\r\nUI_STATUS_SELECTOR="#connection-status"\r\nJWT_ENV=staging # a comment\r\n`;
  expect(problemsOf(text)).toEqual([]);
  expect(problemsOf(`\uFEFF${text}`)).toEqual([]);
});
