import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summariseMetrics } from '../../shared/collect/member-metrics.ts';
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
