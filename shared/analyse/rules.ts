// The rule catalogue: each rule reads a ClusterSnapshot and returns findings with stable ids. Pure functions, no I/O.

import type { WindowedQuantile } from '../collect/member-metrics.ts';
import type { ClusterSnapshot, MemberSnapshot } from '../collect/types.ts';
import { formatBytes } from '../util/bytes.ts';
import { formatSecondsAsMs } from '../util/duration.ts';
import { ADVICE } from './advice.ts';
import { DEPLOYMENT_RULES } from './deployment-rules.ts';
import { keyspaceFindings } from './keyspace-rules.ts';
import { logFileFindings } from './logs.ts';
import { timingFindings } from './network.ts';
import type { Category, Finding, Severity } from './finding.ts';
import { answered, applyLag as lagOf, failureOf, fragmentationPercent, freeableBytes, highestCommitted, memberName as name, quotaOf, quotaUsedPercent, withStatus } from './members.ts';
import { THRESHOLDS as T, type AnalysisOptions } from './thresholds.ts';
import { versionFindings } from './version-rules.ts';

type Rule = (cluster: ClusterSnapshot, options: AnalysisOptions) => Finding[];

const reachable = (c: ClusterSnapshot): MemberSnapshot[] => withStatus(c.members);

function finding(
  id: string, category: Category, severity: Severity,
  fields: Omit<Finding, 'id' | 'category' | 'severity'>,
): Finding {
  return { id, category, severity, ...fields };
}

function describeQuantile(q: WindowedQuantile, what: string, window: ClusterSnapshot['window']): string {
  const over = q.lifetime ? (window.lifetime ? 'since the member started' : `since the member started (none in the ${window.seconds}s window)`) : `over ${window.seconds}s`;
  const upper = q.bucketUpper === Infinity ? '+Inf' : formatSecondsAsMs(q.bucketUpper);
  return `p99 ${formatSecondsAsMs(q.value)} ${over} from ${q.samples} ${what}, interpolated between the ${formatSecondsAsMs(q.bucketLower)} and ${upper} buckets`;
}

const unreachable: Rule = (cluster) => cluster.members.flatMap((m) => {
  if (answered(m)) return [];
  const cause = m.error ?? m.statusError ?? 'no answer';
  if (failureOf(cause).cause === 'auth') {
    return [finding('auth-failed', 'observability', 'crit', {
      member: name(m), title: `${name(m)} refused our credentials`, value: m.endpoint, threshold: null,
      evidence: `${m.endpoint}: ${cause}`,
      recommendation: 'Check the user name and password given (etcdctl\'s ETCDCTL_USER / ETCDCTL_PASSWORD too): the member is up but rejects them.',
    })];
  }
  return [finding('member-unreachable', 'membership', 'crit', {
    member: name(m), title: `${name(m)} is unreachable`, value: m.endpoint, threshold: null,
    evidence: `${m.endpoint}: ${m.error ?? m.statusError ?? 'no answer'}`,
    recommendation: `Check the etcd process and its logs on that host (systemctl status etcd / kubectl -n kube-system logs etcd-<node>), and that ${m.endpoint} is reachable from here.`,
  })];
});

const unhealthy: Rule = (cluster) => cluster.members.flatMap((m) => {
  if (!m.status || m.healthy) return [];
  return [finding('member-unhealthy', 'membership', 'crit', {
    member: name(m), title: `${name(m)} answers status but not reads through raft`, value: 'unhealthy', threshold: null,
    evidence: m.healthError ?? 'linearizable read failed',
    recommendation: 'The member cannot reach consensus: check its peer connectivity and that a quorum of members is up; see its log for "lost leader" or "election".',
  })];
});

