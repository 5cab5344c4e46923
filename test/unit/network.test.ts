// Peer RTT per member pair from real metrics (etcd 3.4.23 fixtures), the raft timing it calls for, and the current
// values judged: assumed from our flags, or the members' own flags through Kubernetes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyse } from '../../shared/analyse/analyse.ts';
import { networkReport, recommendedTiming } from '../../shared/analyse/network.ts';
import { cluster, member, realMetrics, quantile } from './snapshots.ts';

test('every member pair with its p50 and p99 from the real histograms; peers named when they are members', () => {
  const metrics = realMetrics();
  const peers = Object.keys(metrics.quantiles.peerRttByPeer);
  assert.equal(peers.length, 2);
  const snapshot = cluster([member(0, {}, { metrics }), member(1)]);
  snapshot.members[1]!.member.id = peers[0] as string;
  delete snapshot.members[1]!.metrics;
  const { pairs, timing } = networkReport(snapshot, { heartbeatMs: 100 });
  assert.deepEqual(pairs.map((p) => [p.from, p.to]), [['etcd-1', 'etcd-2'], ['etcd-1', peers[1]]]);
  for (const pair of pairs) {
    const p99 = metrics.quantiles.peerRttByPeer[pair.to === 'etcd-2' ? peers[0] as string : pair.to]!;
    assert.equal(pair.p99Ms, Math.round(p99.value * 1e6) / 1000);
    assert.ok(pair.p50Ms !== null && pair.p50Ms <= pair.p99Ms && pair.p50Ms > 0);
    assert.equal(pair.probes, p99.samples);
  }
  assert.equal(timing.worstRttP99Ms, Math.max(...pairs.map((p) => p.p99Ms)));
  assert.deepEqual([timing.heartbeatMs, timing.electionMs, timing.timingFrom, timing.problems], [100, 1000, 'assumed', []]);
});

test('recommended timing: heartbeat the worst RTT rounded up to 10 ms, election >= 10x RTT and >= 5x heartbeat, in 100 ms', () => {
  assert.deepEqual(recommendedTiming(0.4), { heartbeatMs: 10, electionMs: 100 });
  assert.deepEqual(recommendedTiming(42), { heartbeatMs: 50, electionMs: 500 });
  assert.deepEqual(recommendedTiming(123), { heartbeatMs: 130, electionMs: 1300 });
});

test('an election timeout too short for the heartbeat or the RTT is a finding with the values to set', () => {
  const slow = realMetrics({ quantiles: { ...realMetrics().quantiles, peerRttByPeer: { ab: quantile(0.123) }, peerRttP50ByPeer: {} } });
  const snapshot = cluster([member(0, {}, { metrics: slow })]);
  const report = networkReport(snapshot, { heartbeatMs: 100, electionMs: 400 });
  assert.deepEqual(report.timing.problems, [
    'heartbeat 100 ms is shorter than the worst peer RTT p99 123 ms',
    'election timeout 400 ms is less than 10x the worst peer RTT p99 123 ms',
    'election timeout 400 ms is less than 5x the heartbeat 100 ms',
  ]);
  const finding = analyse(snapshot, { heartbeatMs: 100, electionMs: 400 }).find((f) => f.id === 'election-timeout');
  assert.equal(finding?.severity, 'warn');
  assert.equal(finding?.threshold, 1300);
  assert.match(finding?.recommendation ?? '', /--election-timeout=1300 \(and --heartbeat-interval=130\) on every member\.$/);
  assert.equal(analyse(cluster([member(0)]), { heartbeatMs: 100, electionMs: 1000 }).find((f) => f.id === 'election-timeout'), undefined);
});
