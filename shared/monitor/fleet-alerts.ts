// Alert rules on the exporter's metrics (`serve`), for one Prometheus that serves a fleet: every rule keeps the
// `cluster` label (an external or target label that tells clusters apart), so one rule file covers every cluster and
// an alert says which. The findings alert by their own severity (check's thresholds decide, not the rules); the
// verdict, the exporter reaching nothing, a failed maintenance and an exporter Prometheus cannot scrape alert too.

import { ADVICE } from '../analyse/advice.ts';
import type { Category } from '../analyse/finding.ts';
import type { AlertRule } from './alerts.ts';

/** What to do, by the finding's category: the runbook of a finding alert (the exact recommendation is in /report). */
const BY_CATEGORY: Record<Category, string> = {
  disk: ADVICE.walFsync,
  network: ADVICE.peerRtt,
  capacity: ADVICE.quota,
  overload: ADVICE.slowRequests,
  membership: ADVICE.memberDown,
  observability: 'etcd-perf could not read part of what it needs (metrics, logs, pod facts): the finding says which and why.',
  version: 'Move to the etcd release the finding names, one minor version at a time (kubectl etcd-perf check lists the known bugs of the running version).',
};

/** A Go template choosing the runbook by the series' category label. */
function runbookByCategory(): string {
  const branches = Object.entries(BY_CATEGORY).map(([category, text], i) => `{{ ${i === 0 ? 'if' : 'else if'} eq $labels.category "${category}" }}${text}`);
  return `${branches.join('')}{{ end }}`;
}

export interface FleetAlertOptions {
  /** Label matchers that pick the exporters' series (and their `up`), without braces: job="etcd-perf". */
  selector: string;
  /** The label that tells clusters apart. */
  clusterLabel: string;
}

export function fleetAlertRules({ selector: s, clusterLabel: c }: FleetAlertOptions): AlertRule[] {
  const cluster = `{{ $labels.${c} }}`;
  const report = 'The exporter\'s report says what was measured and what to do: http://{{ $labels.instance }}/report';
  const rule = (alert: string, severity: 'warning' | 'critical', expr: string, holdFor: string, summary: string, description: string, runbook: string): AlertRule =>
    ({ alert, expr, for: holdFor, labels: { severity }, annotations: { summary, description, runbook } });
  const finding = (severity: 'warn' | 'crit'): string => `etcd_perf_finding{${s}, severity="${severity}"} == 1`;
  return [
    rule('EtcdPerfClusterCritical', 'critical', `max by (${c}) (etcd_perf_verdict{${s}, status="critical"}) == 1`, '5m',
      `etcd cluster ${cluster} is critical`,
      `etcd-perf's verdict for cluster ${cluster} has been critical for 5 minutes; the EtcdPerfFindingCritical alerts of this cluster say why.`,
      'Open the exporter\'s /report (or run kubectl etcd-perf check against the cluster) and act on its critical findings first.'),
    rule('EtcdPerfClusterDegraded', 'warning', `max by (${c}) (etcd_perf_verdict{${s}, status="degraded"}) == 1`, '30m',
      `etcd cluster ${cluster} is degraded`,
      `etcd-perf's verdict for cluster ${cluster} has been degraded for 30 minutes; the EtcdPerfFindingWarning alerts of this cluster say why.`,
      'Open the exporter\'s /report (or run kubectl etcd-perf check) and work through its warnings.'),
    rule('EtcdPerfFindingCritical', 'critical', finding('crit'), '5m',
      `etcd cluster ${cluster}: {{ $labels.id }}{{ with $labels.member }} on {{ . }}{{ end }}`,
      `Finding {{ $labels.id }} ({{ $labels.category }}) of cluster ${cluster}{{ with $labels.member }}, member {{ . }}{{ end }}, has been critical for 5 minutes. ${report}`,
      runbookByCategory()),
    rule('EtcdPerfFindingWarning', 'warning', finding('warn'), '15m',
      `etcd cluster ${cluster}: {{ $labels.id }}{{ with $labels.member }} on {{ . }}{{ end }}`,
      `Finding {{ $labels.id }} ({{ $labels.category }}) of cluster ${cluster}{{ with $labels.member }}, member {{ . }}{{ end }}, has held for 15 minutes. ${report}`,
      runbookByCategory()),
    rule('EtcdPerfCannotReachEtcd', 'critical', `etcd_perf_up{${s}} == 0`, '5m',
      `the etcd-perf exporter of cluster ${cluster} reaches no etcd member`,
      `For 5 minutes every collection of {{ $labels.instance }} failed to reach a member of cluster ${cluster}: etcd is down, or the exporter's certificates or network are wrong (its log says which).`,
      ADVICE.memberDown),
    rule('EtcdPerfMaintenanceFailed', 'warning', `etcd_perf_last_maintenance_success{${s}} == 0`, '1m',
      `the last etcd maintenance of cluster ${cluster} did not finish ({{ $labels.outcome }})`,
      `The last maintenance recorded in cluster ${cluster}'s etcd ended {{ $labels.outcome }}: some members were not defragmented. ${report}`,
      'Read the maintenance job\'s log (its audit trail) for the reason; kubectl etcd-perf maintain --dry-run shows what would run now.'),
    rule('EtcdPerfExporterDown', 'warning', `up{${s}} == 0`, '10m',
      `Prometheus cannot scrape the etcd-perf exporter {{ $labels.instance }} of cluster ${cluster}`,
      `{{ $labels.instance }} has not answered Prometheus for 10 minutes: nothing etcd-perf finds in cluster ${cluster} reaches the alerts.`,
      'Check the exporter\'s pod (kubectl -n etcd-perf get pods; its log) and that Prometheus can reach it.'),
  ];
}
