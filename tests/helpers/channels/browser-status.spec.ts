import { expect, test } from '@playwright/test';
import { type FrameErrorInfo, parseFrameError } from '../../../helpers/channels/browser-status';

// Messages as Chromium 156 writes them in Network.webSocketFrameError (the first four measured
// against real servers in browser-capture.spec.ts; the rest from Chromium's net error names).
const rows: [text: string, expected: FrameErrorInfo][] = [
  ['Error during WebSocket handshake: Unexpected response code: 403', { status: 403, kind: 'http', netError: null, errorClass: null }],
  ['Error during WebSocket handshake: Unexpected response code: 502', { status: 502, kind: 'http', netError: null, errorClass: null }],
  ['Error during WebSocket handshake: Unexpected response code: 200', { status: 200, kind: 'http', netError: null, errorClass: null }],
  ['HTTP Authentication failed; no valid credentials available', { status: 401, kind: 'http', netError: null, errorClass: null }],
  [
    "WebSocket connection to 'ws://127.0.0.1:9/ws' failed: Error during WebSocket handshake: Unexpected response code: 403",
    { status: 403, kind: 'http', netError: null, errorClass: null },
  ],
  [
    "Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received",
    { status: null, kind: 'protocol', netError: null, errorClass: 'protocol' },
  ],
  [
    "Error during WebSocket handshake: 'Sec-WebSocket-Protocol' header value 'x' in response does not match any of sent values",
    { status: null, kind: 'protocol', netError: null, errorClass: 'protocol' },
  ],
  ["Error during WebSocket handshake: Incorrect 'Sec-WebSocket-Accept' header value", { status: null, kind: 'protocol', netError: null, errorClass: 'protocol' }],
  ['Error in connection establishment: net::ERR_CERT_AUTHORITY_INVALID', { status: null, kind: 'tls', netError: 'ERR_CERT_AUTHORITY_INVALID', errorClass: 'tls' }],
  ['Error in connection establishment: net::ERR_CERT_DATE_INVALID', { status: null, kind: 'tls', netError: 'ERR_CERT_DATE_INVALID', errorClass: 'tls' }],
  ['Error in connection establishment: net::ERR_SSL_PROTOCOL_ERROR', { status: null, kind: 'tls', netError: 'ERR_SSL_PROTOCOL_ERROR', errorClass: 'tls' }],
  ['Error in connection establishment: net::ERR_CONNECTION_REFUSED', { status: null, kind: 'network', netError: 'ERR_CONNECTION_REFUSED', errorClass: 'refused' }],
  ['Error in connection establishment: net::ERR_NAME_NOT_RESOLVED', { status: null, kind: 'network', netError: 'ERR_NAME_NOT_RESOLVED', errorClass: 'dns' }],
  ['Error in connection establishment: net::ERR_CONNECTION_RESET', { status: null, kind: 'network', netError: 'ERR_CONNECTION_RESET', errorClass: 'reset' }],
  ['Error during WebSocket handshake: net::ERR_CONNECTION_CLOSED', { status: null, kind: 'network', netError: 'ERR_CONNECTION_CLOSED', errorClass: 'reset' }],
  ['Error in connection establishment: net::ERR_UNSAFE_PORT', { status: null, kind: 'network', netError: 'ERR_UNSAFE_PORT', errorClass: null }],
  ['Error in connection establishment: net::ERR_CONNECTION_TIMED_OUT', { status: null, kind: 'timeout', netError: 'ERR_CONNECTION_TIMED_OUT', errorClass: 'timeout' }],
  ['Error during WebSocket handshake: net::ERR_INVALID_HTTP_RESPONSE', { status: null, kind: 'protocol', netError: 'ERR_INVALID_HTTP_RESPONSE', errorClass: 'protocol' }],
  ['WebSocket opening handshake timed out', { status: null, kind: 'timeout', netError: null, errorClass: 'timeout' }],
  ['Connection closed before receiving a handshake response', { status: null, kind: 'network', netError: null, errorClass: 'reset' }],
  ['Something Chromium has never said', { status: null, kind: 'unknown', netError: null, errorClass: null }],
  ['', { status: null, kind: 'unknown', netError: null, errorClass: null }],
];

for (const [text, expected] of rows) {
  test(`parseFrameError: ${text || '(empty)'}`, () => {
    expect(parseFrameError(text)).toEqual(expected);
  });
}
