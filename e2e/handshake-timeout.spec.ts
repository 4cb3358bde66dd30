// Handshakes are bounded: a valid one is answered within the env's budget, and a server that
// never answers is reported as a timeout at the budget — never a hang. The one scenario whose
// subject is wall-clock time, so the one place that asserts on it.
// Named to sort before the other scenario files: Playwright hands tests to workers in file order,
// and the black hole's wait for its budget is the longest of a run, so it starts early and the
// other worker's tests run beside it (~2 s off every run; tests/e2e/scenario-order.spec.ts keeps it so).
import { startBlackHole } from '../helpers/channels/black-hole';
import { failureMessage } from '../helpers/diagnosis/engine';
import { expect, test } from '../helpers/fixtures/base-test';

/** Scheduling slack allowed past the budget before a timeout counts as late. */
const TIMEOUT_MARGIN_MS = 500;
/**
 * Node's timers run on the event loop's cached millisecond clock, so a budget timer can fire up to
 * 1 ms before performance.now() says the budget has passed (measured: 2499.886 ms for 2500).
 */
const TIMER_GRANULARITY_MS = 1;

test.describe('timeouts', () => {
  test('a valid handshake is answered within the handshake budget', async ({ handshakes, target }) => {
    const budget = target.settings.HANDSHAKE_BUDGET_MS;
    handshakes.scenario({ scenario: 'timeout', channel: 'raw', tokenVariant: 'valid', story: 'valid handshake within budget', severity: 'normal' });
    const record = await test.step(`Open the socket with the valid token, budget ${budget} ms`, () => handshakes.raw({ variant: 'valid' }));
    const verdict = await handshakes.verdict();
    await test.step('Expect an HTTP answer to the upgrade before the budget ran out', async () => {
      expect(record.outcome, failureMessage(verdict)).not.toBe('timeout');
      expect(record.status, failureMessage(verdict)).not.toBeNull();
      expect(record.marks.response ?? Number.POSITIVE_INFINITY, failureMessage(verdict)).toBeLessThanOrEqual(budget);
    });
  });

  test('a server that never answers the upgrade is reported as a handshake timeout within the budget', async ({ handshakes, target }) => {
    const budget = target.settings.HANDSHAKE_BUDGET_MS;
    handshakes.scenario({ scenario: 'timeout', channel: 'raw', tokenVariant: 'valid', story: 'black hole: no answer to the upgrade', severity: 'normal' });
    const hole = await test.step('Start a local server that accepts TCP and never answers', () => startBlackHole());
    try {
      const record = await test.step(`Open a socket to it with a ${budget} ms budget`, () => handshakes.raw({ variant: 'valid', url: hole.url }));
      // The black hole is not the target: no deciding experiment against the target belongs here.
      const verdict = await handshakes.verdict({ withConfig: false, experiments: false });
      await test.step(`Expect a reported timeout between ${budget} and ${budget + TIMEOUT_MARGIN_MS} ms`, async () => {
        expect(record.outcome).toBe('timeout');
        expect(record.error?.class).toBe('timeout');
        // `closed` is when the probe gave up and tore the socket down.
        expect(record.marks.closed).toBeGreaterThanOrEqual(budget - TIMER_GRANULARITY_MS);
        expect(record.marks.closed).toBeLessThanOrEqual(budget + TIMEOUT_MARGIN_MS);
        expect(verdict.cause).toBe('handshake-timeout');
        expect(hole.connections()).toBe(1);
      });
    } finally {
      await hole.close();
    }
  });
});
