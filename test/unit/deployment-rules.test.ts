// The deployment rules on real inputs: kubeadm's etcd manifest (test/fixtures/kubeadm-etcd.yaml) read as the API
// server serves it, real etcd logs (test/fixtures/logs), and per-case changes to the pod (limits, volumes, restarts).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { V1Pod } from '@kubernetes/client-node';
import { analyse } from '../../shared/analyse/analyse.ts';
import { summariseEtcdLog } from '../../shared/collect/etcd-log.ts';
import type { DeploymentFacts, PodWithLog as PodFacts } from '../../shared/collect/types.ts';
import { etcdPodFrom } from '../../shared/connect/kubernetes/etcd-pod.ts';
import { GiB } from '../../shared/util/bytes.ts';
import { cluster, member, quantile, realMetrics } from './snapshots.ts';

const fixtures = join(__dirname, '../fixtures');

/** The kubeadm manifest as the API server returns the mirror pod of member `index` (etcd-1 ... on node cp-N). */
function podFacts(index: number, change: (pod: V1Pod) => void = () => undefined, extra: Partial<PodFacts> = {}): PodFacts {
  const pod = parse(readFileSync(join(fixtures, 'kubeadm-etcd.yaml'), 'utf8')) as V1Pod;
  pod.metadata = { ...pod.metadata, name: `etcd-cp-${index + 1}` };
  const command = pod.spec?.containers[0]?.command as string[];
  command[command.findIndex((c) => c.startsWith('--name='))] = `--name=etcd-${index + 1}`;
  pod.spec = { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: `cp-${index + 1}` };
  pod.status = { containerStatuses: [{ name: 'etcd', ready: true, restartCount: 0, image: '', imageID: '', state: { running: {} } }] };
  change(pod);
  const etcd = etcdPodFrom(pod);
  assert.ok(etcd);
  return {
    pod: etcd.name, namespace: 'kube-system', node: etcd.node, member: etcd.flags.get('name') ?? '', endpoint: etcd.advertiseClientUrl,
    running: etcd.running, state: etcd.state, restarts: etcd.restarts, lastTermination: etcd.lastTermination,
    flags: Object.fromEntries(etcd.flags), resources: etcd.resources, mounts: etcd.mounts, events: [], ...extra,
  };
}

function deployment(pods: PodFacts[], extra: Partial<DeploymentFacts> = {}): DeploymentFacts {
  return { kind: 'kubernetes', context: 'test', namespace: 'kube-system', pods, logSeconds: 3600, ...extra };
}

const ids = (findings: { id: string }[]) => findings.map((f) => f.id);

test('kubeadm\'s manifest: no metrics URL, election timeout under 5x heartbeat, default quota; one finding each for the cluster', () => {
  const findings = analyse(cluster([member(0), member(1), member(2)], { deployment: deployment([0, 1, 2].map((i) => podFacts(i))) }));
  const metricsUrl = findings.find((f) => f.id === 'config-metrics-url');
  assert.equal(metricsUrl?.severity, 'warn');
  assert.equal(metricsUrl?.member, undefined, 'alike on every member: one finding');
  assert.match(metricsUrl?.recommendation ?? '', /--listen-metrics-urls=http:\/\/127\.0\.0\.1:2381$/);
  assert.match(metricsUrl?.evidence ?? '', /^pod kube-system\/etcd-cp-1, pod kube-system\/etcd-cp-2, pod kube-system\/etcd-cp-3: no --listen-metrics-urls$/);
  const election = findings.find((f) => f.id === 'config-election-timeout');
  assert.equal(election?.value, '300');
  assert.equal(election?.threshold, '1000');
  assert.equal(findings.find((f) => f.id === 'config-quota-default')?.severity, 'info');
  const dataDir = findings.find((f) => f.id === 'config-data-dir-volume');
  assert.equal(dataDir?.severity, 'info');
  assert.match(dataDir?.recommendation ?? '', /bench disk --dir \/var\/lib\/etcd/);
  assert.ok(!ids(findings).includes('config-deprecated-flag'), 'experimental flags are current in etcd 3.4 and 3.5');
});

test('etcd 3.6: the experimental flags kubeadm sets are deprecated, with their replacements', () => {
  const findings = analyse(cluster([member(0, { version: '3.6.4' })], { deployment: deployment([podFacts(0)]) }));
  const deprecated = findings.filter((f) => f.id === 'config-deprecated-flag');
  assert.deepEqual(deprecated.map((f) => f.severity), ['warn', 'warn']);
  assert.deepEqual(deprecated.map((f) => f.threshold).sort(), ['5s', 'InitialCorruptCheck=true']);
  assert.ok(deprecated.some((f) => /--experimental-watch-progress-notify-interval out, --watch-progress-notify-interval=5s$/.test(f.recommendation)));
  assert.ok(deprecated.some((f) => /--experimental-initial-corrupt-check out, --feature-gates=InitialCorruptCheck=true$/.test(f.recommendation)));
  assert.ok(deprecated.every((f) => f.category === 'version' && /removed in 3\.7: a 3\.7 member will not start with it/.test(f.title)));
});

