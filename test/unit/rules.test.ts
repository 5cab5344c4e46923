import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, verdict } from '../../shared/analyse/analyse.ts';
import type { Finding, Severity } from '../../shared/analyse/finding.ts';
import type { ClusterSnapshot } from '../../shared/collect/types.ts';
import { MiB, GiB } from '../../shared/util/bytes.ts';
import { cluster, healthy, IDS, member, quantile, realMetrics } from './snapshots.ts';

interface Case {
  name: string;
  snapshot: ClusterSnapshot;
  id: string;
  member?: string;
  severity: Severity;
  heartbeatMs?: number;
}

const worst = (findings: Finding[], id: string, who?: string): Finding | undefined =>
  findings.filter((f) => f.id === id && (who === undefined || f.member === who))[0];

const cases: Case[] = [
  { name: 'reachable members pass', snapshot: healthy(), id: 'leader', severity: 'ok' },
  {
    name: 'unreachable member is critical',
    snapshot: cluster([member(0), member(1), member(2, {}, { status: undefined, healthy: false, metrics: undefined, error: 'unreachable: connection refused' })]),
    id: 'member-unreachable', member: 'etcd-3', severity: 'crit',
  },
  {
    name: 'refused credentials are not called unreachable',
    snapshot: cluster([member(0, {}, { status: undefined, healthy: false, metrics: undefined, error: 'status: etcdserver: authentication failed, invalid user ID or password' })]),
    id: 'auth-failed', member: 'etcd-1', severity: 'crit',
  },
  {
    name: 'member answering status but not reads is unhealthy',
    snapshot: cluster([member(0), member(1, {}, { healthy: false, healthError: 'health: no answer within 5s (the command timeout)' }), member(2)]),
    id: 'member-unhealthy', member: 'etcd-2', severity: 'crit',
  },
  { name: 'no leader', snapshot: cluster([member(0, { leaderId: '0' }), member(1, { leaderId: '0' })]), id: 'no-leader', severity: 'crit' },
  {
    name: 'disagreeing leaders',
    snapshot: cluster([member(0), member(1), member(2, { leaderId: IDS[2] as string })]), id: 'leader-disagreement', severity: 'crit',
  },
  { name: 'leader change in the window', snapshot: cluster([member(0, {}, { metrics: realMetrics({ leaderChanges: 2 }) })]), id: 'leader-changes', severity: 'warn' },
  { name: 'no leader change in the window', snapshot: cluster([member(0, {}, { metrics: realMetrics({ leaderChanges: 0 }) })]), id: 'leader-changes', severity: 'ok' },
  {
    name: 'lifetime leader changes judged per hour of uptime',
    snapshot: cluster([member(0, {}, { metrics: realMetrics({ leaderChanges: 11, uptimeSeconds: 7200 }) })], { window: { seconds: 0, lifetime: true } }),
    id: 'leader-changes', severity: 'warn',
  },
  {
    name: 'few lifetime leader changes are fine',
    snapshot: cluster([member(0, {}, { metrics: realMetrics({ leaderChanges: 3, uptimeSeconds: 7200 }) })], { window: { seconds: 0, lifetime: true } }),
    id: 'leader-changes', severity: 'ok',
  },
  { name: 'apply lag warn', snapshot: cluster([member(0, { raftIndex: 10_000, raftAppliedIndex: 10_000 }), member(1, { raftIndex: 10_000, raftAppliedIndex: 8_500 })]), id: 'raft-apply-lag', member: 'etcd-2', severity: 'warn' },
  { name: 'apply lag crit', snapshot: cluster([member(0, { raftIndex: 20_000, raftAppliedIndex: 20_000 }), member(1, { raftIndex: 20_000, raftAppliedIndex: 9_000 })]), id: 'raft-apply-lag', member: 'etcd-2', severity: 'crit' },
  { name: 'NOSPACE alarm', snapshot: cluster([member(0), member(1)], { alarms: [{ memberId: IDS[1] as string, alarm: 'NOSPACE' }] }), id: 'alarm-nospace', member: 'etcd-2', severity: 'crit' },
  { name: 'CORRUPT alarm', snapshot: cluster([member(0)], { alarms: [{ memberId: IDS[0] as string, alarm: 'CORRUPT' }] }), id: 'alarm-corrupt', severity: 'crit' },
  { name: 'quota 85% used', snapshot: cluster([member(0, { dbSize: Math.round(0.85 * 2 * GiB), dbSizeInUse: Math.round(0.8 * 2 * GiB) })]), id: 'db-quota', severity: 'warn' },
  { name: 'quota 97% used', snapshot: cluster([member(0, { dbSize: Math.round(0.97 * 2 * GiB), dbSizeInUse: GiB })]), id: 'db-quota', severity: 'crit' },
  {
    name: 'quota from metrics, not the default',
    snapshot: cluster([member(0, { dbSize: 3 * GiB, dbSizeInUse: 3 * GiB }, { metrics: realMetrics({ quotaBytes: 8 * GiB }) })]), id: 'db-quota', severity: 'ok',
  },
  {
    name: 'DB above 8 GiB',
    snapshot: cluster([member(0, { dbSize: 9 * GiB, dbSizeInUse: 9 * GiB }, { metrics: realMetrics({ quotaBytes: 16 * GiB }) })]), id: 'db-size', severity: 'warn',
  },
  { name: 'fragmented with much to free', snapshot: cluster([member(0, { dbSize: 300 * MiB, dbSizeInUse: 12 * MiB })]), id: 'fragmentation', severity: 'warn' },
  { name: 'fragmented but tiny', snapshot: cluster([member(0, { dbSize: 20 * MiB, dbSizeInUse: 4 * MiB })]), id: 'fragmentation', severity: 'info' },
  { name: 'not fragmented', snapshot: cluster([member(0, { dbSize: 300 * MiB, dbSizeInUse: 200 * MiB })]), id: 'fragmentation', severity: 'ok' },
  ...([[0.004, 'ok'], [0.02, 'warn'], [0.2, 'crit']] as const).map(([value, severity]): Case => ({
    name: `WAL fsync p99 ${value}s`, id: 'wal-fsync', severity,
    snapshot: cluster([member(0, {}, { metrics: realMetrics({ quantiles: { ...realMetrics().quantiles, walFsync: quantile(value) } }) })]),
  })),
  {
    name: 'slow fsync only in the lifetime of an idle window informs',
    snapshot: cluster([member(0, {}, { metrics: realMetrics({ quantiles: { ...realMetrics().quantiles, walFsync: quantile(0.2, true) } }) })]),
    id: 'wal-fsync', severity: 'info',
  },
  ...([[0.01, 'ok'], [0.04, 'warn'], [0.3, 'crit']] as const).map(([value, severity]): Case => ({
    name: `backend commit p99 ${value}s`, id: 'backend-commit', severity,
    snapshot: cluster([member(0, {}, { metrics: realMetrics({ quantiles: { ...realMetrics().quantiles, backendCommit: quantile(value) } }) })]),
  })),
  ...([[0.05, 100, 'ok'], [0.15, 100, 'warn'], [0.15, 200, 'ok'], [0.6, 100, 'crit']] as const).map(([value, heartbeatMs, severity]): Case => ({
    name: `peer RTT p99 ${value}s with heartbeat ${heartbeatMs}ms`, id: 'peer-rtt', severity, heartbeatMs,
    snapshot: cluster([member(0, {}, { metrics: realMetrics({ quantiles: { ...realMetrics().quantiles, peerRtt: quantile(value) } }) })]),
  })),
  { name: 'failed proposals in the window', snapshot: cluster([member(0, {}, { metrics: realMetrics({ proposalsFailed: 3 }) })]), id: 'proposals-failed', severity: 'warn' },
  {
    name: 'failed proposals in the lifetime only inform',
    snapshot: cluster([member(0, {}, { metrics: realMetrics({ proposalsFailed: 3 }) })], { window: { seconds: 0, lifetime: true } }),
    id: 'proposals-failed', severity: 'info',
  },
  { name: 'pending proposals pile up', snapshot: cluster([member(0, {}, { metrics: realMetrics({ proposalsPending: 80 }) })]), id: 'proposals-pending', severity: 'warn' },
  { name: 'slow applies in the window', snapshot: cluster([member(0, {}, { metrics: realMetrics({ slowApplies: 5 }) })]), id: 'slow-applies', severity: 'warn' },
  { name: 'heartbeat send failures', snapshot: cluster([member(0, {}, { metrics: realMetrics({ heartbeatSendFailures: 1 }) })]), id: 'heartbeat-send-failures', severity: 'warn' },
  { name: 'version mismatch', snapshot: cluster([member(0), member(1, { version: '3.5.9' })]), id: 'version-mismatch', severity: 'warn' },
  { name: 'large RSS', snapshot: cluster([member(0, {}, { metrics: realMetrics({ residentMemoryBytes: 7 * GiB }) })]), id: 'memory', severity: 'warn' },
  { name: 'normal RSS', snapshot: cluster([member(0)]), id: 'memory', severity: 'ok' },
  {
    name: 'metrics unavailable is said',
    snapshot: cluster([member(0, {}, { metrics: undefined, metricsError: 'metrics http://x/metrics: line 1: expected a metric name' })]),
    id: 'metrics-unavailable', severity: 'warn',
  },
  { name: 'unreadable alarms are said', snapshot: cluster([member(0)], { alarmsUnknown: true }), id: 'alarms-unknown', severity: 'info' },
  {
    name: 'errors in a member status',
    snapshot: cluster([member(0, { errors: ['NOSPACE'] })]), id: 'status-errors', severity: 'warn',
  },
  {
    name: 'learner is noted',
    snapshot: cluster([member(0), member(1, { isLearner: true }, { member: { ...member(1).member, isLearner: true } })]), id: 'learner', severity: 'info',
  },
];

