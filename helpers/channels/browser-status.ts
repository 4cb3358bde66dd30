// Reads what Chromium's WebSocket frame-error text tells about a failed handshake. A refused
// upgrade shows the page no response at all (no webSocketHandshakeResponseReceived): the HTTP
// status survives only inside this message, and a 401 not even there (see CONTRACT.md,
// "What a browser can and cannot see").
import type { ErrorClass } from '../records/handshake-record';

/**
 * - http: the server answered the upgrade with a non-101 status (`status` holds it)
 * - protocol: an answer came but broke the handshake rules (subprotocol, Sec-WebSocket-Accept, status line…)
 * - tls: certificate or TLS negotiation (net::ERR_CERT_*, net::ERR_SSL_*)
 * - network: no answer: DNS, refused, reset, unreachable
 * - timeout: Chromium gave up waiting for the opening handshake
 * - unknown: a message this table does not know (kept verbatim in the record)
 */
export type FrameErrorKind = 'http' | 'protocol' | 'tls' | 'network' | 'timeout' | 'unknown';

export interface FrameErrorInfo {
  status: number | null;
  kind: FrameErrorKind;
  /** Chromium's net error name without the `net::` prefix (ERR_CONNECTION_REFUSED), when the text has one. */
  netError: string | null;
  /** The raw channel's error class for the same failure, so both channels can be compared; null for http/unknown. */
  errorClass: ErrorClass | null;
}

/** Chromium's wording for a 401 on the upgrade: it loses the number. */
const AUTH_FAILED = 'HTTP Authentication failed; no valid credentials available';

/** Net errors that are not their own class default to `network` with a null class. */
const NET_ERROR_CLASSES: Record<string, ErrorClass> = {
  ERR_NAME_NOT_RESOLVED: 'dns',
  ERR_NAME_RESOLUTION_FAILED: 'dns',
  ERR_CONNECTION_REFUSED: 'refused',
  ERR_CONNECTION_RESET: 'reset',
  ERR_CONNECTION_CLOSED: 'reset',
  ERR_CONNECTION_ABORTED: 'reset',
  ERR_EMPTY_RESPONSE: 'reset',
  ERR_CONNECTION_TIMED_OUT: 'timeout',
  ERR_TIMED_OUT: 'timeout',
  ERR_INVALID_HTTP_RESPONSE: 'protocol',
};

/** Parses a `Network.webSocketFrameError` message (also the tail of the console's "WebSocket connection to … failed: …"). */
export function parseFrameError(text: string): FrameErrorInfo {
  const code = /Unexpected response code: (\d{3})\b/.exec(text);
  if (code?.[1]) return { status: Number(code[1]), kind: 'http', netError: null, errorClass: null };
  if (text.includes(AUTH_FAILED)) return { status: 401, kind: 'http', netError: null, errorClass: null };

  const netError = /net::(ERR_[A-Z0-9_]+)/.exec(text)?.[1] ?? null;
  if (netError) {
    if (/^ERR_(CERT|SSL)_/.test(netError) || netError === 'ERR_BAD_SSL_CLIENT_AUTH_CERT') {
      return { status: null, kind: 'tls', netError, errorClass: 'tls' };
    }
    const errorClass = NET_ERROR_CLASSES[netError] ?? null;
    const kind: FrameErrorKind = errorClass === 'timeout' ? 'timeout' : errorClass === 'protocol' ? 'protocol' : 'network';
    return { status: null, kind, netError, errorClass };
  }
  if (/opening handshake timed out/i.test(text)) return { status: null, kind: 'timeout', netError: null, errorClass: 'timeout' };
  if (text.includes('Connection closed before receiving a handshake response')) {
    return { status: null, kind: 'network', netError: null, errorClass: 'reset' };
  }
  if (text.startsWith('Error during WebSocket handshake:')) {
    return { status: null, kind: 'protocol', netError: null, errorClass: 'protocol' };
  }
  return { status: null, kind: 'unknown', netError: null, errorClass: null };
}
