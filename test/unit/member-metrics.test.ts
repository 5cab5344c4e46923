import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summariseMetrics } from '../../shared/collect/member-metrics.ts';
import { parsePrometheusText, type Sample } from '../../shared/collect/prometheus-text.ts';
import { parseReadyz } from '../../shared/collect/metrics.ts';
import { AFTER, BEFORE, NOW_MS } from './snapshots.ts';

const value = (samples: typeof AFTER, name: string, to?: string): number =>
  samples.filter((s) => s.name === name && (to === undefined || s.labels.To === to)).reduce((sum, s) => sum + s.value, 0);

test('over a window: counters are increases, quantiles come from bucket deltas, gauges from the last scrape', () => {
  const m = summariseMetrics(BEFORE, AFTER, 10, NOW_MS);
  const committed = value(AFTER, 'etcd_server_proposals_committed_total') - value(BEFORE, 'etcd_server_proposals_committed_total');
  assert.ok(committed > 0);
  assert.equal(m.proposalsCommittedPerSecond, committed / 10);
  assert.equal(m.leaderChanges, value(AFTER, 'etcd_server_leader_changes_seen_total') - value(BEFORE, 'etcd_server_leader_changes_seen_total'));
  const fsyncs = value(AFTER, 'etcd_disk_wal_fsync_duration_seconds_count') - value(BEFORE, 'etcd_disk_wal_fsync_duration_seconds_count');
  assert.equal(m.quantiles.walFsync?.samples, fsyncs);
  assert.equal(m.quantiles.walFsync?.lifetime, false);
  assert.equal(m.quotaBytes, 2147483648);
  assert.equal(m.serverVersion, '3.4.23');
  assert.equal(m.residentMemoryBytes, value(AFTER, 'process_resident_memory_bytes'));
});

test('peer RTT per peer from the real To labels, and overall', () => {
  const m = summariseMetrics(BEFORE, AFTER, 10, NOW_MS);
  const peers = [...new Set(AFTER.filter((s) => s.name === 'etcd_network_peer_round_trip_time_seconds_count').map((s) => s.labels.To))].sort();
  assert.equal(peers.length, 2);
  assert.deepEqual(Object.keys(m.quantiles.peerRttByPeer), peers);
  for (const peer of peers) {
    const q = m.quantiles.peerRttByPeer[peer as string];
    assert.ok(q && q.value > 0 && q.value <= q.bucketUpper && q.value >= q.bucketLower, `${peer}: ${JSON.stringify(q)}`);
  }
  assert.ok(m.quantiles.peerRtt);
});

test('with one scrape (--window 0): lifetime totals, marked as such', () => {
  const m = summariseMetrics(undefined, AFTER, 0, NOW_MS);
  assert.equal(m.quantiles.walFsync?.lifetime, true);
  assert.equal(m.quantiles.walFsync?.samples, value(AFTER, 'etcd_disk_wal_fsync_duration_seconds_count'));
  assert.equal(m.leaderChanges, value(AFTER, 'etcd_server_leader_changes_seen_total'));
  assert.equal(m.proposalsCommittedPerSecond, null);
  assert.ok(Math.abs((m.uptimeSeconds ?? 0) - 7200) < 1);
});

test('puts applied and CPU cores used over the window, from the real counters', () => {
  const m = summariseMetrics(BEFORE, AFTER, 10, NOW_MS);
  assert.equal(m.mvccPuts, value(AFTER, 'etcd_mvcc_put_total') - value(BEFORE, 'etcd_mvcc_put_total'));
  assert.ok((m.mvccPuts ?? 0) > 0);
  const cpu = value(AFTER, 'process_cpu_seconds_total') - value(BEFORE, 'process_cpu_seconds_total');
  assert.equal(m.cpuCores, cpu / 10);
  assert.equal(summariseMetrics(undefined, AFTER, 0, NOW_MS).cpuCores, null, 'no rate without a window');
});

