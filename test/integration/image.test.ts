// The image (`npm run image`): built here with podman FROM scratch, under 150 MB, running as a non-root user with
// nothing in it but the single executable and the libraries it links; run by podman (runc) with a read-only root
// filesystem, every capability dropped, on the host's network against a real 3-member cluster, its /metrics say what
// `check -o json` says. MATRIX: once (the image is the same whatever etcd it reads).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import type { CheckReport } from '../../shared/entry/index.ts';
import { runCli } from '../harness/cli.ts';
import { assertMetricsMatchReport, ExporterProcess } from '../harness/exporter.ts';

const run = promisify(execFile);
const root = join(__dirname, '../..');
// These machines run containers with runc and a lower open-files limit (TESTING-NOTES.md).
const PODMAN = ['podman', '--runtime', 'runc'];
const RUN = [...PODMAN, 'run', '--rm', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

let image = '';
let built = '';
let cluster: LocalCluster;
let exporter: ExporterProcess | undefined;
const container = `etcd-perf-test-${process.pid}`;

before(async () => {
  built = (await run('bash', ['scripts/build-image.sh'], { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })).stdout;
  image = built.split('\n')[0] ?? '';
  cluster = await LocalCluster.start({ size: 3 });
  await writeChurn(cluster, { rounds: 14 });
  await cluster.waitSettled();
});

after(async () => {
  await exporter?.stop();
  await run(PODMAN[0] as string, [...PODMAN.slice(1), 'rm', '-f', '--ignore', container]).catch(() => undefined);
  await cluster?.dispose();
});

test('npm run image: under 150 MB, non-root, no shell; it says its name, digest and size', async () => {
  assert.equal(image, 'localhost/etcd-perf:0.1.0');
  const digest = /^digest (sha256:[0-9a-f]{64})$/m.exec(built)?.[1];
  const size = Number(/^size (\d+) bytes/m.exec(built)?.[1]);
  assert.ok(digest, built);
  assert.ok(size > 50e6 && size < 150e6, `${size} bytes`);
  const inspect = JSON.parse((await run('podman', ['image', 'inspect', image], { encoding: 'utf8' })).stdout) as Array<{ Digest: string; Size: number; Config: { User: string; Entrypoint: string[] } }>;
  assert.equal(inspect[0]?.Digest, digest);
  assert.equal(inspect[0]?.Config.User, '65532:65532');
  assert.deepEqual(inspect[0]?.Config.Entrypoint, ['/kubectl-etcd_perf']);
  const shell = await run(PODMAN[0] as string, [...RUN.slice(1), '--entrypoint', '/bin/sh', image, '-c', 'id']).catch((e: { stderr: string }) => e);
  assert.match((shell as { stderr: string }).stderr, /no such file or directory/, 'no shell inside');
  const version = await run(PODMAN[0] as string, [...RUN.slice(1), '--read-only', image, '--version'], { encoding: 'utf8' });
  assert.equal(version.stdout.trim(), '0.1.0');
});

test('the image serves /metrics against a real cluster, read-only, every capability dropped: equal to check -o json; SIGTERM stops it', async () => {
  exporter = await ExporterProcess.start(['--endpoints', cluster.endpoints.join(','), '--interval', '3s', '--window', '1s'], {},
    [...RUN, '--name', container, '--network', 'host', '--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', image]);
  await exporter.until('ready', async () => (await exporter?.get('/readyz'))?.status === 200);
  const samples = await exporter.nextCollection();
  const checked = await runCli(['check', '--window', '1s', '-o', 'json', '--endpoints', cluster.endpoints.join(',')]);
  const report = JSON.parse(checked.stdout) as CheckReport;
  assertMetricsMatchReport(samples, report);
  assert.ok(report.findings.some((f) => f.id === 'fragmentation' && f.severity === 'warn'), 'real findings to compare');
  const user = (await run('podman', ['inspect', '--format', '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}', container], { encoding: 'utf8' })).stdout.trim();
  assert.equal(user, '65532:65532 true');
  assert.equal(await exporter.stop(), 0);
  exporter = undefined;
});
