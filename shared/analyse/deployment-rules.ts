// Rules over how the members are deployed (Kubernetes: pod specs, state, events, logs), each finding with a concrete
// flag value or action. The per-file checks are the editor's config audit (config-audit.ts) run on each pod's flags;
// what needs the whole cluster or measurements is here: timing flags equal everywhere, heartbeat and election timeout
// against the measured peer RTT, the quota against the node's memory (the per-pod audit knows each member's version),
// resources, the data dir's volume, restarts, warning events, and the signs of trouble in the logs. Pure.

import { etcdConfigFromFlags } from '../collect/etcd-config.ts';
import type { ClusterSnapshot, DeploymentFacts, PodWithLog as PodFacts } from '../collect/types.ts';
import { auditConfig, type ConfigFinding } from './config-audit.ts';
import { countInWords, describeWindow, LOG_SIGNS } from './log-signs.ts';
import { formatBytes, GiB, MiB } from '../util/bytes.ts';
import { parseQuantity } from '../util/quantity.ts';
import type { Category, Finding, Severity } from './finding.ts';

type Rule = (cluster: ClusterSnapshot) => Finding[];

const CONFIG_CATEGORY: Record<string, Category> = {
  'config-quota-default': 'capacity', 'config-quota-large': 'capacity', 'config-election-timeout': 'network',
  'config-auto-compaction-redundant': 'capacity', 'config-auto-compaction': 'capacity', 'config-snapshot-count': 'capacity',
  'config-metrics-url': 'observability', 'config-deprecated-flag': 'version', 'config-removed-flag': 'version', 'config-unknown-flag': 'version',
};

const podLabel = (p: PodFacts): string => `pod ${p.namespace}/${p.pod}`;
const memberOf = (p: PodFacts): string => p.member || p.pod;

function ms(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value === undefined || value === '' || !Number.isFinite(n) ? fallback : n;
}

/** One finding per pod, or one for the cluster when every pod has the same one (kubeadm's pods are alike). */
function perPodOrCluster(deployment: DeploymentFacts, make: (pod: PodFacts) => Finding | undefined): Finding[] {
  const found = deployment.pods.map((p) => ({ pod: p, finding: make(p) })).filter((x): x is { pod: PodFacts; finding: Finding } => x.finding !== undefined);
  if (found.length > 1 && found.length === deployment.pods.length) {
    const [first] = found;
    const same = found.every((x) => x.finding.id === first?.finding.id && x.finding.value === first.finding.value && x.finding.threshold === first.finding.threshold);
    if (same && first) {
      const rest: Finding = { ...first.finding };
      delete rest.member;
      const details = found.map((x) => x.finding.evidence.replace(`${podLabel(x.pod)}: `, '').replace(`${podLabel(x.pod)} `, ''));
      const evidence = details.every((d) => d === details[0])
        ? `${found.map((x) => podLabel(x.pod)).join(', ')}: ${details[0]}`
        : found.map((x) => x.finding.evidence).join('; ');
      return [{ ...rest, title: rest.title.replace(`${memberOf(first.pod)}: `, 'every member: '), evidence }];
    }
  }
  return found.map((x) => x.finding);
}

const configAudit: Rule = (cluster) => {
  const deployment = cluster.deployment;
  if (!deployment) return [];
  // Each pod audited for the version its member reports.
  const audit = (pod: PodFacts): ConfigFinding[] => auditConfig(etcdConfigFromFlags(pod.flags, 'manifest'),
    cluster.members.find((m) => m.member.name === pod.member)?.status?.version);
  const keys = new Set(deployment.pods.flatMap((p) => audit(p).map((f) => `${f.id} ${f.flag}`)));
  return [...keys].flatMap((key) => perPodOrCluster(deployment, (pod) => {
    const f = audit(pod).find((x) => `${x.id} ${x.flag}` === key);
    if (!f) return undefined;
    const current = pod.flags[f.flag];
    return {
      id: f.id, category: CONFIG_CATEGORY[f.id] ?? 'capacity', severity: f.severity, member: memberOf(pod),
      title: `${memberOf(pod)}: ${f.title}`, value: current ?? null, threshold: f.fix?.value ?? null,
      evidence: `${podLabel(pod)}: ${current === undefined ? `no --${f.flag}` : `--${f.flag}=${current}`}`,
      recommendation: f.fix
        ? `${f.recommendation} In the static pod manifest: ${f.fix.replaces ? `--${f.fix.replaces} out, ` : ''}--${f.fix.flag}=${f.fix.value}`
        : f.recommendation,
    };
  }));
};