const leadership: Rule = (cluster) => {
  const members = reachable(cluster);
  if (members.length === 0) return [];
  const leaders = new Map<string, string[]>();
  for (const m of members) {
    const leader = m.status?.leaderId ?? '0';
    leaders.set(leader, [...(leaders.get(leader) ?? []), name(m)]);
  }
  const withoutLeader = leaders.get('0') ?? [];
  const named = [...leaders.entries()].filter(([id]) => id !== '0');
  const out: Finding[] = [];
  if (withoutLeader.length > 0) {
    out.push(finding('no-leader', 'membership', 'crit', {
      title: `no leader seen by ${withoutLeader.join(', ')}`, value: withoutLeader.length, threshold: 0,
      evidence: `status reported leader 0 on ${withoutLeader.join(', ')}`,
      recommendation: ADVICE.noLeader,
    }));
  }
  if (named.length > 1) {
    out.push(finding('leader-disagreement', 'network', 'crit', {
      title: 'members disagree on the leader', value: named.length, threshold: 1,
      evidence: named.map(([id, who]) => `${who.join(', ')} → ${id}`).join('; '),
      recommendation: 'A partition or a stale member: compare raft terms, check peer connectivity, and look for "leader changed" in the logs.',
    }));
  } else if (named.length === 1 && withoutLeader.length === 0) {
    const [id, who] = named[0] as [string, string[]];
    const leaderMember = cluster.members.find((m) => m.member.id === id);
    out.push(finding('leader', 'membership', 'ok', {
      title: `leader ${leaderMember ? name(leaderMember) : id} agreed by ${who.length} member(s)`, value: id, threshold: null,
      evidence: `every reachable member reports leader ${id}`, recommendation: '',
    }));
  }
  return out;
};

const leaderChanges: Rule = (cluster, options) => cluster.members.flatMap((m) => {
  const metrics = m.metrics;
  if (!metrics || metrics.leaderChanges === null) return [];
  const recommendation = `Frequent elections mean missed heartbeats: check disk fsync and peer RTT; if RTT is high, raise --heartbeat-interval (now assumed ${options.heartbeatMs} ms) and --election-timeout (>= 10x heartbeat).`;
  if (!cluster.window.lifetime) {
    const severity: Severity = metrics.leaderChanges > 0 ? 'warn' : 'ok';
    return [finding('leader-changes', 'network', severity, {
      member: name(m), title: `${metrics.leaderChanges} leader change(s) in the last ${cluster.window.seconds}s seen by ${name(m)}`,
      value: metrics.leaderChanges, threshold: 0, evidence: 'etcd_server_leader_changes_seen_total increase over the window', recommendation,
    })];
  }
  const hours = (metrics.uptimeSeconds ?? 0) / 3600;
  // The first election after start counts as a change; judge the rate only after an hour of uptime.
  const perHour = hours >= 1 ? (metrics.leaderChanges - 1) / hours : null;
  const severity: Severity = perHour !== null && perHour > T.leaderChangesPerHourWarn ? 'warn' : 'ok';
  return [finding('leader-changes', 'network', severity, {
    member: name(m), title: `${metrics.leaderChanges} leader change(s) since ${name(m)} started`,
    value: perHour === null ? metrics.leaderChanges : Number(perHour.toFixed(2)), threshold: T.leaderChangesPerHourWarn,
    evidence: perHour === null ? `lifetime counter; uptime ${(hours * 60).toFixed(0)} min is too short for a rate` : `${perHour.toFixed(2)} per hour over ${hours.toFixed(1)} h of uptime (lifetime counter)`,
    recommendation,
  })];
});

const applyLag: Rule = (cluster) => {
  const members = reachable(cluster);
  const committed = highestCommitted(members);
  return members.map((m) => {
    const lag = lagOf(m, committed) ?? 0;
    const severity: Severity = lag >= T.applyLagCrit ? 'crit' : lag >= T.applyLagWarn ? 'warn' : 'ok';
    return finding('raft-apply-lag', 'overload', severity, {
      member: name(m), title: `${name(m)} applied index is ${lag} behind the highest committed index`, value: lag, threshold: T.applyLagWarn,
      evidence: `highest raftIndex ${committed}, this member's raftAppliedIndex ${m.status?.raftAppliedIndex ?? 0}`,
      recommendation: 'A member that applies slowly is short of disk or CPU: check its backend commit latency and slow-apply count; etcd refuses requests beyond a lag of 5000.',
    });
  });
};

