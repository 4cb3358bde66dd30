// A valid token must open the chat socket, on every transport the env lists, from the raw
// client and from the real frontend in Chromium.
import { failureMessage } from '../helpers/diagnosis/engine';
import { CHAT_MESSAGE, expect, test } from '../helpers/fixtures/base-test';
import { TRANSPORTS } from '../helpers/records/handshake-record';

test.describe('valid JWT', () => {
  for (const transport of TRANSPORTS) {
    test(`the raw client connects with a valid token via ${transport}`, async ({ handshakes, target }) => {
      test.skip(!target.settings.TRANSPORTS.includes(transport), `the environment does not list the ${transport} transport`);
      handshakes.scenario({ scenario: 'valid-jwt', channel: 'raw', transport, tokenVariant: 'valid', story: `raw client, ${transport}`, severity: 'critical' });
      const record = await test.step(`Open the socket with the valid token via ${transport} and send a chat message`, () =>
        handshakes.raw({ variant: 'valid', transport, exchange: true }),
      );
      const verdict = await handshakes.verdict();
      await test.step('Expect HTTP 101, then a welcome frame and the echo of the message', async () => {
        expect(record.status, failureMessage(verdict)).toBe(101);
        expect(record.outcome, failureMessage(verdict)).toBe('open');
        if (transport === 'subprotocol') expect(record.acceptedSubprotocol).toBe('jwt-auth');
        expect(record.frames.map((f) => f.direction)).toEqual(['received', 'sent', 'received']);
        expect(record.frames[2]?.data).toContain(CHAT_MESSAGE);
        expect(record.close?.by).toBe('client');
      });
    });
  }

  test('the chat page connects in Chromium with a valid token and a message round-trips', async ({ handshakes, target }) => {
    handshakes.scenario({ scenario: 'valid-jwt', channel: 'browser', transport: 'subprotocol', tokenVariant: 'valid', story: 'browser, through the frontend', severity: 'critical' });
    const record = await test.step('Open the chat page with the valid token in localStorage and send a message', () =>
      handshakes.browser({ variant: 'valid', exchange: true }),
    );
    const verdict = await handshakes.verdict();
    await test.step('Expect the browser saw HTTP 101 and the page shows connected', async () => {
      expect(record.status, failureMessage(verdict)).toBe(101);
      expect(record.outcome, failureMessage(verdict)).toBe('open');
      expect(record.offeredSubprotocols[0]).toBe('jwt-auth');
      if (target.settings.UI_STATUS_SELECTOR && target.settings.UI_CONNECTED_TEXT) expect(record.uiStatus, failureMessage(verdict)).toBe(target.settings.UI_CONNECTED_TEXT);
      else test.info().annotations.push({ type: 'skipped check', description: 'the page\'s status text is not checked: UI_STATUS_SELECTOR or UI_CONNECTED_TEXT is not set' });
    });
    if (!(target.settings.UI_INPUT_SELECTOR && target.settings.UI_MESSAGES_SELECTOR)) {
      test.info().annotations.push({ type: 'skipped check', description: 'no chat message is sent through the page: UI_INPUT_SELECTOR or UI_MESSAGES_SELECTOR is not set' });
    } else {
      await test.step('Expect the message came back over the socket', async () => {
        expect(record.frames.filter((f) => f.direction === 'received').some((f) => f.data.includes(CHAT_MESSAGE))).toBe(true);
      });
    }
  });
});