for (const c of cases) {
  test(`rule: ${c.name}`, () => {
    const findings = analyse(c.snapshot, { heartbeatMs: c.heartbeatMs ?? 100 });
    const found = worst(findings, c.id, c.member);
    assert.ok(found, `no ${c.id} finding in ${findings.map((f) => f.id).join(', ')}`);
    assert.equal(found.severity, c.severity, found.title);
    if (c.severity === 'warn' || c.severity === 'crit') {
      assert.ok(found.recommendation.length > 20, 'a problem comes with a concrete recommendation');
      assert.ok(found.evidence.length > 0, 'a problem comes with evidence');
    }
  });
}

test('a healthy cluster has only ok findings and a healthy verdict', () => {
  const findings = analyse(healthy(), { heartbeatMs: 100 });
  assert.deepEqual(findings.filter((f) => f.severity !== 'ok'), []);
  assert.deepEqual(verdict(findings), { status: 'healthy', bottleneck: 'none', summary: 'healthy: every check passed', evidence: [] });
});

test('verdict names the bottleneck with the most severe evidence', () => {
  const slowDisk = realMetrics({ quantiles: { ...realMetrics().quantiles, walFsync: quantile(0.05), backendCommit: quantile(0.06) } });
  const snapshot = cluster([member(0, { dbSize: 300 * MiB, dbSizeInUse: 12 * MiB }, { metrics: slowDisk }), member(1, {}, { metrics: slowDisk })]);
  const v = verdict(analyse(snapshot));
  assert.equal(v.status, 'degraded');
  assert.equal(v.bottleneck, 'disk');
  assert.equal(v.evidence.length, 4);
  const down = verdict(analyse(cluster([member(0, { dbSize: 300 * MiB, dbSizeInUse: 12 * MiB }), member(1, {}, { status: undefined, healthy: false, error: 'x' })])));
  assert.equal(down.status, 'critical');
  assert.equal(down.bottleneck, 'membership');
});

