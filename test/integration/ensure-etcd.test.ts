// scripts/ensure-etcd.sh: a built version is found by its stamp (nothing rebuilt), its binaries say their version, and
// bad or unknown versions are one-line errors.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { etcdBinDir } from '../harness/etcd.ts';

const SCRIPT = join(__dirname, '../../scripts/ensure-etcd.sh');
const ensure = (...args: string[]) => spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8' });

test('a built version: the same folder again, its stamp untouched, etcd, etcdctl and etcdutl of that version', () => {
  const dir = etcdBinDir('3.6.16');
  const stamp = statSync(join(dir, '.built')).mtimeMs;
  const again = ensure('3.6.16');
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout.trim(), dir);
  assert.equal(again.stderr, '', 'nothing built, nothing said');
  assert.equal(statSync(join(dir, '.built')).mtimeMs, stamp);
  assert.match(spawnSync(join(dir, 'etcd'), ['--version'], { encoding: 'utf8' }).stdout, /^etcd Version: 3\.6\.16\n/);
  assert.match(spawnSync(join(dir, 'etcdctl'), ['version'], { encoding: 'utf8' }).stdout, /^etcdctl version: 3\.6\.16\n/);
  assert.match(spawnSync(join(dir, 'etcdutl'), ['version'], { encoding: 'utf8' }).stdout, /^etcdutl version: 3\.6\.16\n/);
  assert.equal(ensure('3.4.23').stdout.trim(), '/usr/bin', '3.4.23 is Debian\'s package');
});

test('bad versions: one line and exit 2; a version the proxy does not serve: what it said, and exit 1', (t) => {
  for (const [version, message] of [
    ['latest', /^error: etcd version "latest" is not a release like 3\.6\.16 \(or 3\.4\.23 for Debian's package\)\n$/],
    ['3.4.2', /^error: etcd 3\.4\.2 predates etcdutl and its Go modules cannot be built this way; 3\.4\.23 is Debian's package\n$/],
  ] as const) {
    const run = ensure(version);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, message);
  }
  const cache = mkdtempSync(join(tmpdir(), 'etcd-perf-ensure-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const missing = spawnSync('bash', [SCRIPT, '3.9.9'], { encoding: 'utf8', env: { ...process.env, ETCD_PERF_CACHE: cache } });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /error: the Go module proxy did not serve etcd v3\.9\.9 .*go list -m -versions go\.etcd\.io\/etcd\/server\/v3/);
});
