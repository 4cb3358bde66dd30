// Where the backend finds the JWT on a WebSocket upgrade, in the contract's order:
// `Authorization: Bearer` first, else a Sec-WebSocket-Protocol entry `jwt.<base64url(jwt)>`,
// `jwt-auth.<token>` or `bearer.<token>` (base64url-decoded when that gives a token, else
// taken raw when JWT-shaped). Query parameters and cookies are deliberately NOT read.
import type http from 'node:http';

export type TokenSource = 'authorization-header' | 'subprotocol' | 'none';

export interface FoundToken {
  token: string | null;
  source: TokenSource;
  /** The prefix of the subprotocol entry that carried it. */
  entry: 'jwt' | 'jwt-auth' | 'bearer' | null;
}

/** Subprotocols the server can echo: `jwt-auth`, or `bearer` for a `bearer.` token. */
export const ECHOABLE = ['jwt-auth', 'bearer'] as const;

export function offeredSubprotocols(req: http.IncomingMessage): string[] {
  const raw = req.headers['sec-websocket-protocol'];
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function decodeEntry(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) {
    const decoded = Buffer.from(value, 'base64url').toString('utf8');
    // "Decoded when possible": the decoding must round-trip and give printable text.
    if (decoded && Buffer.from(decoded, 'utf8').toString('base64url') === value && /^[\x21-\x7e]+$/.test(decoded)) return decoded;
  }
  // Not decodable: the raw value (a JWT-shaped one is the token itself; anything else fails validation).
  return value;
}

export function findToken(req: http.IncomingMessage): FoundToken {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1]) return { token: match[1], source: 'authorization-header', entry: null };
  }
  for (const protocol of offeredSubprotocols(req)) {
    for (const entry of ['jwt-auth', 'bearer', 'jwt'] as const) {
      if (protocol.startsWith(`${entry}.`)) {
        const value = protocol.slice(entry.length + 1);
        return { token: value ? decodeEntry(value) : null, source: 'subprotocol', entry };
      }
    }
  }
  return { token: null, source: 'none', entry: null };
}

/** The subprotocol to echo, or null when none is offered that the server speaks. */
export function chooseSubprotocol(offered: readonly string[], found: FoundToken): string | null {
  if (found.entry === 'bearer' && offered.includes('bearer')) return 'bearer';
  return ECHOABLE.find((p) => offered.includes(p)) ?? null;
}