const alarms: Rule = (cluster) => cluster.alarms.map((alarm) => {
  const member = cluster.members.find((m) => m.member.id === alarm.memberId);
  const who = member ? name(member) : alarm.memberId;
  if (alarm.alarm === 'NOSPACE') {
    return finding('alarm-nospace', 'capacity', 'crit', {
      member: who, title: `NOSPACE alarm raised by ${who}: the cluster accepts no writes`, value: 'NOSPACE', threshold: null,
      evidence: `alarm list: memberID ${alarm.memberId} NOSPACE`,
      recommendation: 'Compact, defragment every member, then disarm: kubectl etcd-perf maintain --yes (or etcdctl compact, defrag, alarm disarm); raise --quota-backend-bytes if the data really needs the room.',
    });
  }
  return finding(`alarm-${alarm.alarm.toLowerCase()}`, 'membership', 'crit', {
    member: who, title: `${alarm.alarm} alarm raised by ${who}`, value: alarm.alarm, threshold: null,
    evidence: `alarm list: memberID ${alarm.memberId} ${alarm.alarm}`,
    recommendation: alarm.alarm === 'CORRUPT'
      ? 'Data differs between members: stop writes, compare etcdctl endpoint hashkv, and replace the corrupt member from a snapshot of a healthy one. Do not defragment.'
      : 'Inspect the alarm with etcdctl alarm list and the member logs.',
  });
});

const QUOTA_SOURCE = { status: 'the member\'s status, dbSizeQuota', metrics: 'etcd_server_quota_backend_bytes', default: 'etcd default; neither status nor metrics say' } as const;

const quota: Rule = (cluster) => reachable(cluster).map((m) => {
  const status = m.status as NonNullable<MemberSnapshot['status']>;
  const quota = quotaOf(m);
  const effective = quota.bytes;
  const percent = quotaUsedPercent(m) as number;
  const severity: Severity = percent >= T.quotaUsedCritPercent ? 'crit' : percent >= T.quotaUsedWarnPercent ? 'warn' : 'ok';
  const freeable = freeableBytes(status.dbSize, status.dbSizeInUse);
  return finding('db-quota', 'capacity', severity, {
    member: name(m), title: `${name(m)} DB uses ${percent.toFixed(1)}% of its ${formatBytes(effective)} quota`,
    value: Number(percent.toFixed(1)), threshold: T.quotaUsedWarnPercent,
    evidence: `dbSize ${status.dbSize} B, quota ${effective} B (${QUOTA_SOURCE[quota.source]})`,
    recommendation: freeable > status.dbSize * 0.2
      ? `Defragment to return ${formatBytes(freeable)}: kubectl etcd-perf maintain; at 100% etcd raises NOSPACE and refuses writes.`
      : `Find what fills the keyspace (kubectl etcd-perf keyspace) or raise --quota-backend-bytes (at most 8589934592, 8 GiB); at 100% etcd refuses writes.`,
  });
});

const dbSize: Rule = (cluster) => reachable(cluster).flatMap((m) => {
  const size = m.status?.dbSize ?? 0;
  if (size < T.dbSizeWarnBytes) return [];
  return [finding('db-size', 'capacity', 'warn', {
    member: name(m), title: `${name(m)} DB is ${formatBytes(size)}, above the recommended 8 GiB`, value: size, threshold: T.dbSizeWarnBytes,
    evidence: `dbSize ${size} B`,
    recommendation: ADVICE.dbSize,
  })];
});

