// The executable starts the bundle through V8's code cache: the first run writes the cache, the next runs read it
// unchanged, and the caches of older builds do not pile up (the four most recently written are kept).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const launcher = resolve(__dirname, '../../dist/kubectl-etcd_perf.js');

test('the code cache is written once, then read; caches of older builds are pruned to the newest four', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'etcd-perf-launcher-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const dir = join(home, 'etcd-perf');
  mkdirSync(dir);
  const stale = Array.from({ length: 6 }, (_, i) => `code-${1000 + i}-1-${process.version}-x64-00000000.bin`);
  stale.forEach((name, i) => {
    writeFileSync(join(dir, name), 'an older build');
    utimesSync(join(dir, name), 1_000_000 + i, 1_000_000 + i); // oldest first
  });
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: home };
  delete env.ETCD_PERF_NO_CODE_CACHE;

  await run(process.execPath, [launcher, '--version'], { env });
  const after = readdirSync(dir);
  const written = after.filter((name) => !stale.includes(name));
  assert.equal(written.length, 1, `one cache for this build: ${after.join(', ')}`);
  assert.deepEqual(after.filter((name) => stale.includes(name)).sort(), stale.slice(3).sort(), 'the three newest older caches stay');

  const cache = join(dir, written[0] as string);
  const first = statSync(cache);
  const { stdout } = await run(process.execPath, [launcher, '--version'], { env });
  assert.match(stdout, /^\d+\.\d+\.\d+/);
  const second = statSync(cache);
  assert.equal(second.mtimeMs, first.mtimeMs, 'a second run reads the cache and does not rewrite it');
  assert.equal(readdirSync(dir).length, 4);
});
