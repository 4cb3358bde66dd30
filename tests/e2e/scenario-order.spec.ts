// The order Playwright hands out the scenarios is part of a run's speed: the black hole waits its
// whole budget, so it must start before the browser tests, which then run beside it on the other
// worker (e2e/handshake-timeout.spec.ts says why its name sorts early). Read from Playwright's own
// listing, so a rename that sends it to the back fails here rather than slowing every run by ~2 s.
import { expect, test } from '@playwright/test';
import { listedTests } from '../support/listed-tests';

const BLACK_HOLE = 'a server that never answers the upgrade is reported as a handshake timeout within the budget';
const CHAT_PAGE = /› the chat page /;

test('the black hole is listed before every chat-page test of the local project', async () => {
  const titles = (await listedTests('local', test.info().outputPath('reports'))).map((t) => t.title);
  const blackHole = titles.findIndex((t) => t.endsWith(BLACK_HOLE));
  const chatPages = titles.flatMap((t, i) => (CHAT_PAGE.test(t) ? [i] : []));
  expect(blackHole, titles.join('\n')).toBeGreaterThanOrEqual(0);
  expect(chatPages.length).toBeGreaterThan(0);
  expect(Math.min(...chatPages), titles.join('\n')).toBeGreaterThan(blackHole);
});
