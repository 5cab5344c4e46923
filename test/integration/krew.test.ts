// The krew release: `npm run package:krew` makes a reproducible archive and a manifest with its SHA-256; unpacked
// and put on PATH as krew would, real `kubectl plugin list` finds the plugin and `kubectl etcd-perf` runs.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { parse } from 'yaml';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');

test('package:krew: archive and manifest agree, the archive is reproducible, and kubectl finds and runs the plugin', async () => {
  const out = mkdtempSync(join(tmpdir(), 'etcd-perf-krew-test-'));
  const pack = () => run(process.execPath, ['--import', 'tsx', 'scripts/package-krew.ts', '--out', out, '--base-url', 'https://example.test/v'], { cwd: root, encoding: 'utf8' });
  await pack();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const archive = join(out, `etcd-perf-v${version}.tar.gz`);
  const sha = createHash('sha256').update(readFileSync(archive)).digest('hex');
  await pack();
  assert.equal(createHash('sha256').update(readFileSync(archive)).digest('hex'), sha, 'the same build packs to the same bytes');

  const manifest = parse(readFileSync(join(out, 'etcd-perf.yaml'), 'utf8'));
  assert.equal(manifest.kind, 'Plugin');
  assert.equal(manifest.metadata.name, 'etcd-perf');
  assert.equal(manifest.spec.version, `v${version}`);
  assert.match(manifest.spec.caveats, /Node\.js: it needs `node` 20 or later/);
  const [platform] = manifest.spec.platforms;
  assert.equal(platform.sha256, sha);
  assert.equal(platform.uri, `https://example.test/v/etcd-perf-v${version}.tar.gz`);
  assert.equal(platform.bin, 'kubectl-etcd_perf');

  // As krew installs it: unpacked in a folder of its own, the bin linked from a folder on PATH.
  const unpacked = join(out, 'store');
  mkdirSync(unpacked);
  await run('tar', ['-xzf', archive, '-C', unpacked]);
  assert.deepEqual(readdirSync(unpacked).sort(), ['LICENSE', 'etcd-perf.js', 'kubectl-etcd_perf', 'kubernetes-client.js']);
  assert.ok((statSync(join(unpacked, 'kubectl-etcd_perf')).mode & 0o111) !== 0, 'executable');
  const bin = join(out, 'bin');
  mkdirSync(bin);
  symlinkSync(join(unpacked, 'kubectl-etcd_perf'), join(bin, 'kubectl-etcd_perf'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: join(out, 'cache') };
  assert.match((await run('kubectl', ['plugin', 'list'], { env })).stdout, /kubectl-etcd_perf/);
  assert.equal((await run('kubectl', ['etcd-perf', '--version'], { env })).stdout.trim(), version);
  const failed = await run('kubectl', ['etcd-perf', 'status', '--endpoints', '127.0.0.1:1', '--dial-timeout', '300ms'], { env }).catch((e: { code: number; stderr: string }) => e);
  assert.equal((failed as { code: number }).code, 3);
  assert.match((failed as { stderr: string }).stderr, /^error: no member reachable: http:\/\/127\.0\.0\.1:1: .*refused/);
});
