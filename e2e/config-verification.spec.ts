// Before any handshake: is the target what the env file says, are its services up, and does
// the auth service itself accept the token the suite will present? These facts are also the
// baseline every later verdict compares against.
import { failureMessage } from '../helpers/diagnosis/engine';
import { attachConfigFacts, attachJson } from '../helpers/reporting/evidence-attachments';
import { expect, test } from '../helpers/fixtures/base-test';

test.describe('config verification', () => {
  test('the target resolves from the environment file', async ({ handshakes, target, redactor }) => {
    handshakes.scenario({ scenario: 'config-verification', channel: 'http', story: 'environment file', severity: 'critical' });
    await test.step('Resolve frontend, backend, auth service and socket URLs', async () => {
      const { name, frontendUrl, backendUrl, authUrl, wsUrl, origin } = target;
      await attachJson(test.info(), 'target', { name, frontendUrl, backendUrl, authUrl, wsUrl, origin, tokenSource: target.settings.TOKEN_SOURCE, transports: target.settings.TRANSPORTS }, (t) => redactor.redact(t));
      for (const url of [frontendUrl, backendUrl, authUrl]) expect(url).toMatch(/^https?:\/\/[^/]+/);
      expect(wsUrl).toMatch(/^wss?:\/\/[^/]+\//);
    });
  });

  for (const service of ['frontend', 'backend', 'auth'] as const) {
    test(`the ${service} health endpoint answers`, async ({ handshakes, configFacts, redactor }) => {
      handshakes.scenario({ scenario: 'config-verification', channel: 'http', story: `${service} health`, severity: 'critical' });
      const fact = configFacts.health.find((h) => h.service === service);
      await attachConfigFacts(test.info(), configFacts, (t) => redactor.redact(t));
      const verdict = await handshakes.verdict();
      await test.step(`Expect GET ${fact?.url ?? `${service} health`} to answer 2xx`, async () => {
        expect(fact, `no health check configured for ${service}`).toBeDefined();
        expect(fact?.ok, failureMessage(verdict)).toBe(true);
      });
    });
  }

  test('a token is obtained from the token source', async ({ handshakes, validToken }) => {
    handshakes.scenario({ scenario: 'config-verification', channel: 'http', story: 'token source', severity: 'blocker' });
    const verdict = await handshakes.verdict();
    await test.step(`Obtain a token from ${validToken.fact.source}`, async () => {
      expect(validToken.fact.ok, failureMessage(verdict)).toBe(true);
      expect(validToken.token).not.toBeNull();
    });
  });

  test('the auth service accepts that token at its validate endpoint', async ({ handshakes, configFacts }) => {
    handshakes.scenario({ scenario: 'config-verification', channel: 'http', story: 'auth service validates the token', severity: 'critical' });
    const verdict = await handshakes.verdict();
    await test.step('POST the token to the auth service, as the backend would', async () => {
      const answer = configFacts.validation.find((v) => v.tokenVariant === 'valid');
      expect(answer?.httpStatus, failureMessage(verdict)).toBe(200);
      expect(answer?.valid, failureMessage(verdict)).toBe(true);
    });
  });

  test('the auth service refuses a forged token at its validate endpoint', async ({ handshakes, configFacts }) => {
    handshakes.scenario({ scenario: 'config-verification', channel: 'http', story: 'auth service refuses a forged token', severity: 'normal' });
    const verdict = await handshakes.verdict();
    await test.step('POST a token with a broken signature to the auth service', async () => {
      const answer = configFacts.validation.find((v) => v.tokenVariant === 'bad-signature');
      expect(answer?.httpStatus, failureMessage(verdict)).toBe(200);
      expect(answer?.valid, failureMessage(verdict)).toBe(false);
    });
  });

  test('the backend lists its auth service among its dependencies', async ({ handshakes, configFacts, target }) => {
    test.skip(target.settings.DEPENDENCIES_STATUS_PATH === '', 'DEPENDENCIES_STATUS_PATH is empty: the target has no dependency status endpoint');
    // Most backends have no such endpoint: a 404 says so, it is not a failure of the target.
    test.skip(configFacts.dependencies?.httpStatus === 404, `GET ${target.settings.DEPENDENCIES_STATUS_PATH} answers 404: the backend has no dependency status endpoint`);
    handshakes.scenario({ scenario: 'config-verification', channel: 'http', story: 'backend knows its auth service', severity: 'critical' });
    const verdict = await handshakes.verdict();
    await test.step("Read the backend's dependency status and find the Auth Service check", async () => {
      expect(configFacts.dependencies?.httpStatus, failureMessage(verdict)).toBe(200);
      expect(configFacts.dependencies?.authServiceListed, failureMessage(verdict)).toBe(true);
      expect(configFacts.dependencies?.authServiceHealthy, failureMessage(verdict)).toBe(true);
    });
  });
});
