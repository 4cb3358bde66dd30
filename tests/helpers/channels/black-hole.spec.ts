import net from 'node:net';
import { test, expect } from '@playwright/test';
import { startBlackHole } from '../../../helpers/channels/black-hole';

test('the black hole accepts a connection, reads the request and never answers', async () => {
  const hole = await startBlackHole();
  const { hostname, port } = new URL(hole.url);
  expect(hole.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
  const client = net.connect(Number(port), hostname);
  const events: string[] = [];
  client.on('data', () => events.push('data'));
  client.on('error', () => events.push('error'));
  try {
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    client.write('GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    await expect.poll(() => hole.connections()).toBe(1);
    // close() must end the connection from the server's side: the client sees it end, no answer before.
    const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await hole.close();
    await ended;
    expect(events.filter((e) => e === 'data')).toEqual([]);
    expect(hole.connections()).toBe(0);
  } finally {
    client.destroy();
  }
});

test('after close() the port refuses connections', async () => {
  const hole = await startBlackHole();
  const { port } = new URL(hole.url);
  await hole.close();
  const code = await new Promise<string | undefined>((resolve) => {
    const client = net.connect(Number(port), '127.0.0.1');
    client.once('connect', () => {
      client.destroy();
      resolve('connected');
    });
    client.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });
  expect(code).toBe('ECONNREFUSED');
});