const timingFlagsEqual: Rule = (cluster) => {
  const pods = cluster.deployment?.pods ?? [];
  if (pods.length < 2) return [];
  const defaults: Record<string, string> = { 'heartbeat-interval': '100', 'election-timeout': '1000' };
  return Object.keys(defaults).flatMap((flag) => {
    const values = pods.map((p) => p.flags[flag] ?? defaults[flag] as string);
    if (new Set(values).size === 1) return [];
    const highest = String(Math.max(...values.map(Number)));
    return [{
      id: 'config-timing-mismatch', category: 'network' as Category, severity: 'warn' as Severity,
      title: `--${flag} differs between members: ${[...new Set(values)].join(' vs ')} ms`,
      value: values.join(','), threshold: highest,
      evidence: pods.map((p, i) => `${p.pod}: --${flag}=${values[i]}`).join(', '),
      recommendation: `Set the same --${flag} on every member (raft's timing assumes it): --${flag}=${highest}.`,
    }];
  });
};

/** The worst measured peer RTT p99 of the cluster, in ms. */
function worstRttMs(cluster: ClusterSnapshot): number | undefined {
  const rtts = cluster.members.map((m) => m.metrics?.quantiles.peerRtt?.value).filter((v): v is number => typeof v === 'number');
  return rtts.length ? Math.max(...rtts) * 1000 : undefined;
}

const timingVsRtt: Rule = (cluster) => {
  const deployment = cluster.deployment;
  const rtt = worstRttMs(cluster);
  if (!deployment || rtt === undefined) return [];
  return perPodOrCluster(deployment, (pod) => {
    const heartbeat = ms(pod.flags['heartbeat-interval'], 100);
    const election = ms(pod.flags['election-timeout'], 1000);
    if (heartbeat >= rtt && election >= 10 * rtt) return undefined;
    const wantHeartbeat = Math.max(heartbeat, Math.ceil(rtt / 10) * 10);
    const wantElection = Math.max(election, Math.ceil(Math.max(10 * rtt, 5 * wantHeartbeat) / 100) * 100);
    return {
      id: 'config-timing-rtt', category: 'network', severity: 'warn', member: memberOf(pod),
      title: `${memberOf(pod)}: heartbeat ${heartbeat} ms / election timeout ${election} ms are short for the measured peer RTT p99 ${rtt.toFixed(1)} ms`,
      value: `${heartbeat}/${election}`, threshold: `${wantHeartbeat}/${wantElection}`,
      evidence: `${podLabel(pod)}: --heartbeat-interval=${heartbeat} --election-timeout=${election}; worst peer RTT p99 ${rtt.toFixed(1)} ms`,
      recommendation: `Heartbeat about the worst RTT, election timeout at least 10x the RTT and 5x the heartbeat: --heartbeat-interval=${wantHeartbeat} --election-timeout=${wantElection} on every member.`,
    };
  });
};

const quotaVsNodeMemory: Rule = (cluster) => {
  const deployment = cluster.deployment;
  if (!deployment) return [];
  return perPodOrCluster(deployment, (pod) => {
    if (!pod.nodeMemoryBytes) return undefined;
    const quota = ms(pod.flags['quota-backend-bytes'], 2 * GiB) || 2 * GiB;
    if (quota <= pod.nodeMemoryBytes / 2) return undefined;
    const want = Math.min(8 * GiB, Math.floor(pod.nodeMemoryBytes / 2 / MiB) * MiB);
    return {
      id: 'config-quota-memory', category: 'capacity', severity: 'warn', member: memberOf(pod),
      title: `${memberOf(pod)}: quota ${formatBytes(quota)} is more than half of its node's ${formatBytes(pod.nodeMemoryBytes)} of memory`,
      value: quota, threshold: want,
      evidence: `${podLabel(pod)} on node ${pod.node}: --quota-backend-bytes=${pod.flags['quota-backend-bytes'] ?? '(default 2 GiB)'}, node memory ${formatBytes(pod.nodeMemoryBytes)}`,
      recommendation: `etcd maps its whole DB into memory: a DB grown to the quota would not fit beside everything else. Use --quota-backend-bytes=${want} or give the node more memory.`,
    };
  });
};

