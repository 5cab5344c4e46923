// Findings from the keyspace walk (check --deep): events kept without a lease (no TTL), one resource holding most
// of the bytes, values near etcd's request size limit, keys rewritten far more than usual. Pure.

import type { PrefixStats } from '../collect/keyspace.ts';
import type { ClusterSnapshot } from '../collect/types.ts';
import { formatBytes, MiB } from '../util/bytes.ts';
import type { Finding } from './finding.ts';

export const KEYSPACE_THRESHOLDS = {
  /** etcd's default --max-request-bytes is 1.5 MiB: a value above 1 MiB is one edit away from "request is too large". */
  largeValueBytes: 1 * MiB,
  /** Share of all bytes one resource may hold before it is named. */
  dominantShare: 0.5,
  /** Below this much data a dominant resource is only info. */
  dominantWarnBytes: 100 * MiB,
  /** Writes to one key since it was created; heartbeat resources (leases) are expected to pass it and are left out. */
  versionsWarn: 100_000,
  /** Events without a lease: a warning from this many. */
  eventsWithoutLeaseWarn: 100,
} as const;

const T = KEYSPACE_THRESHOLDS;
const isEvents = (p: PrefixStats): boolean => /^\/registry\/(events|events\.k8s\.io\/events)\//.test(p.prefix);
const isHeartbeat = (p: PrefixStats): boolean => /^\/registry\/(leases|coordination\.k8s\.io\/leases|masterleases|leases\.coordination\.k8s\.io)\//.test(p.prefix)
  || /^\/registry\/(configmaps|services\/endpoints)\/kube-system\//.test(p.prefix);

export function keyspaceFindings(cluster: ClusterSnapshot): Finding[] {
  const keyspace = cluster.keyspace;
  if (!keyspace) return [];
  if ('error' in keyspace) {
    return [{
      id: 'keyspace-unavailable', category: 'observability', severity: 'info', title: `the keyspace was not walked: ${keyspace.error}`,
      value: null, threshold: null, evidence: keyspace.error, recommendation: 'Run kubectl etcd-perf keyspace with --endpoints to the members.',
    }];
  }
  const findings: Finding[] = [];
  const events = keyspace.prefixes.filter(isEvents);
  const eventsWithoutLease = events.reduce((sum, p) => sum + p.withoutLease, 0);
  if (eventsWithoutLease > 0) {
    findings.push({
      id: 'keyspace-events-without-lease', category: 'capacity', severity: eventsWithoutLease >= T.eventsWithoutLeaseWarn ? 'warn' : 'info',
      title: `${eventsWithoutLease} Kubernetes events are stored without a lease: they never expire`,
      value: eventsWithoutLease, threshold: T.eventsWithoutLeaseWarn,
      evidence: events.map((p) => `${p.prefix}: ${p.withoutLease} of ${p.keys} keys without a lease`).join('; '),
      recommendation: 'kube-apiserver gives every event a lease of --event-ttl (1h): events without one were written another way or restored without leases; delete them (etcdctl del) and check what writes them.',
    });
  }
  const dominant = keyspace.prefixes.find((p) => keyspace.totalBytes > 0 && p.bytes / keyspace.totalBytes > T.dominantShare);
  if (dominant) {
    const share = (dominant.bytes / keyspace.totalBytes) * 100;
    findings.push({
      id: 'keyspace-dominant-resource', category: 'capacity', severity: keyspace.totalBytes >= T.dominantWarnBytes ? 'warn' : 'info',
      title: `${dominant.prefix} holds ${share.toFixed(0)}% of the keyspace (${formatBytes(dominant.bytes)} in ${dominant.keys} keys)`,
      value: Number(share.toFixed(1)), threshold: T.dominantShare * 100,
      evidence: `${formatBytes(dominant.bytes)} of ${formatBytes(keyspace.totalBytes)}; largest key ${dominant.largestKey} (${formatBytes(dominant.largestBytes)})`,
      recommendation: 'Find what creates these objects and whether they are still needed (kubectl get with the resource, by namespace: kubectl etcd-perf keyspace --by-namespace); a runaway controller or CRD fills etcd this way.',
    });
  }
  for (const key of keyspace.largestKeys.filter((k) => k.bytes > T.largeValueBytes)) {
    findings.push({
      id: 'keyspace-large-value', category: 'capacity', severity: 'warn',
      title: `${key.key} is ${formatBytes(key.bytes)}, near etcd's request limit (1.5 MiB by default)`,
      value: key.bytes, threshold: T.largeValueBytes, evidence: `key + value ${key.bytes} B`,
      recommendation: 'Writes of this object fail once it passes --max-request-bytes, and every watch and list carries it: split it (several ConfigMaps or Secrets) or keep the data outside etcd.',
    });
  }
  const hot = keyspace.prefixes.filter((p) => p.versionsMax > T.versionsWarn && !isHeartbeat(p));
  for (const p of hot) {
    const key = keyspace.mostRewritten.find((k) => k.key.startsWith(p.prefix));
    findings.push({
      id: 'keyspace-high-versions', category: 'overload', severity: 'info',
      title: `a key under ${p.prefix} was written ${p.versionsMax} times since it was created`,
      value: p.versionsMax, threshold: T.versionsWarn,
      evidence: key ? `${key.key}: version ${key.version}` : `versions max ${p.versionsMax}`,
      recommendation: 'Each write adds a revision that stays until compaction and is sent to every watcher: find the controller updating this object so often (its managedFields name it).',
    });
  }
  return findings;
}
