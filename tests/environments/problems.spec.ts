import { expect, test } from '@playwright/test';
import { closestName, describeValue, EnvironmentError, formatProblems, maskSecret } from '../../environments/problems';

const masks = [
  { value: '', masked: '***' },
  { value: 'abcdefghijk', masked: '***' },
  { value: 'abcdefghijyz', masked: 'ab…yz' },
  { value: 'twin-only-jwt-secret-not-for-real-use-0001', masked: 'tw…01' },
];
for (const row of masks) {
  test(`maskSecret of ${row.value.length} chars → ${row.masked}`, () => {
    expect(maskSecret(row.value)).toBe(row.masked);
  });
}

test('describeValue masks secrets only', () => {
  expect(describeValue('JWT_SECRET', 'abcdefghijyz')).toBe('(got "ab…yz", 12 chars)');
  expect(describeValue('SERVICE_SECRET', 'short')).toBe('(got "***", 5 chars)');
  expect(describeValue('WS_PATH', 'ws')).toBe('(got "ws")');
});

const typos = [
  { typo: 'JWT_SECRT', guess: 'JWT_SECRET' },
  { typo: 'jwt_secret', guess: 'JWT_SECRET' },
  { typo: 'BAKEND_URL', guess: 'BACKEND_URL' },
  { typo: 'COLOUR', guess: undefined },
];
for (const row of typos) {
  test(`closestName(${row.typo}) → ${row.guess ?? 'none'}`, () => {
    expect(closestName(row.typo, ['JWT_SECRET', 'BACKEND_URL', 'AUTH_URL'])).toBe(row.guess);
  });
}

test('the error states it stopped before any test and counts the problems', () => {
  const error = new EnvironmentError([{ source: 'environments/x.env', message: 'bad name' }]);
  expect([error.name, error.code]).toEqual(['EnvironmentError', 'ERR_ENV_INVALID']);
  expect(error.message).toBe(formatProblems(error.problems));
  expect(error.message).toBe('Stopped before any test: the environment files have 1 problem.\n  - environments/x.env: bad name');
});