test('etcd 3.7: the same flags are critical, the member will not start with them', () => {
  const findings = analyse(cluster([member(0, { version: '3.7.3' })], { deployment: deployment([podFacts(0)]) }));
  const removed = findings.filter((f) => f.id === 'config-removed-flag');
  assert.deepEqual(removed.map((f) => f.severity), ['crit', 'crit']);
  assert.ok(removed.every((f) => /etcd 3\.7\.3 will not start with --experimental-[a-z-]+: 3\.7 removed it$/.test(f.title)), removed.map((f) => f.title).join('; '));
  assert.ok(!findings.some((f) => f.id === 'config-deprecated-flag'));
});

test('timing flags that differ between members, and heartbeat/election against the measured RTT', () => {
  const slow = realMetrics({ quantiles: { ...realMetrics().quantiles, peerRtt: quantile(0.123) } });
  const pods = [0, 1, 2].map((i) => podFacts(i, (pod) => {
    const command = pod.spec?.containers[0]?.command as string[];
    command[command.findIndex((c) => c.startsWith('--heartbeat-interval='))] = `--heartbeat-interval=${i === 1 ? 150 : 100}`;
    command[command.findIndex((c) => c.startsWith('--election-timeout='))] = '--election-timeout=1000';
  }));
  const findings = analyse(cluster([member(0, {}, { metrics: slow }), member(1), member(2)], { deployment: deployment(pods) }));
  const mismatch = findings.find((f) => f.id === 'config-timing-mismatch');
  assert.equal(mismatch?.title, '--heartbeat-interval differs between members: 100 vs 150 ms');
  assert.match(mismatch?.recommendation ?? '', /--heartbeat-interval=150\.$/);
  const rtt = findings.filter((f) => f.id === 'config-timing-rtt');
  assert.equal(rtt.length, 3, 'members differ, so one finding each');
  assert.match(rtt[0]?.recommendation ?? '', /--heartbeat-interval=130 --election-timeout=1300 on every member/);
});

test('quota above half the node\'s memory, limits, a small memory request, an emptyDir data dir, an OOM-killed restart', () => {
  const pod = podFacts(0, (p) => {
    const container = p.spec?.containers[0];
    assert.ok(container);
    container.command = [...(container.command ?? []), '--quota-backend-bytes=8589934592'];
    container.resources = { requests: { memory: '100Mi' }, limits: { memory: '2Gi' } };
    p.spec = { ...p.spec, containers: p.spec?.containers ?? [], volumes: [{ name: 'etcd-data', emptyDir: {} }, { name: 'etcd-certs', hostPath: { path: '/etc/kubernetes/pki/etcd' } }] };
    p.status = { containerStatuses: [{ name: 'etcd', ready: true, restartCount: 2, image: '', imageID: '', state: { running: {} }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] };
  }, { nodeMemoryBytes: 8 * GiB, usage: { cpuCores: 0.2, memoryBytes: 700 * 1024 * 1024 } });
  const findings = analyse(cluster([member(0)], { deployment: deployment([pod]) }));
  const byId = (id: string) => findings.find((f) => f.id === id);
  assert.equal(byId('config-quota-memory')?.threshold, 4 * GiB);
  assert.match(byId('config-resource-limits')?.title ?? '', /memory 2Gi \(OOM kill at the limit\)/);
  assert.equal(byId('config-resource-requests')?.threshold, '1100Mi');
  assert.equal(byId('config-data-dir-volume')?.severity, 'crit');
  assert.match(byId('config-data-dir-volume')?.title ?? '', /on an emptyDir/);
  assert.equal(byId('pod-restarts')?.severity, 'crit');
  assert.match(byId('pod-restarts')?.title ?? '', /restarted 2 times \(last: OOMKilled\)/);
});

test('warning events, no metrics API, and a real log: each a finding', () => {
  const log = summariseEtcdLog(readFileSync(join(fixtures, 'logs/etcd-3.4.23-capnslog-member1.log'), 'utf8'));
  const pod = podFacts(0, () => undefined, {
    log,
    events: [{ type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed: HTTP probe failed with statuscode: 503', count: 4, last: '2026-11-24T09:00:00.000Z' },
      { type: 'Normal', reason: 'Started', message: 'Started container etcd', count: 1 }],
  });
  const findings = analyse(cluster([member(0)], { deployment: deployment([pod], { usageError: 'the metrics API (metrics.k8s.io) is not served by this cluster' }) }));
  const events = findings.find((f) => f.id === 'pod-warning-events');
  assert.equal(events?.title, 'etcd-1: warning events on etcd-cp-1: Unhealthy x4');
  assert.equal(findings.find((f) => f.id === 'pod-usage-unknown')?.evidence, 'the metrics API (metrics.k8s.io) is not served by this cluster');
  const sync = findings.find((f) => f.id === 'log-slow-fdatasync');
  assert.equal(sync?.severity, 'crit');
  assert.equal(sync?.title, 'etcd-1: 1 slow WAL syncs (over 1 s) in the last 1 h of its log');
  assert.equal(sync?.evidence, 'pod kube-system/etcd-cp-1 log: 1, first 2026-11-24T09:09:43.432Z, last 2026-11-24T09:09:43.432Z, worst 1.50 s');
  assert.equal(findings.find((f) => f.id === 'log-leader-lost')?.value, 2);
  assert.equal(findings.find((f) => f.id === 'log-defrag')?.severity, 'info');
});
