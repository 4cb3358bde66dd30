// Issue 14.3: a typo in a prefixed process variable (<ENV>_<VAR>) is named, with a did-you-mean;
// the many unrelated process variables are left alone.
import { expect, test } from '@playwright/test';
import { strayProcessVariables } from '../../environments/process-variables';

const KNOWN = ['JWT_SECRET', 'E2E_BYPASS_KEY', 'TOKEN_SOURCE', 'ISSUE_ID', 'CA_FILE'];
const ENVS = ['local', 'staging', 'staging-eu', 'qa'];

const rows = [
  { name: 'STAGNG_JWT_SECRET', env: 'staging', message: 'no environment matches the prefix STAGNG_; did you mean STAGING_JWT_SECRET? (known environments: local, staging, staging-eu, qa)' },
  { name: 'LOCAL_JWT_SECRETT', env: 'local', message: 'not a variable of environment "local"; did you mean LOCAL_JWT_SECRET?' },
  { name: 'STAGING_EU_E2E_BYPAS_KEY', env: 'staging-eu', message: 'not a variable of environment "staging-eu"; did you mean STAGING_EU_E2E_BYPASS_KEY?' },
];
for (const row of rows) {
  test(`${row.name} is named, with a did-you-mean`, () => {
    expect(strayProcessVariables([row.name], ENVS, KNOWN)).toEqual([
      { environment: row.env, problem: { source: `process env ${row.name}`, variable: row.name, message: row.message } },
    ]);
  });
}

test('unrelated and correct process variables are left alone', () => {
  const names = ['PATH', 'HOME', 'CI', 'GITHUB_TOKEN', 'LOCAL_RANK', 'CI_ISSUE_ID', 'QA_JWT_SECRET', 'STAGING_EU_JWT_SECRET', 'STAGING_JWT_SECRET', 'NPM_CONFIG_CA_FILE'];
  expect(strayProcessVariables(names, ENVS, KNOWN)).toEqual([]);
});
