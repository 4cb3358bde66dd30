import { expect, test } from '@playwright/test';
import { envSchema } from '../../../environments/schema';
import { twinFault } from '../../../helpers/target/twin-env';

const SECRET = 'mint-secret-for-twin-env-tests-0123456789';
const settings = (vars: Record<string, string>) => envSchema.parse({ JWT_SECRET: SECRET, ...vars });
const URLS = { FRONTEND_URL: 'https://app.example.com', BACKEND_URL: 'https://api.example.com', AUTH_URL: 'https://auth.example.com' };

test('twinFault: the env file says which fault its twin runs; else the process TWIN_FAULT; a real target has none', () => {
  const cases: Array<[string, Record<string, string>, NodeJS.ProcessEnv, string | undefined]> = [
    ['the env file wins', { TWIN: 'embedded', TWIN_FAULT: 'missing-auth-url' }, { TWIN_FAULT: 'hang' }, 'missing-auth-url'],
    ['the process variable when the file is silent', { TWIN: 'embedded' }, { TWIN_FAULT: 'hang' }, 'hang'],
    ['none in the file pins the healthy twin', { TWIN: 'embedded', TWIN_FAULT: 'none' }, { TWIN_FAULT: 'hang' }, 'none'],
    ['healthy when neither says', { TWIN: 'embedded' }, {}, undefined],
    ['never for TWIN=off', { TWIN: 'off', ...URLS }, { TWIN_FAULT: 'hang' }, undefined],
  ];
  for (const [why, vars, env, expected] of cases) expect(twinFault(settings(vars), env), why).toBe(expected);
});
