// Issue #631, reproduced: on the failing staging a valid chat token was refused with HTTP 403
// at the WebSocket handshake because the backend had lost AUTH_SERVICE_URL. This test presents
// a token the auth service itself accepts through every channel, compares it with a token that
// must be refused, and bursts valid handshakes to catch a bad instance behind a balancer. It
// passes on a healthy target; on a broken one its first line says where and why.
import { failureMessage } from '../helpers/diagnosis';
import { attachJson } from '../helpers/evidence-attachments';
import { expect, test } from '../helpers/fixtures/base-test';

/** After a refusal is seen, a short burst measures whether it is every handshake or some. */
const CONFIRMING_BURST = 40;

test.describe('reproduce issue #631', () => {
  test('a token the auth service accepts opens the chat socket on every channel', async ({ handshakes, target, configFacts, redactor }) => {
    handshakes.scenario({ scenario: 'reproduce-403', channel: 'raw+browser', tokenVariant: 'valid', story: 'valid token refused with 403 (#631)', severity: 'blocker' });

    await test.step('Ask the auth service whether it accepts the token', async () => {
      // Evidence, not an assertion: the verdict compares the auth service's answer with the backend's.
      await attachJson(test.info(), 'config-facts', configFacts, (text) => redactor.redact(text));
    });
    const raws = [];
    for (const transport of target.settings.TRANSPORTS.filter((t) => t === 'subprotocol' || t === 'authorization-header')) {
      raws.push(await test.step(`Open the socket as the raw client, token via ${transport}`, () => handshakes.raw({ variant: 'valid', transport })));
    }
    const page = await test.step('Open the chat page in Chromium with the same token', () => handshakes.browser({ variant: 'valid' }));
    await test.step('Open the socket with a forged token, for comparison', () => handshakes.raw({ variant: 'bad-signature' }));

    const allOpened = [...raws, page].every((r) => r.outcome === 'open');
    const burst = await test.step(
      allOpened ? 'Repeat valid handshakes to catch an intermittently broken instance' : 'Repeat valid handshakes to measure how many are refused',
      () => handshakes.burst(allOpened ? {} : { attempts: CONFIRMING_BURST }),
    );

    const verdict = await test.step('Diagnose where and why the handshake was refused', () => handshakes.verdict());
    expect(verdict.cause, failureMessage(verdict)).toBe('healthy');
    expect(burst.refused + burst.errors + burst.timeouts, failureMessage(verdict)).toBe(0);
  });
});
