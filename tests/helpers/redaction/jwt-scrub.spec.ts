import { expect, test } from '@playwright/test';
import { SCRUBBED, scrubJwts } from '../../../helpers/redaction/jwt-scrub';

// Built at run time so no JWT-shaped literal sits in the repository (same value as a literal).
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const JWT = [b64url('{"alg":"HS256"}'), b64url('{"sub":"user-1"}'), b64url('signature-of-the-token')].join('.');
const ALG_NONE = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.';
const B64URL = Buffer.from(JWT).toString('base64url');

const rows: Array<[string, string, string]> = [
  ['a JWT in a sentence', `refused ${JWT} at the door`, `refused ${SCRUBBED} at the door`],
  ['an alg:none JWT (empty signature)', `token ${ALG_NONE} end`, `token ${SCRUBBED} end`],
  ['a bearer header', 'Authorization: Bearer abcdefgh12345678', `Authorization: Bearer ${SCRUBBED}`],
  ['a jwt.<base64url> subprotocol', `Sec-WebSocket-Protocol: jwt-auth, jwt.${B64URL}`, `Sec-WebSocket-Protocol: jwt-auth, jwt.${SCRUBBED}`],
  ['ordinary text', 'Verdict [healthy] at none: all good (12 ms) http://127.0.0.1:8080/ws', 'Verdict [healthy] at none: all good (12 ms) http://127.0.0.1:8080/ws'],
  ['a redactor fingerprint', 'Authorization: Bearer ‹fp:1a2b3c4d›', 'Authorization: Bearer ‹fp:1a2b3c4d›'],
];

for (const [name, input, expected] of rows) {
  test(`scrubs ${name}`, () => {
    expect(scrubJwts(input)).toBe(expected);
    expect(scrubJwts(scrubJwts(input))).toBe(expected);
  });
}
