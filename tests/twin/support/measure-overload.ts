// Measures the overloaded fault's refusal rate per number of handshakes in flight, one fresh
// twin per level (a burst trips the backend's circuit breaker for 10 s, which would colour
// the next level). Not a test: run by hand, prints one line per level.
//   node --import tsx tests/twin/support/measure-overload.ts [attempts-per-level] [levels…]
import { mintJwt } from '../../../twin/jwt';
import { startTwin } from '../../../twin/start';
import { closedLoop } from './closed-loop';
import { JWT, twinOptions } from './settings';
import { browserProtocols } from './ws-client';

async function main(): Promise<void> {
  const [attemptsArg, ...levelArgs] = process.argv.slice(2);
  const attempts = Number(attemptsArg ?? 200);
  const levels = levelArgs.length > 0 ? levelArgs.map(Number) : [1, 2, 5, 10, 20];
  const token = await mintJwt(JWT, { sub: 'load-user', email: 'load@example.com', permissions: ['read'], lifetimeSeconds: 3600 });
  for (const inFlight of levels) {
    const twin = await startTwin(twinOptions({ fault: 'overloaded' }));
    try {
      const c = await closedLoop(twin.wsUrl, browserProtocols(token), inFlight, attempts);
      const rate = ((100 * c.refused403) / c.attempts).toFixed(1);
      process.stdout.write(`in flight ${String(inFlight).padStart(2)}: ${c.attempts} attempts, ${c.opened} opened, ${c.refused403} refused 403 (${rate} %), ${c.other} other\n`);
    } finally {
      await twin.stop();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
