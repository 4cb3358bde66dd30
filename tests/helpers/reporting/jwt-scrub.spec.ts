import { expect, test } from '@playwright/test';
import { SCRUBBED, scrubJwts } from '../../../helpers/reporting/jwt-scrub';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
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
