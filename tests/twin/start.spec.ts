// The CLI's configuration (optionsFromEnv) and the one knob the benchmark needs: a known
// /auth/validate delay (TWIN_AUTH_DELAY_MS) that overrides the fault's own.
import { expect, test } from '@playwright/test';
import { CliError, optionsFromEnv, startTwin } from '../../twin/start';
import { JWT, postJson, SERVICE_ID, SERVICE_SECRET, TIMER_EARLY_MS, twinOptions } from './support/settings';

const BASE = { JWT_SECRET: JWT.secret };

test.describe('TWIN_AUTH_DELAY_MS', () => {
  const accepted: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    ['300', 300],
    [' 45 ', 45],
  ];
  for (const [raw, expected] of accepted) {
    test(`${JSON.stringify(raw)} gives authValidateDelayMs ${expected}`, () => {
      expect(optionsFromEnv({ ...BASE, TWIN_AUTH_DELAY_MS: raw }).authValidateDelayMs).toBe(expected);
    });
  }

  for (const raw of ['-1', '1.5', '300ms', 'slow', '1234567']) {
    test(`${JSON.stringify(raw)} is refused with ERR_TWIN_CONFIG`, () => {
      let caught: unknown;
      try {
        optionsFromEnv({ ...BASE, TWIN_AUTH_DELAY_MS: raw });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as CliError).code).toBe('ERR_TWIN_CONFIG');
      expect((caught as CliError).message).toBe(`TWIN_AUTH_DELAY_MS must be a whole number of milliseconds, got "${raw.trim()}"`);
    });
  }

  test('the healthy twin answers /auth/validate only after the given delay', async () => {
    const delayMs = 250;
    const twin = await startTwin(twinOptions({ authValidateDelayMs: delayMs }));
    try {
      const started = performance.now();
      const answer = await postJson(`${twin.authUrl}/auth/validate`, { token: 'not-a-jwt', token_type: 'access' }, { 'x-service-id': SERVICE_ID, 'x-service-secret': SERVICE_SECRET });
      expect(performance.now() - started).toBeGreaterThanOrEqual(delayMs - TIMER_EARLY_MS);
      expect([answer.status, answer.json.valid, answer.json.error]).toEqual([200, false, 'invalid_token']);
    } finally {
      await twin.stop();
    }
  });
});

test.describe('TWIN_FLAVOUR', () => {
  const accepted: Array<[string | undefined, string]> = [
    [undefined, 'node'],
    ['', 'node'],
    ['wsproto', 'wsproto'],
    [' uvicorn-websockets ', 'uvicorn-websockets'],
  ];
  for (const [raw, expected] of accepted) {
    test(`${JSON.stringify(raw)} gives flavour ${expected}`, () => {
      expect(optionsFromEnv({ ...BASE, TWIN_FLAVOUR: raw }).flavour).toBe(expected);
    });
  }

  test('an unknown flavour is one CliError line listing the valid names', () => {
    let caught: unknown;
    try {
      optionsFromEnv({ ...BASE, TWIN_FLAVOUR: 'nginx' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).message).toBe('unknown TWIN_FLAVOUR "nginx"; valid: node, uvicorn-websockets, wsproto');
  });

  test('a twin started without a flavour presents as node, and says so', async () => {
    const twin = await startTwin(twinOptions());
    try {
      expect(twin.flavour).toBe('node');
    } finally {
      await twin.stop();
    }
  });
});
