// Ports where nothing listens, for the faults that point at a missing service. A port the
// OS just handed out and took back could be handed to the next listener (another twin started
// in parallel), so dead ports are taken BELOW the kernel's ephemeral range: every twin server
// binds port 0, which the OS picks inside that range, so no twin ever listens there. Each
// candidate is also checked (connection refused on 127.0.0.1 and ::1) before use.
import fs from 'node:fs';
import net from 'node:net';

/** The contract's fallback when AUTH_SERVICE_URL is unset. */
export const CONTRACT_FALLBACK_URL = 'http://localhost:8081';

function ephemeralLow(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const n = Number(low);
    return Number.isInteger(n) && n > 1024 ? n : 32768;
  } catch {
    return 32768;
  }
}

/** True when a TCP connect to host:port is refused (or the address family is absent) within 500 ms. */
export async function isDead(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (dead: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(dead);
    };
    const timer = setTimeout(() => done(false), 500);
    socket.once('connect', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' || error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT'),
    );
  });
}

async function deadEverywhere(port: number): Promise<boolean> {
  const [v4, v6] = await Promise.all([isDead('127.0.0.1', port), isDead('::1', port)]);
  return v4 && v6;
}

/** A port below the ephemeral range with nothing listening on it. */
export async function findDeadPort(): Promise<number> {
  const high = Math.min(ephemeralLow(), 32768) - 1;
  const low = 20000;
  const start = low + Math.floor(Math.random() * (high - low));
  for (let i = 0; i < 50; i++) {
    const port = low + ((start - low + i * 7919) % (high - low));
    if (await deadEverywhere(port)) return port;
  }
  throw new Error(`no dead port found between ${low} and ${high}`);
}

/**
 * The URL a backend without AUTH_SERVICE_URL falls back to: the contract's
 * http://localhost:8081 when nothing listens there (checked), else a proven-dead port.
 */
export async function deadFallbackUrl(): Promise<string> {
  if (await deadEverywhere(8081)) return CONTRACT_FALLBACK_URL;
  return `http://localhost:${await findDeadPort()}`;
}