test('quantile evidence names the bucket bounds', () => {
  const snapshot = cluster([member(0, {}, { metrics: realMetrics({ quantiles: { ...realMetrics().quantiles, walFsync: { q: 0.99, value: 0.012, bucketLower: 0.008, bucketUpper: 0.016, samples: 812, lifetime: false } } }) })]);
  const f = worst(analyse(snapshot), 'wal-fsync');
  assert.equal(f?.evidence, 'p99 12 ms over 10s from 812 WAL fsyncs, interpolated between the 8 ms and 16 ms buckets');
});

test('a p99 from too few observations informs and says how many, and where to get enough', () => {
  const few = { ...quantile(0.016), samples: 1 };
  const findings = analyse(cluster([member(0, {}, { metrics: realMetrics({ quantiles: { ...realMetrics().quantiles, walFsync: few } }) })]));
  const fsync = findings.find((f) => f.id === 'wal-fsync');
  assert.equal(fsync?.severity, 'info');
  assert.match(fsync?.recommendation ?? '', /Only 1 WAL fsyncs observed: a p99 needs at least 100, so this is one of the slowest seen rather than a p99\. Measure over a longer --window/);
  const enough = analyse(cluster([member(0, {}, { metrics: realMetrics({ quantiles: { ...realMetrics().quantiles, walFsync: { ...few, samples: 100 } } }) })]));
  assert.equal(enough.find((f) => f.id === 'wal-fsync')?.severity, 'warn');
});

