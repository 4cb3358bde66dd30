import { expect, test } from '@playwright/test';
import { spawnTwin, TwinSpawnError } from '../../twin/spawn';
import { JWT } from './support/settings';

const env = { JWT_SECRET: JWT.secret, SERVICE_SECRET: 'twin-test-service-secret-0001', TWIN_FAULT: 'none', TWIN_TLS: '0' };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('two twins spawned at once get distinct ports, answer, stop cleanly, and leave no process', async () => {
  const twins = await Promise.all([spawnTwin(env), spawnTwin({ ...env, TWIN_FAULT: 'missing-auth-url', TWIN_FLAVOUR: 'wsproto' })]);
  try {
    const ports = twins.flatMap((t) => [t.frontendUrl, t.backendUrl, t.authUrl].map((u) => new URL(u).port));
    expect(new Set(ports).size).toBe(6);
    expect(twins.map((t) => [t.fault, t.flavour])).toEqual([
      ['none', 'node'],
      ['missing-auth-url', 'wsproto'],
    ]);
    for (const twin of twins) {
      expect(twin.wsUrl).toBe(`${twin.backendUrl.replace('http', 'ws')}/ws`);
      expect((await fetch(`${twin.backendUrl}/health`, { signal: AbortSignal.timeout(3000) })).status).toBe(200);
    }
  } finally {
    await Promise.all(twins.map((t) => t.stop()));
  }
  expect(twins.map((t) => alive(t.pid))).toEqual([false, false]);
  const refused = await fetch(`${twins[0]?.backendUrl}/health`, { signal: AbortSignal.timeout(3000) }).then(
    () => null,
    (e: Error & { cause?: { code?: string } }) => e.cause?.code,
  );
  expect(refused).toBe('ECONNREFUSED');
});

test('an unknown TWIN_FAULT fails the spawn with the CLI line listing valid names (exit 2)', async () => {
  const error = await spawnTwin({ ...env, TWIN_FAULT: 'no-such-fault' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwinSpawnError);
  expect((error as TwinSpawnError).code).toBe('ERR_TWIN_SPAWN');
  expect((error as TwinSpawnError).message).toContain('it exited early (code 2');
  expect((error as TwinSpawnError).message).toContain('twin: unknown TWIN_FAULT "no-such-fault"; valid: none, missing-auth-url, auth-down,');
});

test('an unknown TWIN_FLAVOUR fails the spawn with the CLI line listing valid names (exit 2)', async () => {
  const error = await spawnTwin({ ...env, TWIN_FLAVOUR: 'apache' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwinSpawnError);
  expect((error as TwinSpawnError).message).toContain('it exited early (code 2');
  expect((error as TwinSpawnError).message).toContain('twin: unknown TWIN_FLAVOUR "apache"; valid: node, uvicorn-websockets, wsproto');
});

test('a twin that does not become ready in time is reported, and killed', async () => {
  const error = await spawnTwin(env, { timeoutMs: 50 }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TwinSpawnError);
  expect((error as Error).message).toContain('no ready line within 50 ms');
});
