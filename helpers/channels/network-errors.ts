// Classifies what went wrong before an HTTP answer into the closed ErrorClass set the
// diagnosis reads. Node's error `code` is the stable key; the few errors without one
// ("socket hang up", ws's handshake timeout) are recognised by their exact messages.
import type { ErrorClass, HandshakeError, TlsProblem } from '../records/handshake-record';

const CODE_CLASSES: Readonly<Record<string, ErrorClass>> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  ECONNREFUSED: 'refused',
  // No route to the host: like a refusal, nothing answered the connect.
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  EADDRNOTAVAIL: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  ETIMEDOUT: 'timeout',
};

const TLS_PROBLEMS: Readonly<Record<string, TlsProblem>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname-mismatch',
};

export const WS_HANDSHAKE_TIMEOUT_MESSAGE = 'Opening handshake has timed out';

function errorCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null || !('code' in err)) return null;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : null;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Maps an error from a handshake attempt to its class. Unknown errors fall in `protocol`
 * ("the exchange went wrong in a way we do not name"), with their code and message kept.
 * The message is returned as is: the caller redacts it.
 */
export function classifyNetworkError(err: unknown): HandshakeError {
  const code = errorCode(err);
  const message = errorMessage(err);
  const tls = code === null ? undefined : TLS_PROBLEMS[code];
  if (tls !== undefined) return { class: 'tls', code, message, tls };
  // Node reports OpenSSL failures as ERR_SSL_* / ERR_TLS_* / EPROTO.
  if (code !== null && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO')) {
    return { class: 'tls', code, message, tls: 'other' };
  }
  const byCode = code === null ? undefined : CODE_CLASSES[code];
  if (byCode !== undefined) return { class: byCode, code, message };
  if (message === 'socket hang up') return { class: 'reset', code, message };
  if (message === WS_HANDSHAKE_TIMEOUT_MESSAGE) return { class: 'timeout', code, message };
  // ws's own handshake checks ("Server sent no subprotocol", "Invalid Sec-WebSocket-Accept
  // header"…), its frame errors (WS_ERR_*) and HTTP parse errors (HPE_*) land here too.
  return { class: 'protocol', code, message };
}

/** The class of a problem as helpers/target/http-json.ts words it: Node's code when it had one, else the message. */
export function classifyProblem(problem: string): ErrorClass {
  return classifyNetworkError(/^[A-Z][A-Z0-9_]+$/.test(problem) ? { code: problem } : new Error(problem)).class;
}

/** The probe's own deadline passed with nothing conclusive. */
export function budgetTimeoutError(budgetMs: number): HandshakeError {
  return { class: 'timeout', code: null, message: `No conclusive answer within the ${budgetMs} ms budget` };
}
