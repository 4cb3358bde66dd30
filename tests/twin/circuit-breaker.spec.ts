import { expect, test } from '@playwright/test';
import { createCircuitBreaker } from '../../twin/circuit-breaker';

// The breaker takes its clock as a parameter; a hand-moved clock keeps these tests exact.
function breaker() {
  let now = 0;
  const b = createCircuitBreaker({ threshold: 3, resetMs: 10_000, now: () => now });
  return { b, advance: (ms: number) => (now += ms) };
}

test('opens after 3 consecutive failures and refuses calls until 10 s have passed', () => {
  const { b, advance } = breaker();
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    seen.push(`${b.canPass()}`);
    b.failure();
  }
  seen.push(b.state(), `${b.canPass()}`);
  advance(9_999);
  seen.push(b.state());
  advance(1);
  seen.push(b.state(), `${b.canPass()}`, `${b.canPass()}`);
  expect(seen).toEqual(['true', 'true', 'true', 'open', 'false', 'open', 'half-open', 'true', 'false']);
});

test('a success in between resets the count: failures must be consecutive', () => {
  const { b } = breaker();
  b.failure();
  b.failure();
  b.success();
  b.failure();
  b.failure();
  expect(b.state()).toBe('closed');
});

test('half-open: a successful trial closes it, a failed trial reopens it for another 10 s', () => {
  const { b, advance } = breaker();
  for (let i = 0; i < 3; i++) b.failure();
  advance(10_000);
  expect(b.canPass()).toBe(true);
  b.failure();
  expect(b.state()).toBe('open');
  advance(10_000);
  expect(b.canPass()).toBe(true);
  b.success();
  expect([b.state(), b.canPass()]).toEqual(['closed', true]);
});
