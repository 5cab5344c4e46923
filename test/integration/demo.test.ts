// The demo cleans up after itself: Ctrl-C in the middle of its work leaves no etcd process, no listener and no files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

test('Ctrl-C during the demo removes its cluster processes and data', async () => {
  const demo = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../scripts/demo.ts')], {
    env: { ...process.env, DEMO_ROUNDS: '1000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const up = await new Promise<RegExpExecArray>((resolve, reject) => {
    demo.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /cluster up: (\S+) \(data in (\S+)\)/.exec(stderr);
      if (match && /round \d+\/1000/.test(stderr)) resolve(match);
    });
    demo.on('exit', () => reject(new Error(`demo exited early: ${stderr}`)));
  });
  const ports = (up[1] as string).split(',').map((url) => Number(new URL(url).port));
  const dir = up[2] as string;
  assert.ok(existsSync(dir));
  for (const port of ports) assert.equal(await listening(port), true, `member on ${port} is up`);
  const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
  demo.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.equal(existsSync(dir), false, `${dir} removed`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const port of ports) assert.equal(await listening(port), false, `nothing listens on ${port} any more`);
});
