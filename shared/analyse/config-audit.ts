// Audit of an etcd configuration: each finding names the flag, says why, recommends a concrete value, and carries a
// fix that sets it (collect/etcd-config.ts setFlag), shared by the editor's quick fixes and the Kubernetes config
// audit in `check` (deployment-rules.ts). Pure.

import type { EtcdConfig, Span } from '../collect/etcd-config.ts';
import { GiB } from '../util/bytes.ts';
import type { Severity } from './finding.ts';

export interface ConfigFix {
  flag: string;
  value: string;
}

export interface ConfigFinding {
  id: string;
  severity: Severity;
  flag: string;
  title: string;
  recommendation: string;
  fix?: ConfigFix;
  /** Where the finding points: the flag's entry, or (for a missing flag) the insertion point. */
  span: Span;
}

const MAX_QUOTA = 8 * GiB;

function duration(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? fallback : n;
}

export function auditConfig(config: EtcdConfig): ConfigFinding[] {
  const get = (flag: string): string | undefined => config.flags.get(flag)?.value;
  const at = (flag: string): Span => config.flags.get(flag)?.span ?? { start: config.insert.offset, end: config.insert.offset, valueStart: config.insert.offset, valueEnd: config.insert.offset };
  const out: ConfigFinding[] = [];

  const quota = get('quota-backend-bytes');
  if (quota === undefined) {
    out.push({ id: 'config-quota-default', severity: 'info', flag: 'quota-backend-bytes', span: at('quota-backend-bytes'),
      title: 'no --quota-backend-bytes: etcd refuses writes at its 2 GiB default',
      recommendation: 'Set it explicitly, at most 8 GiB (8589934592), and monitor the DB size against it.',
      fix: { flag: 'quota-backend-bytes', value: String(MAX_QUOTA) } });
  } else if (Number(quota) > MAX_QUOTA) {
    out.push({ id: 'config-quota-large', severity: 'warn', flag: 'quota-backend-bytes', span: at('quota-backend-bytes'),
      title: `--quota-backend-bytes ${quota} is above 8 GiB, the largest size etcd is tested and tuned for`,
      recommendation: 'Keep the quota at or below 8589934592 and find what fills the keyspace instead.',
      fix: { flag: 'quota-backend-bytes', value: String(MAX_QUOTA) } });
  }

  const heartbeat = duration(get('heartbeat-interval'), 100);
  const election = duration(get('election-timeout'), 1000);
  if (election < 5 * heartbeat) {
    out.push({ id: 'config-election-timeout', severity: 'warn', flag: 'election-timeout', span: at('election-timeout'),
      title: `--election-timeout ${election} ms is less than 5x --heartbeat-interval ${heartbeat} ms: members will call needless elections`,
      recommendation: `Set --election-timeout to 10x the heartbeat interval: ${heartbeat * 10}.`,
      fix: { flag: 'election-timeout', value: String(heartbeat * 10) } });
  }

  const retention = get('auto-compaction-retention');
  if (config.kind === 'manifest' && retention !== undefined && retention !== '0') {
    out.push({ id: 'config-auto-compaction-redundant', severity: 'info', flag: 'auto-compaction-retention', span: at('auto-compaction-retention'),
      title: 'etcd auto-compaction next to kube-apiserver\'s, which already compacts every 5 minutes',
      recommendation: 'Either is enough; keep kube-apiserver\'s (--etcd-compaction-interval) and drop this flag, or keep both knowingly.' });
  } else if (config.kind !== 'manifest' && (retention === undefined || retention === '0')) {
    out.push({ id: 'config-auto-compaction', severity: 'warn', flag: 'auto-compaction-retention', span: at('auto-compaction-retention'),
      title: 'no auto-compaction: the history grows until the quota is reached',
      recommendation: 'Compact periodically: --auto-compaction-retention=1h (mode periodic), or run kubectl etcd-perf compact on a schedule.',
      fix: { flag: 'auto-compaction-retention', value: '1h' } });
  }

  const snapshots = get('snapshot-count');
  if (snapshots !== undefined && Number(snapshots) > 100_000) {
    out.push({ id: 'config-snapshot-count', severity: 'warn', flag: 'snapshot-count', span: at('snapshot-count'),
      title: `--snapshot-count ${snapshots} keeps that many raft entries in memory between snapshots`,
      recommendation: 'Use 10000 (etcd 3.5\'s default): less memory and faster recovery of slow followers.',
      fix: { flag: 'snapshot-count', value: '10000' } });
  }

  if (get('listen-metrics-urls') === undefined) {
    out.push({ id: 'config-metrics-url', severity: 'warn', flag: 'listen-metrics-urls', span: at('listen-metrics-urls'),
      title: 'no --listen-metrics-urls: metrics only on the client port, which needs client certificates to scrape',
      recommendation: 'Serve /metrics and /health on a separate plain-HTTP listener, as kubeadm does: http://127.0.0.1:2381.',
      fix: { flag: 'listen-metrics-urls', value: 'http://127.0.0.1:2381' } });
  }
  return out;
}
