import { expect, test } from '@playwright/test';
import { assertNotProduction, looksLikeProduction, ProductionTargetError } from '../../../helpers/target/production-guard';

const hosts: Array<{ host: string; production: boolean; pattern?: string }> = [
  { host: 'localhost', production: false },
  { host: 'app.localhost', production: false },
  { host: '127.0.0.1', production: false },
  { host: '127.3.2.1', production: false },
  { host: '[::1]', production: false },
  { host: 'api.staging.netrasystems.ai', production: false },
  { host: 'api-staging.netrasystems.ai', production: false },
  { host: 'stg2.netrasystems.ai', production: false },
  { host: 'app.dev.example.org', production: false },
  { host: 'api.example.com', production: false },
  { host: 'chat.qa.corp', production: false },
  { host: 'auth.uat.bank.eu', production: false },
  { host: 'svc.internal', production: false },
  { host: 'API.STAGING.NETRASYSTEMS.AI', production: false },
  { host: 'api.netrasystems.ai', production: true },
  { host: 'app.netrasystems.ai', production: true },
  { host: 'latest.netrasystems.ai', production: true },
  { host: 'devices.netrasystems.ai', production: true },
  { host: 'staginghub.io', production: true },
  { host: '10.0.0.5', production: true },
  { host: '8.8.8.8', production: true },
  { host: 'api.staging.netrasystems.ai', production: true, pattern: 'netrasystems\\.ai$' },
  { host: 'api.netrasystems.ai', production: false, pattern: '^prod\\.' },
  { host: 'localhost', production: true, pattern: 'localhost' },
];
for (const row of hosts) {
  test(`${row.host}${row.pattern ? ` with /${row.pattern}/` : ''} → ${row.production ? 'production' : 'allowed'}`, () => {
    expect(looksLikeProduction(row.host, row.pattern)).toBe(row.production);
  });
}

const settings = { PRODUCTION_HOST_PATTERN: '', ALLOW_PRODUCTION: false };

test('refuses a production-looking target, naming the hosts and the override', () => {
  let thrown: unknown;
  try {
    assertNotProduction({
      name: 'prod-eu',
      urls: ['https://app.netrasystems.ai', 'https://api.netrasystems.ai', 'wss://api.netrasystems.ai/ws', 'https://auth.staging.netrasystems.ai'],
      settings,
    });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ProductionTargetError);
  const error = thrown as ProductionTargetError;
  expect(error.code).toBe('ERR_PRODUCTION_TARGET');
  expect(error.hosts).toEqual(['app.netrasystems.ai', 'api.netrasystems.ai']);
  expect(error.message).toBe(
    'Environment "prod-eu" targets app.netrasystems.ai, api.netrasystems.ai, which looks like production: each is not loopback and has no ' +
      'non-production marker (staging, stage, stg, dev, develop, test, qa, uat, sandbox, preview, local, internal, example, invalid) in its name. ' +
      'Nothing was sent. To run against it on purpose, set ALLOW_PRODUCTION=true in environments/prod-eu.local.env ' +
      'or PROD_EU_ALLOW_PRODUCTION=true in the process environment.',
  );
});

test('names the pattern when PRODUCTION_HOST_PATTERN decided', () => {
  expect(() =>
    assertNotProduction({ name: 'staging', urls: ['https://api.staging.acme.io'], settings: { ...settings, PRODUCTION_HOST_PATTERN: 'acme\\.io$' } }),
  ).toThrow(
    'Environment "staging" targets api.staging.acme.io, which looks like production: it matches PRODUCTION_HOST_PATTERN /acme\\.io$/. Nothing was sent. ' +
      'To run against it on purpose, set ALLOW_PRODUCTION=true in environments/staging.local.env or STAGING_ALLOW_PRODUCTION=true in the process environment.',
  );
});

const passes = [
  { title: 'loopback twin', urls: ['http://127.0.0.1:41234', 'ws://127.0.0.1:41235/ws', 'http://localhost:3000'], allow: false },
  { title: 'staging hosts', urls: ['https://app.staging.example.com', 'wss://api.staging.example.com/ws'], allow: false },
  { title: 'production with ALLOW_PRODUCTION', urls: ['https://api.netrasystems.ai'], allow: true },
];
for (const row of passes) {
  test(`lets through: ${row.title}`, () => {
    expect(() => assertNotProduction({ name: 'x', urls: row.urls, settings: { ...settings, ALLOW_PRODUCTION: row.allow } })).not.toThrow();
  });
}

test('an unparsable URL fails closed', () => {
  expect(() => assertNotProduction({ name: 'x', urls: ['not a url'], settings })).toThrow(ProductionTargetError);
});
