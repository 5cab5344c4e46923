// The krew release: `npm run package:krew` makes a reproducible archive of the single executable and a manifest with
// its SHA-256; unpacked and put on PATH as krew would, on a PATH without Node, real `kubectl plugin list` finds the
// plugin and `kubectl etcd-perf` runs (through the API server too: the Kubernetes client is inside).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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
  const archive = join(out, `etcd-perf-v${version}-linux-amd64.tar.gz`);
  const sha = createHash('sha256').update(readFileSync(archive)).digest('hex');
  await pack();
  assert.equal(createHash('sha256').update(readFileSync(archive)).digest('hex'), sha, 'the same build packs to the same bytes');

  const manifest = parse(readFileSync(join(out, 'etcd-perf.yaml'), 'utf8'));
  assert.equal(manifest.kind, 'Plugin');
  assert.equal(manifest.metadata.name, 'etcd-perf');
  assert.equal(manifest.spec.version, `v${version}`);
  assert.doesNotMatch(manifest.spec.caveats, /Node/, 'nothing to install first');
  assert.deepEqual(manifest.spec.platforms.map((p: { selector: unknown }) => p.selector), [{ matchExpressions: [{ key: 'os', operator: 'In', values: ['linux'] }, { key: 'arch', operator: 'In', values: ['amd64'] }] }]);
  const [platform] = manifest.spec.platforms;
  assert.equal(platform.sha256, sha);
  assert.equal(platform.uri, `https://example.test/v/etcd-perf-v${version}-linux-amd64.tar.gz`);
  assert.equal(platform.bin, 'kubectl-etcd_perf');

  // As krew installs it: unpacked in a folder of its own, the bin linked from a folder on PATH.
  const unpacked = join(out, 'store');
  mkdirSync(unpacked);
  await run('tar', ['-xzf', archive, '-C', unpacked]);
  assert.deepEqual(readdirSync(unpacked).sort(), ['LICENSE', 'kubectl-etcd_perf']);
  assert.ok((statSync(join(unpacked, 'kubectl-etcd_perf')).mode & 0o111) !== 0, 'executable');
  const bin = join(out, 'bin');
  mkdirSync(bin);
  symlinkSync(join(unpacked, 'kubectl-etcd_perf'), join(bin, 'kubectl-etcd_perf'));
  // kubectl alone beside the plugin: no Node on this PATH.
  const kubectlDir = join(out, 'kubectl');
  mkdirSync(kubectlDir);
  symlinkSync((await run('bash', ['-c', 'command -v kubectl'])).stdout.trim(), join(kubectlDir, 'kubectl'));
  const env = { HOME: out, PATH: `${bin}:${kubectlDir}`, XDG_CACHE_HOME: join(out, 'cache') };
  await assert.rejects(run('/bin/bash', ['-c', 'command -v node'], { env }), 'no node on PATH');
  assert.match((await run('kubectl', ['plugin', 'list'], { env })).stdout, /kubectl-etcd_perf/);
  assert.equal((await run('kubectl', ['etcd-perf', '--version'], { env })).stdout.trim(), version);
  const failed = await run('kubectl', ['etcd-perf', 'status', '--endpoints', '127.0.0.1:1', '--dial-timeout', '300ms'], { env }).catch((e: { code: number; stderr: string }) => e);
  assert.equal((failed as { code: number }).code, 3);
  assert.match((failed as { stderr: string }).stderr, /^error: no member reachable: http:\/\/127\.0\.0\.1:1: .*refused/);
  // Through Kubernetes: the client inside the executable loads the kubeconfig and dials its API server.
  const kubeconfig = join(out, 'kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
  }));
  const viaApi = await run('kubectl', ['etcd-perf', 'status', '--kubeconfig', kubeconfig], { env }).catch((e: { code: number; stderr: string }) => e);
  assert.equal((viaApi as { code: number }).code, 3, (viaApi as { stderr: string }).stderr);
  assert.match((viaApi as { stderr: string }).stderr, /^error: listing pods in kube-system \(context c, https:\/\/127\.0\.0\.1:1\): connect ECONNREFUSED 127\.0\.0\.1:1\n$/);
});