const fragmentation: Rule = (cluster) => reachable(cluster).map((m) => {
  const status = m.status as NonNullable<MemberSnapshot['status']>;
  const percent = fragmentationPercent(status.dbSize, status.dbSizeInUse);
  const freeable = freeableBytes(status.dbSize, status.dbSizeInUse);
  const high = percent >= T.fragmentationWarnPercent;
  const severity: Severity = high && freeable >= T.fragmentationMinFreeableBytes ? 'warn' : high ? 'info' : 'ok';
  return finding('fragmentation', 'capacity', severity, {
    member: name(m), title: `${name(m)} is ${percent.toFixed(1)}% fragmented (${formatBytes(freeable)} freeable)`,
    value: Number(percent.toFixed(1)), threshold: T.fragmentationWarnPercent,
    evidence: `dbSize ${status.dbSize} B, dbSizeInUse ${status.dbSizeInUse} B`,
    recommendation: severity === 'ok' ? '' : `Defragment one member at a time, leader last: kubectl etcd-perf maintain (frees about ${formatBytes(freeable)} on this member).`,
  });
});

/** A latency finding's severity on its evidence: too few observations for a p99 only inform; so does the past. */
function judged(measured: Severity, q: WindowedQuantile, cluster: ClusterSnapshot): Severity {
  if (measured === 'ok') return 'ok';
  // No activity inside the window: the lifetime figure describes the past, so it informs but does not alarm.
  if (q.lifetime && !cluster.window.lifetime) return 'info';
  return q.samples < T.minObservationsForP99 ? 'info' : measured;
}

/** What a finding judged on too few observations says, and where to get enough. */
function tooFew(q: WindowedQuantile, what: string, severity: Severity, measured: Severity): string {
  return severity === 'info' && measured !== 'ok' && q.samples < T.minObservationsForP99
    ? ` Only ${q.samples} ${what} observed: a p99 needs at least ${T.minObservationsForP99}, so this is one of the slowest seen rather than a p99. `
      + 'Measure over a longer --window (e.g. 60s under load) or read the histogram in Prometheus before acting.'
    : '';
}

function latencyRule(
  id: string, what: string, pick: (m: MemberSnapshot) => WindowedQuantile | undefined,
  warn: number, crit: number, recommendation: string, category: Category = 'disk',
): Rule {
  return (cluster) => cluster.members.flatMap((m) => {
    const q = pick(m);
    if (!q) return [];
    const measured: Severity = q.value > crit ? 'crit' : q.value > warn ? 'warn' : 'ok';
    const severity = judged(measured, q, cluster);
    return [finding(id, category, severity, {
      member: name(m), title: `${name(m)} ${what} p99 ${formatSecondsAsMs(q.value)}`, value: q.value, threshold: warn,
      evidence: `${describeQuantile(q, `${what}s`, cluster.window)}${id === 'request-latency' ? ` (${m.metrics?.requestLatencyFrom})` : ''}`,
      recommendation: severity === 'ok' ? '' : `${recommendation}${tooFew(q, `${what}s`, severity, measured)}`,
    })];
  });
}

const walFsync = latencyRule('wal-fsync', 'WAL fsync', (m) => m.metrics?.quantiles.walFsync,
  T.walFsyncP99WarnSeconds, T.walFsyncP99CritSeconds,
  ADVICE.walFsync);
const backendCommit = latencyRule('backend-commit', 'backend commit', (m) => m.metrics?.quantiles.backendCommit,
  T.backendCommitP99WarnSeconds, T.backendCommitP99CritSeconds,
  ADVICE.backendCommit);

/** The member's own readiness, as a kubelet's probe reads it (/readyz, 3.4.29+ / 3.5.11+). */
const readiness: Rule = (cluster) => cluster.members.flatMap((m) => {
  const ready = m.readiness;
  if (!ready || !answered(m)) return [];
  return [finding('readyz', 'membership', ready.ready ? 'ok' : 'warn', {
    member: name(m), title: ready.ready ? `${name(m)} says it is ready` : `${name(m)} says it is not ready: ${ready.failed.join('; ') || 'no reason given'}`,
    value: ready.failed.join('; ') || null, threshold: null,
    evidence: ready.url,
    recommendation: ready.ready ? '' : 'A kubelet takes this pod out of service while /readyz fails. linearizable_read: it cannot reach the leader in time (network, disk, an election); data_corruption: a CORRUPT alarm is raised; non_learner: it is a learner.',
  })];
});

