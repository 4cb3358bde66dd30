import { test, expect } from '@playwright/test';
import type { HandshakeError } from '../../../helpers/records/handshake-record';
import { budgetTimeoutError, classifyNetworkError, classifyProblem } from '../../../helpers/channels/network-errors';

function nodeError(message: string, code?: string): Error {
  return code === undefined ? new Error(message) : Object.assign(new Error(message), { code });
}

const ROWS: Array<[code: string | undefined, message: string, expected: Omit<HandshakeError, 'message'>]> = [
  ['ENOTFOUND', 'getaddrinfo ENOTFOUND api.example.invalid', { class: 'dns', code: 'ENOTFOUND' }],
  ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN api.example.invalid', { class: 'dns', code: 'EAI_AGAIN' }],
  ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9', { class: 'refused', code: 'ECONNREFUSED' }],
  ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:443', { class: 'refused', code: 'EHOSTUNREACH' }],
  ['ECONNRESET', 'read ECONNRESET', { class: 'reset', code: 'ECONNRESET' }],
  ['EPIPE', 'write EPIPE', { class: 'reset', code: 'EPIPE' }],
  [undefined, 'socket hang up', { class: 'reset', code: null }],
  ['ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443', { class: 'timeout', code: 'ETIMEDOUT' }],
  [undefined, 'Opening handshake has timed out', { class: 'timeout', code: null }],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', { class: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', tls: 'untrusted' }],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', { class: 'tls', code: 'SELF_SIGNED_CERT_IN_CHAIN', tls: 'untrusted' }],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', { class: 'tls', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', tls: 'untrusted' }],
  ['UNABLE_TO_GET_ISSUER_CERT', 'unable to get issuer certificate', { class: 'tls', code: 'UNABLE_TO_GET_ISSUER_CERT', tls: 'untrusted' }],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate', { class: 'tls', code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', tls: 'untrusted' }],
  ['CERT_HAS_EXPIRED', 'certificate has expired', { class: 'tls', code: 'CERT_HAS_EXPIRED', tls: 'expired' }],
  ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", { class: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID', tls: 'hostname-mismatch' }],
  ['ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number', { class: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER', tls: 'other' }],
  ['EPROTO', 'write EPROTO', { class: 'tls', code: 'EPROTO', tls: 'other' }],
  [undefined, 'Server sent no subprotocol', { class: 'protocol', code: null }],
  [undefined, 'Server sent an invalid subprotocol', { class: 'protocol', code: null }],
  [undefined, 'Invalid Sec-WebSocket-Accept header', { class: 'protocol', code: null }],
  ['WS_ERR_INVALID_OPCODE', 'Invalid WebSocket frame: invalid opcode 5', { class: 'protocol', code: 'WS_ERR_INVALID_OPCODE' }],
  ['HPE_INVALID_CONSTANT', 'Parse Error: Expected HTTP/', { class: 'protocol', code: 'HPE_INVALID_CONSTANT' }],
];

for (const [code, message, expected] of ROWS) {
  test(`classifyNetworkError: ${code ?? `"${message}"`} is ${expected.class}${expected.tls ? ` (${expected.tls})` : ''}`, () => {
    expect(classifyNetworkError(nodeError(message, code))).toEqual({ ...expected, message });
  });
}

test('classifyNetworkError keeps a thrown non-Error as its string', () => {
  expect(classifyNetworkError('boom')).toEqual({ class: 'protocol', code: null, message: 'boom' });
});

test('budgetTimeoutError names the budget', () => {
  expect(budgetTimeoutError(750)).toEqual({ class: 'timeout', code: null, message: 'No conclusive answer within the 750 ms budget' });
});

test('classifyProblem reads a health check problem (a code, else a message) as the raw channel reads errors', () => {
  const problems = ['ENOTFOUND', 'ECONNREFUSED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ECONNRESET', 'socket hang up', 'timed out after 5000 ms', 'HTTP 503'];
  expect(problems.map(classifyProblem)).toEqual([
    'dns',
    'refused',
    'tls',
    'reset',
    'reset',
    'protocol',
    'protocol',
  ]);
});