const resources: Rule = (cluster) => {
  const deployment = cluster.deployment;
  if (!deployment) return [];
  const limits = perPodOrCluster(deployment, (pod) => {
    const { memory, cpu } = pod.resources.limits;
    if (memory === undefined && cpu === undefined) return undefined;
    const what = [memory !== undefined ? `memory ${memory} (OOM kill at the limit)` : '', cpu !== undefined ? `CPU ${cpu} (throttling adds latency to every request)` : ''].filter(Boolean).join(', ');
    return {
      id: 'config-resource-limits', category: 'overload', severity: 'warn', member: memberOf(pod),
      title: `${memberOf(pod)}: etcd container has limits: ${what}`, value: [memory, cpu].filter(Boolean).join(', '), threshold: null,
      evidence: `${podLabel(pod)}: resources.limits ${JSON.stringify(pod.resources.limits)}`,
      recommendation: 'Drop the etcd container\'s limits (kubeadm sets none) and size requests instead: an OOM-killed or throttled member stalls the cluster.',
    };
  });
  const requests = perPodOrCluster(deployment, (pod) => {
    const rss = pod.usage?.memoryBytes ?? cluster.members.find((m) => m.member.name === pod.member)?.metrics?.residentMemoryBytes ?? undefined;
    const requested = parseQuantity(pod.resources.requests.memory);
    if (rss === undefined || (requested !== undefined && requested >= rss)) return undefined;
    const want = `${Math.ceil((rss * 1.5) / MiB / 100) * 100}Mi`;
    return {
      id: 'config-resource-requests', category: 'capacity', severity: 'info', member: memberOf(pod),
      title: `${memberOf(pod)}: memory request ${pod.resources.requests.memory ?? 'none'} is below what etcd uses (${formatBytes(rss)})`,
      value: pod.resources.requests.memory ?? null, threshold: want,
      evidence: `${podLabel(pod)}: resources.requests.memory ${pod.resources.requests.memory ?? '(none)'}; in use ${formatBytes(rss)}`,
      recommendation: `Request what etcd needs so the scheduler and the kubelet account for it: resources.requests.memory: ${want}.`,
    };
  });
  return [...limits, ...requests];
};