const requestLatency = latencyRule('request-latency', 'request', (m) => m.metrics?.quantiles.request,
  T.requestP99WarnSeconds, T.requestP99CritSeconds, ADVICE.requestLatency, 'overload');

/** 3.6+ members that do not check their data for corruption (feature gates off): one finding per member. */
const corruptionChecks: Rule = (cluster) => cluster.members.flatMap((m) => {
  const gates = m.metrics?.featureGates;
  if (!gates || !('InitialCorruptCheck' in gates)) return [];
  const off = ['InitialCorruptCheck', 'CompactHashCheck'].filter((gate) => gates[gate] === false);
  return [finding('corruption-checks', 'membership', off.length ? 'info' : 'ok', {
    member: name(m), title: off.length ? `${name(m)} runs without ${off.join(' and ')}: a corrupt member would go unnoticed longer` : `${name(m)} checks its data for corruption`,
    value: off.join(',') || null, threshold: null,
    evidence: `etcd_server_feature_enabled: ${Object.entries(gates).map(([gate, on]) => `${gate}=${on}`).join(', ')}`,
    recommendation: off.length ? `Start it with --feature-gates=${off.map((g) => `${g}=true`).join(',')} (InitialCorruptCheck compares hashes with the peers before serving, as kubeadm sets; CompactHashCheck has the leader compare them after each compaction).` : '',
  })];
});

interface SlowPair { from: MemberSnapshot; to: string; q: WindowedQuantile }

/**
 * The member every slow pair has in common, when there are slow pairs to at least two of its peers: its network (or
 * host) is the one at fault, not the members that probe it.
 */
function commonMember(pairs: readonly SlowPair[]): string | undefined {
  const ends = pairs.map((p) => new Set([p.from.member.id, p.to]));
  const shared = [...(ends[0] ?? [])].filter((id) => ends.every((e) => e.has(id)));
  if (shared.length !== 1) return undefined;
  const [culprit] = shared as [string];
  const others = new Set(pairs.map((p) => (p.from.member.id === culprit ? p.to : p.from.member.id)));
  return others.size >= 2 ? culprit : undefined;
}

