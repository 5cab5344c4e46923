// Free loopback ports below 32768 (the ephemeral range above it collides with outgoing connections).

import { createServer } from 'node:net';

/** Whether a listener can bind `host:port` right now. */
export function isFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive free ports from a random base in [10000, 32000). */
export async function freePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const base = 10_000 + Math.floor(Math.random() * (32_000 - 10_000 - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const free = await Promise.all(ports.map((port) => isFree(port)));
    if (free.every(Boolean)) return ports;
  }
  throw new Error('no free loopback ports found below 32768');
}
