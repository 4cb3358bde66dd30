// The backend's own words: error frames and close reasons read against the contract's messages.
// A known message decides between causes the comparisons left open; an unknown one is quoted.
// Operators extend the table with APP_MESSAGES in the env file ("text=cause;text=cause").
import type { Cause } from './causes';
import type { HandshakeRecord } from '../records/handshake-record';

export interface AppMessageRule {
  /** Case-insensitive; matched against the error frame's code and message, and the close reason. */
  pattern: RegExp;
  cause: Cause;
  /** What the message tells, for the verdict. */
  meaning: string;
}

/** The contract's messages (AUTH_FAILED texts, auth-service error codes, readiness guard). */
export const CONTRACT_MESSAGES: readonly AppMessageRule[] = [
  { pattern: /auth[ _-]?service (unavailable|unreachable)|auth_service_unreachable|circuit_breaker_open/i, cause: 'backend-cannot-use-auth-service', meaning: 'the backend cannot reach its auth service' },
  { pattern: /auth_service_timeout|auth service timed? ?out/i, cause: 'auth-service-slow', meaning: 'the backend timed out waiting for its auth service' },
  { pattern: /invalid_service_secret|invalid_service_id|service_not_configured/i, cause: 'service-credentials-rejected', meaning: "the auth service refuses the backend's service credentials" },
  { pattern: /token validation failed|invalid_token|token (is )?expired/i, cause: 'token-rejected-by-auth-service', meaning: 'the auth service says the token is invalid' },
  { pattern: /service not ready|CONNECTION_ERROR/i, cause: 'backend-not-ready', meaning: 'the backend is not ready to serve' },
];

/** Parses APP_MESSAGES: `text=cause` pairs separated by `;`; the text is matched literally. */
export function parseAppMessages(spec: string, known: readonly string[]): { rules: AppMessageRule[]; problems: string[] } {
  const rules: AppMessageRule[] = [];
  const problems: string[] = [];
  for (const pair of spec.split(';').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const text = at > 0 ? pair.slice(0, at).trim() : '';
    const cause = at > 0 ? pair.slice(at + 1).trim() : '';
    if (!text || !known.includes(cause)) {
      problems.push(`"${pair}": expected text=cause with a cause among ${known.join(', ')}`);
      continue;
    }
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    rules.push({ pattern: new RegExp(escaped, 'i'), cause: cause as Cause, meaning: `the operator's table says "${text}" means ${cause}` });
  }
  return { rules, problems };
}

export interface AppMessage {
  /** The words as the backend sent them (frame error_message / error_code, or the close reason). */
  text: string;
  rule: AppMessageRule | null;
}

function jsonTexts(data: string, plainToo: boolean): string[] {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed !== 'object' || parsed === null) return [];
    const fields = parsed as Record<string, unknown>;
    return ['error_code', 'error_message', 'message', 'error', 'reason', 'detail']
      .map((k) => fields[k])
      .filter((v): v is string => typeof v === 'string' && v.length > 0);
  } catch {
    return plainToo && /error|fail|denied|unauthori[sz]ed|forbidden/i.test(data) ? [data] : [];
  }
}

/** The most telling app message of a record: the first one a rule knows, else the first one at all. */
export function readAppMessage(r: HandshakeRecord, rules: readonly AppMessageRule[]): AppMessage | null {
  const texts = [
    ...r.frames.filter((f) => f.direction === 'received').flatMap((f) => jsonTexts(f.data, true)),
    ...(r.close?.reason ? [r.close.reason] : []),
    // A refusal's body speaks only as JSON: an HTML page is a proxy's or a framework's, not the app's words.
    ...(r.channel === 'raw' && r.body ? jsonTexts(r.body, false) : []),
  ];
  if (!texts.length) return null;
  // Specific texts first: "Token validation failed: invalid_service_secret" names the caller, not the token.
  const joined = texts.join(' | ');
  for (const rule of rules) if (rule.pattern.test(joined)) return { text: joined, rule };
  return { text: joined, rule: null };
}
