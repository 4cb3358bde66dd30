import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { bundledTwin } from '../../twin/bundle';
import { spawnTwin } from '../../twin/spawn';

test('the twin is bundled once per version of its sources, and the bundle is what spawnTwin starts', async () => {
  const first = bundledTwin();
  expect(first).not.toBeNull();
  expect(first).toMatch(/twin-[0-9a-f]{16}\.cjs$/);
  expect(fs.existsSync(first as string)).toBe(true);
  expect(bundledTwin()).toBe(first);

  const twin = await spawnTwin({ JWT_SECRET: 'twin-only-jwt-secret-not-for-real-use-0001' });
  try {
    const cmdline = fs.readFileSync(`/proc/${twin.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain(first);
    expect((await fetch(`${twin.backendUrl}/health`)).status).toBe(200);
  } finally {
    await twin.stop();
  }
});