test('peer RTT: when every slow pair involves one member, that member is named, not the ones probing it', () => {
  // etcd-2's links are slow (101 ms both ways); etcd-1 <-> etcd-3 is fast.
  const rtt = (to: Record<number, number>) => Object.fromEntries(Object.entries(to).map(([i, v]) => [IDS[Number(i)] as string, quantile(v)]));
  const metrics = (to: Record<number, number>) => realMetrics({
    quantiles: { ...realMetrics().quantiles, peerRtt: quantile(Math.max(...Object.values(to))), peerRttByPeer: rtt(to), peerRttP50ByPeer: rtt(to) },
  });
  const snapshot = cluster([
    member(0, {}, { metrics: metrics({ 1: 0.101, 2: 0.002 }) }),
    member(1, {}, { metrics: metrics({ 0: 0.101, 2: 0.099 }) }),
    member(2, {}, { metrics: metrics({ 0: 0.002, 1: 0.099 }) }),
  ]);
  const rttFindings = analyse(snapshot, { heartbeatMs: 50 }).filter((f) => f.id === 'peer-rtt');
  const bad = rttFindings.filter((f) => f.severity !== 'ok');
  assert.deepEqual(bad.map((f) => f.member), ['etcd-2']);
  assert.match(bad[0]?.title ?? '', /^etcd-2: every slow peer link involves it \(worst p99 101 ms, heartbeat 50 ms\)$/);
  assert.match(bad[0]?.evidence ?? '', /etcd-1 -> etcd-2 p99 101 ms from 500 probes; etcd-2 -> etcd-1 p99 101 ms .*etcd-3 -> etcd-2 p99 99 ms/);
  assert.match(bad[0]?.recommendation ?? '', /^The network path of etcd-2 is at fault, not its peers/);
  assert.match(rttFindings.find((f) => f.member === 'etcd-1')?.evidence ?? '', /slow only toward etcd-2, which every slow pair involves/);
  // Two slow members share no single culprit: each is judged on its own.
  const spread = cluster([
    member(0, {}, { metrics: metrics({ 1: 0.101, 2: 0.101 }) }),
    member(1, {}, { metrics: metrics({ 0: 0.101, 2: 0.101 }) }),
    member(2, {}, { metrics: metrics({ 0: 0.101, 1: 0.101 }) }),
  ]);
  assert.deepEqual(analyse(spread, { heartbeatMs: 50 }).filter((f) => f.id === 'peer-rtt' && f.severity === 'warn').map((f) => f.member), ['etcd-1', 'etcd-2', 'etcd-3']);
});
