// The flavour table: which real stack the twin PRESENTS as. A flavour changes only what a
// client can see — the refusal's status line, headers and body, the 101's headers, which
// endpoints exist, the after-accept message texts, the frontend page, the edge's product —
// never how a fault works: every fault breaks the same mechanism under every flavour.
// twin/README.md ("Flavours") names the source file each fingerprint was read from.
import { AWS_ELB, type EdgeProduct, HAPROXY, NGINX } from './edge-products';
import { nodeStyleAnswer, type RawAnswer } from './http-util';

export const FLAVOUR_NAMES = ['node', 'uvicorn-websockets', 'wsproto'] as const;

export type FlavourName = (typeof FLAVOUR_NAMES)[number];

export function isFlavourName(value: string): value is FlavourName {
  return (FLAVOUR_NAMES as readonly string[]).includes(value);
}

export interface Flavour {
  name: FlavourName;
  /** The backend's answer to an upgrade the app closed before accepting (auth failure → 403). */
  refusal(now: Date): RawAnswer;
  /** Header lines the stack adds to its 101, after Upgrade/Connection/Accept/Protocol. */
  acceptHeaders(now: Date): string[];
  /** Whether the backend has GET /api/system/dependencies/status (else 404 like any unknown path). */
  dependencyEndpoint: boolean;
  /**
   * The text of the AUTH_FAILED frame under after-accept auth. generic: one text for every
   * reason; contract: "Auth service unavailable" when the auth service could not be asked,
   * "Token validation failed: <error>" when it answered valid=false.
   */
  afterAcceptMessages: 'generic' | 'contract';
  /** contract: the twin's chat page (frontend-page.ts); service: a React-style page (frontend-page-service.ts). */
  page: 'contract' | 'service';
  /** The product of the edge a fault puts in front (edge-403, header-stripped, intermittent). */
  edge: EdgeProduct;
}

/** The app's JSON refusal: what the twin has always answered (node's http writer, uvicorn-like header). */
export const NODE_REFUSAL_BODY = JSON.stringify({ detail: 'WebSocket connection rejected' });

/** `Python/x.y websockets/X` (websockets' http.py USER_AGENT), as the Server of uvicorn ≤ 0.19's websockets implementation. */
export const WEBSOCKETS_SERVER = 'Python/3.11 websockets/10.4';

const NODE: Flavour = {
  name: 'node',
  refusal: (now) => nodeStyleAnswer(403, { server: 'uvicorn', 'content-type': 'application/json' }, NODE_REFUSAL_BODY, now),
  acceptHeaders: () => ['server: uvicorn'],
  dependencyEndpoint: true,
  afterAcceptMessages: 'generic',
  page: 'contract',
  edge: AWS_ELB,
};

/**
 * uvicorn 0.19 on websockets 10.4 (legacy server): the app's close-before-accept becomes
 * process_request's early response (403, [], b""), and WebSocketServerProtocol.handler adds
 * Date, Server (server_header defaults to USER_AGENT: uvicorn passed none before 0.20),
 * Content-Length, Content-Type: text/plain, Connection: close, in that order, then closes.
 */
const UVICORN_WEBSOCKETS: Flavour = {
  name: 'uvicorn-websockets',
  refusal: (now) => ({
    status: 403,
    reason: 'Forbidden',
    headers: [
      ['Date', now.toUTCString()],
      ['Server', WEBSOCKETS_SERVER],
      ['Content-Length', '0'],
      ['Content-Type', 'text/plain'],
      ['Connection', 'close'],
    ],
    body: '',
    close: true,
  }),
  // handshake(): extra_headers (uvicorn 0.19 passes []), then Date and Server by setdefault.
  acceptHeaders: (now) => [`Date: ${now.toUTCString()}`, `Server: ${WEBSOCKETS_SERVER}`],
  dependencyEndpoint: false,
  afterAcceptMessages: 'contract',
  page: 'service',
  edge: NGINX,
};

/**
 * uvicorn (0.35) on wsproto: RejectConnection(status_code=403, headers=[]) with no body, so
 * wsproto's _reject adds only content-length: 0, and h11 writes an EMPTY reason phrase
 * ("HTTP/1.1 403 ", the space is mandatory). No Server, no Date; uvicorn then closes the
 * transport. Its 101 carries uvicorn's default headers (date, server: uvicorn) after wsproto's own.
 */
const WSPROTO: Flavour = {
  name: 'wsproto',
  refusal: () => ({ status: 403, reason: '', headers: [['content-length', '0']], body: '', close: true }),
  acceptHeaders: (now) => [`date: ${now.toUTCString()}`, 'server: uvicorn'],
  dependencyEndpoint: true,
  afterAcceptMessages: 'contract',
  page: 'contract',
  edge: HAPROXY,
};

export const FLAVOURS: Record<FlavourName, Flavour> = { node: NODE, 'uvicorn-websockets': UVICORN_WEBSOCKETS, wsproto: WSPROTO };

/** One line per flavour (for the CLI's error message and the README). */
export const FLAVOUR_SUMMARIES: Record<FlavourName, string> = {
  node: 'the twin as it always was: JSON 403 under server: uvicorn, AWS ELB edge',
  'uvicorn-websockets': 'uvicorn 0.19 + websockets 10.4: empty text/plain 403 under Server: Python/3.11 websockets/10.4, no dependency endpoint, nginx edge',
  wsproto: 'uvicorn + wsproto: "HTTP/1.1 403 " with no reason phrase and no Server header, HAProxy edge',
};