const peerRtt: Rule = (cluster, options) => {
  const heartbeat = options.heartbeatMs / 1000;
  const level = (value: number): Severity => (value > heartbeat * T.peerRttCritFactorOfHeartbeat ? 'crit'
    : value > heartbeat * T.peerRttWarnFactorOfHeartbeat ? 'warn' : 'ok');
  const suggest = (value: number): string => {
    const ms = Math.ceil((value * 1000) / 10) * 10;
    return `--heartbeat-interval=${ms} and --election-timeout=${ms * 10}`;
  };
  const nameOf = (id: string): string => cluster.members.find((m) => m.member.id === id)?.member.name || id;
  const slow: SlowPair[] = cluster.members.flatMap((m) => Object.entries(m.metrics?.quantiles.peerRttByPeer ?? {})
    .filter(([, q]) => level(q.value) !== 'ok').map(([to, q]) => ({ from: m, to, q })));
  const culprit = commonMember(slow);
  const out: Finding[] = cluster.members.flatMap((m) => {
    const q = m.metrics?.quantiles.peerRtt;
    if (!q) return [];
    // Slow only toward the culprit: that member's finding says it; this one is judged on its other peers.
    const towardOthers = culprit && m.member.id !== culprit
      ? Object.entries(m.metrics?.quantiles.peerRttByPeer ?? {}).filter(([peer]) => peer !== culprit).map(([, p]) => p.value)
      : undefined;
    const measured = level(towardOthers ? Math.max(0, ...towardOthers) : q.value);
    const severity = judged(measured, q, cluster);
    const worst = Object.entries(m.metrics?.quantiles.peerRttByPeer ?? {}).sort((a, b) => b[1].value - a[1].value)[0];
    return [finding('peer-rtt', 'network', severity, {
      member: name(m), title: `${name(m)} peer RTT p99 ${formatSecondsAsMs(q.value)} (heartbeat ${options.heartbeatMs} ms)`,
      value: q.value, threshold: heartbeat,
      evidence: `${describeQuantile(q, 'probes', cluster.window)}${worst ? `; slowest peer ${nameOf(worst[0])} at ${formatSecondsAsMs(worst[1].value)}` : ''}`
        + (towardOthers ? `; slow only toward ${nameOf(culprit as string)}, which every slow pair involves` : ''),
      recommendation: severity === 'ok' ? '' : `Keep members in one data centre (RTT < 1 ms ideal), or set ${suggest(q.value)} on every member.${tooFew(q, 'probes', severity, measured)}`,
    })];
  });
  if (!culprit) return out;
  const pairs = slow.filter((p) => p.from.member.id === culprit || p.to === culprit);
  const worst = pairs.reduce((a, b) => (b.q.value > a.q.value ? b : a));
  const fewest = pairs.reduce((a, b) => (b.q.samples < a.q.samples ? b : a));
  const measured = level(worst.q.value);
  const severity = judged(measured, fewest.q, cluster);
  return [...out.filter((f) => f.member !== nameOf(culprit)), finding('peer-rtt', 'network', severity, {
    member: nameOf(culprit),
    title: `${nameOf(culprit)}: every slow peer link involves it (worst p99 ${formatSecondsAsMs(worst.q.value)}, heartbeat ${options.heartbeatMs} ms)`,
    value: worst.q.value, threshold: heartbeat,
    evidence: pairs.map((p) => `${name(p.from)} -> ${nameOf(p.to)} p99 ${formatSecondsAsMs(p.q.value)} from ${p.q.samples} probes`).join('; '),
    recommendation: `The network path of ${nameOf(culprit)} is at fault, not its peers: check its host (NIC, link, traffic shaping, a noisy neighbour, CPU steal) `
      + `before retuning; if its RTT is what it must be, set ${suggest(worst.q.value)} on every member.${tooFew(fewest.q, 'probes', severity, measured)}`,
  })];
};

function counterRule(
  id: string, category: Category, pick: (m: MemberSnapshot) => number | null, what: string, recommendation: string,
): Rule {
  return (cluster) => cluster.members.flatMap((m) => {
    const value = pick(m);
    if (value === null) return [];
    const over = cluster.window.lifetime ? 'since the member started' : `in the last ${cluster.window.seconds}s`;
    const severity: Severity = value > 0 ? (cluster.window.lifetime ? 'info' : 'warn') : 'ok';
    return [finding(id, category, severity, {
      member: name(m), title: `${name(m)}: ${value} ${what} ${over}`, value, threshold: 0,
      evidence: `${id.replace(/-/g, ' ')} counter ${cluster.window.lifetime ? 'total (lifetime)' : 'increase over the window'}`,
      recommendation: severity === 'ok' ? '' : recommendation,
    })];
  });
}

const proposalsFailed = counterRule('proposals-failed', 'network', (m) => m.metrics?.proposalsFailed ?? null, 'failed proposals',
  ADVICE.proposalsFailed);
const slowApplies = counterRule('slow-applies', 'overload', (m) => m.metrics?.slowApplies ?? null, 'slow applies (> 100 ms)',
  'Applies take too long: expensive requests (large ranges, many keys per txn) or a slow disk; find them in the log ("apply request took too long") and check backend commit latency.');
const heartbeatFailures = counterRule('heartbeat-send-failures', 'network', (m) => m.metrics?.heartbeatSendFailures ?? null, 'heartbeat send failures',
  'The leader could not send heartbeats in time: a slow disk on the leader or network congestion; check WAL fsync and peer RTT, and raise --heartbeat-interval if RTT is high.');

