// Issue #631, reproduced: on the failing staging a valid chat token was refused with HTTP 403
// at the WebSocket handshake because the backend had lost AUTH_SERVICE_URL. This test presents
// a token the auth service itself accepts through every channel, compares it with a forged token
// sent the same way, then ramps valid handshakes gently (1 → 2 → 5 → 10 in flight) to tell a bad
// instance behind a balancer from refusals under load. It runs in its environment's `:load`
// project, after every other test of that environment, so its ramp never overlaps them.
import { failureMessage } from '../helpers/diagnosis/engine';
import { netFailure } from '../helpers/diagnosis/context';
import { attachConfigFacts } from '../helpers/reporting/evidence-attachments';
import { expect, test } from '../helpers/fixtures/base-test';
import { LOAD_TEST_TITLE } from './load-test-title';

test.describe(LOAD_TEST_TITLE[0], () => {
  test(LOAD_TEST_TITLE[1], async ({ handshakes, target, configFacts, redactor }) => {
    handshakes.scenario({ scenario: 'reproduce-403', channel: 'raw+browser', tokenVariant: 'valid', story: 'valid token refused with 403 (#631)', severity: 'blocker' });

    await test.step('Ask the auth service whether it accepts the token', async () => {
      // Evidence, not an assertion: the verdict compares the auth service's answer with the backend's.
      await attachConfigFacts(test.info(), configFacts, (text) => redactor.redact(text));
    });
    const raws = [];
    for (const transport of target.settings.TRANSPORTS.filter((t) => t === 'subprotocol' || t === 'authorization-header')) {
      raws.push(await test.step(`Open the socket as the raw client, token via ${transport}`, () => handshakes.raw({ variant: 'valid', transport })));
    }
    const page = await test.step('Open the chat page in Chromium with the same token', () => handshakes.browser({ variant: 'valid' }));
    await test.step('Open the socket with a forged token sent the same way, for comparison', () => handshakes.raw({ variant: 'bad-signature' }));

    // A failure below HTTP repeats identically at any load: ramping would only wait out timeouts.
    const belowHttp = [...raws, page].some((r) => netFailure(r) !== null);
    const rampResult = belowHttp
      ? null
      : await test.step(`Ramp valid handshakes: 1, 2, 5 … up to ${target.settings.BURST_CONCURRENCY} in flight, stopping at the first refusals`, () => handshakes.ramp());

    const verdict = await test.step('Diagnose where and why the handshake was refused', () => handshakes.verdict());
    const sequentialRefusals = (rampResult?.steps ?? []).filter((s) => s.concurrency === 1).reduce((n, s) => n + s.attempts - s.opened, 0);
    if (verdict.cause === 'refusals-under-load') {
      // One at a time the target is healthy: reported (exit code 3), never a page.
      test.info().annotations.push({ type: 'warning', description: verdict.summary });
      return;
    }
    expect(verdict.cause, failureMessage(verdict)).toBe('healthy');
    expect(sequentialRefusals, failureMessage(verdict)).toBe(0);
  });
});