// Real /metrics of every version (test/fixtures/metrics-etcd-<version>-*.txt, scripts/capture-fixtures.ts).
const scrape = (name: string) => parsePrometheusText(readFileSync(join(__dirname, '../fixtures', `metrics-etcd-${name}.txt`), 'utf8'));
const increase = (earlier: Sample[], later: Sample[], name: string, keep: (l: Record<string, string>) => boolean = () => true): number =>
  [later, earlier].map((s) => s.filter((x) => x.name === name && keep(x.labels)).reduce((sum, x) => sum + x.value, 0)).reduce((a, b) => a - b);

for (const version of ['3.4.23', '3.5.35', '3.6.16', '3.7.3', '3.6.16-extensive']) {
  test(`etcd ${version}'s own metrics: every figure the analysis reads is there, under the names this version uses`, () => {
    const [before, after] = [scrape(`${version}-before`), scrape(`${version}-after`)];
    const m = summariseMetrics(before, after, 10, NOW_MS);
    assert.equal(m.serverVersion, version.replace('-extensive', ''));
    assert.equal(m.quantiles.walFsync?.samples, increase(before, after, 'etcd_disk_wal_fsync_duration_seconds_count'));
    assert.equal(m.quantiles.backendCommit?.samples, increase(before, after, 'etcd_disk_backend_commit_duration_seconds_count'));
    assert.equal(Object.keys(m.quantiles.peerRttByPeer).length, 2);
    for (const figure of ['mvccPuts', 'leaderChanges', 'proposalsFailed', 'slowApplies', 'quotaBytes', 'compactRevision', 'compactionsFinished', 'residentMemoryBytes', 'hasLeader'] as const) {
      assert.notEqual(m[figure], null, `${version}: ${figure}`);
    }
    assert.equal(m.mvccPuts, increase(before, after, 'etcd_mvcc_put_total'));
    // Request latency: 3.7 times requests itself; before, only --metrics=extensive's gRPC histograms do.
    if (version === '3.7.3') {
      assert.equal(m.requestLatencyFrom, 'etcd_server_request_duration_seconds');
      assert.equal(m.quantiles.request?.samples, increase(before, after, 'etcd_server_request_duration_seconds_count'));
    } else if (version.endsWith('-extensive')) {
      assert.equal(m.requestLatencyFrom, 'grpc_server_handling_seconds (unary, Defragment left out)');
      const unary = (l: Record<string, string>): boolean => l.grpc_type === 'unary' && l.grpc_method !== 'Defragment';
      assert.equal(m.quantiles.request?.samples, increase(before, after, 'grpc_server_handling_seconds_count', unary));
    } else {
      assert.equal(m.quantiles.request, undefined);
      assert.match(m.requestLatencyFrom, /^not served: etcd before 3\.7 times requests only with --metrics=extensive/);
    }
    // Feature gates: 3.6+ say theirs as metrics.
    const gates = after.filter((s) => s.name === 'etcd_server_feature_enabled' && !/^All/.test(s.labels.name ?? ''));
    assert.deepEqual(m.featureGates, gates.length ? Object.fromEntries(gates.map((g) => [g.labels.name, g.value === 1])) : null);
    assert.equal(m.featureGates !== null, !version.startsWith('3.4') && !version.startsWith('3.5'));
  });
}

test('/readyz?verbose as etcd 3.6.16 answers it: ready, or the failing checks with their reasons', () => {
  // Bodies a real 3.6.16 member served (fetched from a local cluster): healthy, then with both peers stopped (SIGSTOP).
  const ok = '[+]serializable_read ok\n[+]linearizable_read ok\n[+]non_learner ok\n[+]data_corruption ok\nok\n';
  assert.deepEqual(parseReadyz(200, ok), { ready: true, failed: [] });
  const failing = '[+]serializable_read ok\n[-]linearizable_read failed: etcdserver: request timed out\n[+]non_learner ok\n[+]data_corruption ok\n\n';
  assert.deepEqual(parseReadyz(503, failing), { ready: false, failed: ['linearizable_read: etcdserver: request timed out'] });
});