const dataDirVolume: Rule = (cluster) => {
  const deployment = cluster.deployment;
  if (!deployment) return [];
  return perPodOrCluster(deployment, (pod) => {
    const dataDir = pod.flags['data-dir'] ?? `/${pod.member || 'default'}.etcd`;
    const mount = [...pod.mounts].sort((a, b) => b.mountPath.length - a.mountPath.length)
      .find((m) => dataDir === m.mountPath || dataDir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
    if (!mount || mount.source === 'emptyDir') {
      return {
        id: 'config-data-dir-volume', category: 'disk', severity: 'crit', member: memberOf(pod),
        title: `${memberOf(pod)}: data dir ${dataDir} is ${mount ? 'on an emptyDir' : 'in the container\'s own filesystem'}: lost when the pod goes`,
        value: mount?.source ?? 'none', threshold: 'hostPath or persistent volume',
        evidence: `${podLabel(pod)}: --data-dir=${dataDir}; volumes ${pod.mounts.map((m) => `${m.mountPath} (${m.source})`).join(', ') || 'none'}`,
        recommendation: 'Mount the data dir from a hostPath on a dedicated SSD (kubeadm: /var/lib/etcd) or a persistent volume.',
      };
    }
    if (mount.source !== 'hostPath') return undefined;
    return {
      id: 'config-data-dir-volume', category: 'disk', severity: 'info', member: memberOf(pod),
      title: `${memberOf(pod)}: data dir on the node's disk (hostPath ${mount.hostPath})`,
      value: 'hostPath', threshold: null,
      evidence: `${podLabel(pod)}: --data-dir=${dataDir} from hostPath ${mount.hostPath}`,
      recommendation: `Whether ${mount.hostPath} is a dedicated SSD the API cannot tell: run kubectl etcd-perf bench disk --dir ${mount.hostPath} on the node (p99 fdatasync under 10 ms).`,
    };
  });
};

const podState: Rule = (cluster) => {
  const deployment = cluster.deployment;
  if (!deployment) return [];
  const restarts = deployment.pods.filter((p) => p.restarts > 0).map((pod): Finding => ({
    id: 'pod-restarts', category: pod.lastTermination === 'OOMKilled' ? 'capacity' : 'membership',
    severity: pod.lastTermination === 'OOMKilled' ? 'crit' : 'warn', member: memberOf(pod),
    title: `${memberOf(pod)}: etcd container restarted ${pod.restarts} time${pod.restarts > 1 ? 's' : ''}${pod.lastTermination ? ` (last: ${pod.lastTermination})` : ''}`,
    value: pod.restarts, threshold: 0, evidence: `${podLabel(pod)}: restartCount ${pod.restarts}, state ${pod.state}`,
    recommendation: pod.lastTermination === 'OOMKilled'
      ? 'The node ran out of memory for etcd: remove memory limits, give the node more memory, and shrink the DB (compact, defragment).'
      : `Read why it stopped: kubectl logs -n ${pod.namespace} ${pod.pod} --previous.`,
  }));
  const warnings = deployment.pods.flatMap((pod) => {
    const events = pod.events.filter((e) => e.type === 'Warning');
    if (events.length === 0) return [];
    const byReason = new Map<string, number>();
    for (const e of events) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + e.count);
    const last = events.map((e) => e.last).filter(Boolean).sort().pop();
    return [{
      id: 'pod-warning-events', category: 'membership' as Category, severity: 'warn' as Severity, member: memberOf(pod),
      title: `${memberOf(pod)}: warning events on ${pod.pod}: ${[...byReason].map(([r, n]) => `${r} x${n}`).join(', ')}`,
      value: events.reduce((n, e) => n + e.count, 0), threshold: 0,
      evidence: `${events.map((e) => `${e.reason}: ${e.message}`).slice(0, 3).join('; ')}${last ? ` (last ${last})` : ''}`,
      recommendation: `kubectl describe pod -n ${pod.namespace} ${pod.pod} shows them in full; probe failures and back-offs mean the member was not serving.`,
    }];
  });
  const usage: Finding[] = deployment.usageError ? [{
    id: 'pod-usage-unknown', category: 'observability', severity: 'info', title: 'etcd pods\' CPU and memory unknown',
    value: null, threshold: null, evidence: deployment.usageError, recommendation: 'Serve the metrics API (metrics-server) to see pod CPU and memory; etcd\'s own RSS is still read from /metrics.',
  }] : [];
  return [...restarts, ...warnings, ...usage];
};

const logSigns: Rule = (cluster) => {
  const deployment = cluster.deployment;
  if (!deployment) return [];
  const hours = deployment.logSeconds / 3600;
  const span = hours >= 1 && Number.isInteger(hours) ? `${hours} h` : `${Math.round(deployment.logSeconds / 60)} min`;
  const unread = deployment.pods.filter((p) => p.logError).map((pod): Finding => ({
    id: 'log-unreadable', category: 'observability', severity: 'info', member: memberOf(pod), title: `${memberOf(pod)}: log not read`,
    value: null, threshold: null, evidence: pod.logError as string, recommendation: 'Allow get on pods/log to fold the members\' logs into check.',
  }));
  const signs = deployment.pods.flatMap((pod) => LOG_SIGNS.flatMap((sign) => {
    const entry = pod.log?.events[sign.kind];
    if (!entry || entry.count === 0) return [];
    return [{
      id: sign.id, category: sign.category, severity: sign.severity, member: memberOf(pod),
      title: `${memberOf(pod)}: ${countInWords(entry)} ${sign.what} in the last ${span} of its log`,
      value: entry.worstMs ?? entry.count, threshold: null,
      evidence: `${podLabel(pod)} log: ${describeWindow(entry)}`,
      recommendation: sign.recommendation,
    }];
  }));
  return [...signs, ...unread];
};

export const DEPLOYMENT_RULES: readonly Rule[] = [configAudit, timingFlagsEqual, timingVsRtt, quotaVsNodeMemory, resources, dataDirVolume, podState, logSigns];
