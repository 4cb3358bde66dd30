// Every token the backend must refuse is refused the way the env says (HTTP 403 at the
// handshake by default), and never connects — from the raw client and from the chat page.
import type { HandshakeRecord, TokenVariant } from '../helpers/records/handshake-record';
import { refusedAsExpected } from '../helpers/diagnosis/context';
import { failureMessage } from '../helpers/diagnosis/engine';
import { expect, test } from '../helpers/fixtures/base-test';
import type { InvalidTokenRefusal } from '../environments/schema';

const BAD_TOKENS: ReadonlyArray<{ variant: TokenVariant; what: string }> = [
  { variant: 'missing', what: 'no token at all' },
  { variant: 'empty', what: 'an empty token' },
  { variant: 'malformed', what: 'a malformed token' },
  { variant: 'bad-signature', what: 'a token with a broken signature' },
  { variant: 'alg-none', what: 'an unsigned (alg: none) token' },
  { variant: 'expired', what: 'an expired token' },
  { variant: 'wrong-audience', what: 'a token for another audience' },
  { variant: 'wrong-issuer', what: 'a token from another issuer' },
  { variant: 'wrong-token-type', what: 'a refresh token instead of an access token' },
  { variant: 'other-secret', what: 'a token signed with another secret' },
];

/** "Refused as the env says" is the diagnosis's own test (refusedAsExpected); the failure shows what came instead. */
function expectRefusedAsConfigured(record: HandshakeRecord, refusal: InvalidTokenRefusal, message: string): void {
  expect(record.outcome, message).not.toBe('open');
  const got = `${record.outcome}, HTTP ${record.status ?? '—'}, close ${record.close?.code ?? '—'}`;
  expect(refusedAsExpected(record, refusal), `${message}\nexpected ${refusal}, got ${got}`).toBe(true);
}

test.describe('invalid JWT', () => {
  for (const { variant, what } of BAD_TOKENS) {
    test(`the raw client with ${what} is refused (${variant})`, async ({ handshakes, target }) => {
      handshakes.scenario({ scenario: 'invalid-jwt', channel: 'raw', tokenVariant: variant, transport: target.settings.TRANSPORTS[0], story: `raw client, ${variant}`, severity: 'critical' });
      const record = await test.step(`Open the socket with ${what}`, () => handshakes.raw({ variant }));
      const verdict = await handshakes.verdict();
      await test.step(`Expect the refusal the environment promises (${target.settings.INVALID_TOKEN_REFUSAL})`, async () => {
        expectRefusedAsConfigured(record, target.settings.INVALID_TOKEN_REFUSAL, failureMessage(verdict));
      });
    });
  }

  test('the chat page with a forged token shows the failure and logs the refused handshake', async ({ handshakes, target }) => {
    handshakes.scenario({ scenario: 'invalid-jwt', channel: 'browser', tokenVariant: 'bad-signature', transport: 'subprotocol', story: 'browser, forged token', severity: 'critical' });
    const record = await test.step('Open the chat page with a forged token in localStorage', () => handshakes.browser({ variant: 'bad-signature' }));
    const verdict = await handshakes.verdict();
    const refusal = target.settings.INVALID_TOKEN_REFUSAL;
    await test.step("Expect the browser's own error to carry the refusal, and the page not to show connected", async () => {
      expectRefusedAsConfigured(record, refusal, failureMessage(verdict));
      if (refusal !== 'close-1008') {
        expect(record.frameError).toBeTruthy();
        expect(record.console.some((l) => l.text.includes('WebSocket connection to') && l.text.includes('failed'))).toBe(true);
      }
      if (target.settings.UI_STATUS_SELECTOR && target.settings.UI_CONNECTED_TEXT) expect(record.uiStatus).not.toBe(target.settings.UI_CONNECTED_TEXT);
    });
  });

  test('the chat page with no token opens no authenticated socket', async ({ handshakes, target }) => {
    handshakes.scenario({ scenario: 'invalid-jwt', channel: 'browser', tokenVariant: 'missing', story: 'browser, no token', severity: 'normal' });
    const record = await test.step('Open the chat page with nothing in localStorage', () => handshakes.browser({ variant: 'missing' }));
    const verdict = await handshakes.verdict();
    // Frontends differ: one skips the socket without a token, another opens it with no token and
    // lets the backend refuse it. Either is safe; an open socket is not.
    await test.step('Expect no socket, or one the backend refuses', async () => {
      expect(['not-attempted', 'refused', 'closed-after-accept', 'error'], failureMessage(verdict)).toContain(record.outcome);
    });
    const skipLine = target.settings.FRONTEND_NO_TOKEN_CONSOLE;
    if (skipLine) {
      await test.step(`Expect the frontend's own console line "${skipLine}"`, async () => {
        expect(record.console.map((l) => l.text), failureMessage(verdict)).toContain(skipLine);
      });
    } else {
      test.info().annotations.push({ type: 'skipped check', description: "the frontend's no-token console line is not asserted: FRONTEND_NO_TOKEN_CONSOLE is empty" });
    }
  });
});
