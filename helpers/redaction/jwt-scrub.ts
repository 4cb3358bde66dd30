// The reporter's last line of defence: whatever reaches a report file or stdout from an error
// message goes through this, even though callers already redacted it. Deliberately tiny and
// dependency-free (the reporter runs in the runner's main process): the JWT shape is redaction.ts's.
import { JWT_PATTERN } from './redaction';

const JWT_SHAPE = new RegExp(JWT_PATTERN, 'g');
// A bearer credential in a header line or a sentence.
const BEARER = /\b(Bearer)\s+(?!‹)[A-Za-z0-9._~+/=-]{8,}/gi;
// The subprotocol form of a token: `jwt.<base64url(jwt)>`, `jwt-auth.<token>`, `bearer.<token>`.
const SUBPROTOCOL_TOKEN = /\b(jwt|jwt-auth|bearer)\.[A-Za-z0-9_-]{16,}(\.[A-Za-z0-9_-]*){0,2}/gi;

export const SCRUBBED = '‹scrubbed›';

export function scrubJwts(text: string): string {
  return text
    .replace(JWT_SHAPE, SCRUBBED)
    .replace(SUBPROTOCOL_TOKEN, (_m, prefix: string) => `${prefix}.${SCRUBBED}`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${SCRUBBED}`);
}
