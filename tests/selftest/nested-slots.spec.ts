// The cross-worker cap on nested runs (support/nested-slots.ts), on a folder of its own: the real
// one belongs to the self-tests running beside this one.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { NESTED_SLOTS, withSlotFor, withSlotIn } from './support/nested-slots';

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test(`at most ${NESTED_SLOTS} works hold a slot at once; a released slot goes to a waiter`, async () => {
  const dir = fs.mkdtempSync(test.info().outputPath('slots-'));
  const gates = Array.from({ length: NESTED_SLOTS + 2 }, deferred);
  const started: number[] = [];
  let inside = 0;
  let most = 0;
  const works = gates.map((gate, i) =>
    withSlotIn(dir, 10_000, async () => {
      started.push(i);
      most = Math.max(most, ++inside);
      await gate.promise;
      inside--;
    }),
  );
  await expect.poll(() => started.length).toBe(NESTED_SLOTS);
  gates[0]?.resolve();
  await expect.poll(() => started.length).toBe(NESTED_SLOTS + 1);
  for (const gate of gates) gate.resolve();
  await Promise.all(works);
  expect([started.length, most]).toEqual([gates.length, NESTED_SLOTS]);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('a slot whose owner died is taken back; slots held by live processes make a waiter give up at its deadline', async () => {
  const dir = fs.mkdtempSync(test.info().outputPath('slots-'));
  const hold = (i: number, pid: number | undefined) => {
    fs.mkdirSync(`${dir}/slot-${i}`, { recursive: true });
    fs.writeFileSync(`${dir}/slot-${i}/pid`, String(pid));
  };
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  hold(0, dead);
  for (let i = 1; i < NESTED_SLOTS; i++) hold(i, process.pid);
  expect(await withSlotIn(dir, 5_000, async () => fs.readFileSync(`${dir}/slot-0/pid`, 'utf8'))).toBe(String(process.pid));

  for (let i = 0; i < NESTED_SLOTS; i++) hold(i, process.pid);
  await expect(withSlotIn(dir, 300, async () => 'ran')).rejects.toThrow(`no nested-run slot became free in time (${NESTED_SLOTS} held in ${dir})`);
});

test('a yielding taker (the matrix) leaves free slots to another process that waits for one', async () => {
  const dir = fs.mkdtempSync(test.info().outputPath('slots-'));
  const other = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
  try {
    const marker = `${dir}/waiting-${other.pid}-0`;
    fs.writeFileSync(marker, '');
    await expect(withSlotIn(dir, 300, async () => 'ran', { yielding: true })).rejects.toThrow('no nested-run slot became free');
    expect(await withSlotIn(dir, 300, async () => 'ran')).toBe('ran');
    // The other process got its slot (its marker goes): the yielding taker proceeds at once.
    const yielded = withSlotIn(dir, 5_000, async () => 'ran', { yielding: true });
    fs.rmSync(marker);
    expect(await yielded).toBe('ran');
  } finally {
    other.kill();
  }
});

test("the time a test waits for a slot does not count against its timeout; its own run's time does", async () => {
  const testInfo = test.info();
  // A 2 s budget, and every slot held for 3 s by other runs: only the stretch lets the test live.
  test.setTimeout(2_000);
  const dir = fs.mkdtempSync(testInfo.outputPath('slots-'));
  const gates = Array.from({ length: NESTED_SLOTS }, deferred);
  const holders = gates.map((gate) => withSlotIn(dir, 10_000, () => gate.promise));
  await expect.poll(() => fs.readdirSync(dir).filter((f) => f.startsWith('slot-')).length).toBe(NESTED_SLOTS);
  // The other runs end after 3 s: a deliberate delay, it is the scenario (a wait longer than the budget).
  const timer = setTimeout(() => {
    for (const gate of gates) gate.resolve();
  }, 3_000);
  const asked = Date.now();
  const budgetInside = await withSlotFor(testInfo, dir, async () => testInfo.timeout);
  const waited = Date.now() - asked;
  clearTimeout(timer);
  await Promise.all(holders);
  expect(waited).toBeGreaterThanOrEqual(3_000);
  // The budget grew by the wait, measured when the slot was taken: never by the 30-minute ceiling.
  expect(budgetInside).toBeGreaterThanOrEqual(2_000 + 3_000);
  expect(budgetInside).toBeLessThanOrEqual(2_000 + waited);
});