const pending: Rule = (cluster) => cluster.members.flatMap((m) => {
  const value = m.metrics?.proposalsPending;
  if (value === null || value === undefined) return [];
  const severity: Severity = value >= T.proposalsPendingWarn ? 'warn' : 'ok';
  return [finding('proposals-pending', 'overload', severity, {
    member: name(m), title: `${name(m)}: ${value} proposals pending`, value, threshold: T.proposalsPendingWarn,
    evidence: 'etcd_server_proposals_pending at the last scrape',
    recommendation: severity === 'ok' ? '' : 'More writes arrive than the cluster commits: reduce write load (events, leases, controllers that rewrite objects) or give etcd faster disks.',
  })];
});

const versions: Rule = (cluster) => versionFindings(cluster);

const memory: Rule = (cluster) => cluster.members.flatMap((m) => {
  const rss = m.metrics?.residentMemoryBytes;
  if (rss === null || rss === undefined) return [];
  const severity: Severity = rss >= T.residentMemoryWarnBytes ? 'warn' : 'ok';
  return [finding('memory', 'capacity', severity, {
    member: name(m), title: `${name(m)} uses ${formatBytes(rss)} of memory (RSS)`, value: rss, threshold: T.residentMemoryWarnBytes,
    evidence: 'process_resident_memory_bytes',
    recommendation: severity === 'ok' ? '' : 'Give etcd hosts at least 8 GiB of RAM (more than the DB size), and shrink the DB: defragment and find what fills it; with Go 1.19+ set GOMEMLIMIT below the limit.',
  })];
});

const metricsMissing: Rule = (cluster) => cluster.members.flatMap((m) => {
  if (!m.metricsError || (!m.status && !m.healthy)) return [];
  return [finding('metrics-unavailable', 'observability', 'warn', {
    member: name(m), title: `no metrics from ${name(m)}: latency, RTT and proposals not assessed`, value: m.metricsUrl, threshold: null,
    evidence: m.metricsError,
    recommendation: 'Point --metrics-urls at each member\'s metrics listener (kubeadm: --listen-metrics-urls=http://127.0.0.1:2381), in the order of --endpoints.',
  })];
});

const learners: Rule = (cluster) => cluster.members.filter((m) => m.member.isLearner).map((m) => finding('learner', 'membership', 'info', {
  member: name(m), title: `${name(m)} is a learner (non-voting)`, value: 'learner', threshold: null,
  evidence: 'member list: isLearner', recommendation: 'Promote it when caught up: etcdctl member promote <id>.',
}));

const statusErrors: Rule = (cluster) => reachable(cluster).flatMap((m) => (m.status?.errors.length ? [finding('status-errors', 'membership', 'warn', {
  member: name(m), title: `${name(m)} reports errors in its status`, value: m.status.errors.length, threshold: 0,
  evidence: m.status.errors.join('; '), recommendation: 'Read the errors and the member log; they usually name an alarm or a failed health check.',
})] : []));

const alarmsUnknown: Rule = (cluster) => (cluster.alarmsUnknown && cluster.members.some((m) => m.status) ? [finding('alarms-unknown', 'observability', 'info', {
  title: 'the alarms could not be read', value: null, threshold: null,
  evidence: 'every member refused the alarm list (etcd 3.4 reads it through raft, which fails without a leader)',
  recommendation: 'Run the check again once the cluster has a leader; etcdctl alarm list shows them too.',
})] : []);

export const RULES: readonly Rule[] = [
  unreachable, unhealthy, leadership, leaderChanges, applyLag, alarms, quota, dbSize, fragmentation,
  walFsync, backendCommit, requestLatency, corruptionChecks, readiness, peerRtt, proposalsFailed, pending, slowApplies, heartbeatFailures, versions, memory,
  metricsMissing, learners, statusErrors, alarmsUnknown, timingFindings, keyspaceFindings, logFileFindings, ...DEPLOYMENT_RULES,
];
