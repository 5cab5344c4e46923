// A Grafana dashboard for etcd, as data: a data source variable, an instance variable, and one panel per question an
// on-call engineer asks (how big, how fragmented, how close to the quota, how slow is the disk, the network, who leads,
// how much load). Latency panels draw etcd's guidance as threshold lines, the same numbers `check` and `alerts` use.

import { THRESHOLDS } from '../analyse/thresholds.ts';

/** Every panel and the instance variable query the data source the user picks. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

export interface DashboardOptions {
  /** Label matchers that pick etcd's series, without braces. */
  selector: string;
  title: string;
  uid: string;
}

export interface PanelTarget { refId: string; expr: string; legendFormat: string; datasource: typeof DATASOURCE; instant?: boolean; format?: 'table' }

export interface Panel {
  id: number;
  type: 'timeseries' | 'table';
  title: string;
  description: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: typeof DATASOURCE;
  targets: PanelTarget[];
  fieldConfig: { defaults: Record<string, unknown>; overrides: unknown[] };
  options: Record<string, unknown>;
}

interface PanelSpec {
  /** A table of the query's current result (instant), instead of lines over time. */
  table?: boolean;
  title: string;
  description: string;
  unit: string;
  /** Drawn as a dashed line: [value, colour] from the lowest. */
  thresholds?: Array<[number, string]>;
  targets: Array<[expr: string, legend: string]>;
}

function panel(spec: PanelSpec, index: number): Panel {
  const steps = [{ color: 'green', value: null as number | null }, ...(spec.thresholds ?? []).map(([value, color]) => ({ color, value }))];
  return {
    id: index + 1,
    type: spec.table ? 'table' : 'timeseries',
    title: spec.title,
    description: spec.description,
    gridPos: { x: (index % 2) * 12, y: Math.floor(index / 2) * 8, w: 12, h: 8 },
    datasource: DATASOURCE,
    targets: spec.targets.map(([expr, legendFormat], i) => ({
      refId: String.fromCharCode(65 + i), expr, legendFormat, datasource: DATASOURCE, ...(spec.table ? { instant: true, format: 'table' as const } : {}),
    })),
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        min: 0,
        thresholds: { mode: 'absolute', steps },
        custom: { thresholdsStyle: { mode: spec.thresholds ? 'dashed' : 'off' }, lineWidth: 1, fillOpacity: 0, showPoints: 'never' },
      },
      overrides: [],
    },
    options: spec.table
      ? { showHeader: true, sortBy: [{ displayName: 'Value', desc: true }] }
      : { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

/**
 * The fleet view, on the exporters' metrics (`serve`): clusters by verdict, the worst findings of every cluster, and
 * each cluster's worst member for size, fragmentation, quota and latency, by `clusterLabel`.
 */
export function fleetPanels(selector: string, clusterLabel: string): Panel[] {
  const s = [selector, `${clusterLabel}=~"$cluster"`].filter((p) => p !== '').join(', ');
  const c = clusterLabel;
  const worst = (metric: string, scale = ''): string => `max by (${c}) (etcd_perf_${metric}{${s}})${scale}`;
  const specs: PanelSpec[] = [
    {
      title: 'Clusters by verdict', unit: 'short',
      description: 'How many clusters etcd-perf judges healthy, degraded and critical.',
      targets: [[`count by (status) (etcd_perf_verdict{${s}} == 1)`, '{{status}}']],
    },
    {
      title: 'Verdict and bottleneck by cluster', unit: 'short', table: true,
      description: 'Each cluster\'s verdict now (1), and the likely bottleneck: the exporter\'s /report says why.',
      targets: [[`max by (${c}, status) (etcd_perf_verdict{${s}}) == 1`, '{{' + c + '}} {{status}}'], [`max by (${c}, bottleneck) (etcd_perf_bottleneck{${s}})`, '{{' + c + '}} {{bottleneck}}']],
    },
    {
      title: 'Worst findings', unit: 'short', table: true,
      description: 'Every warning and critical finding of every cluster now, critical first.',
      targets: [[`sort_desc(max by (${c}, id, member, severity) (etcd_perf_finding{${s}, severity="crit"}) * 2 or max by (${c}, id, member, severity) (etcd_perf_finding{${s}, severity="warn"}))`, '{{' + c + '}} {{id}} {{member}}']],
    },
    {
      title: 'Quota use, worst member', unit: 'percent', thresholds: [[THRESHOLDS.quotaUsedWarnPercent, 'orange'], [THRESHOLDS.quotaUsedCritPercent, 'red']],
      description: 'Per cluster, the member whose DB is closest to its quota. At 100 % etcd refuses writes.',
      targets: [[worst('quota_used_ratio', ' * 100'), '{{' + c + '}}']],
    },
    {
      title: 'Fragmentation, worst member', unit: 'percent', thresholds: [[THRESHOLDS.fragmentationWarnPercent, 'orange']],
      description: 'Per cluster, the most fragmented member; and what a defragmentation would free over all members.',
      targets: [[worst('db_fragmentation_ratio', ' * 100'), '{{' + c + '}}']],
    },
    {
      title: 'Freeable space', unit: 'bytes',
      description: 'Per cluster, bytes a defragmentation of every member would give back (the scheduled maintenance does it past its thresholds).',
      targets: [[`sum by (${c}) (etcd_perf_db_freeable_bytes{${s}})`, '{{' + c + '}}']],
    },
    {
      title: 'WAL fsync p99, worst member', unit: 's', thresholds: [[THRESHOLDS.walFsyncP99WarnSeconds, 'orange'], [THRESHOLDS.walFsyncP99CritSeconds, 'red']],
      description: 'Per cluster, the slowest member\'s fsync p99 over each collection\'s window.',
      targets: [[worst('wal_fsync_p99_seconds'), '{{' + c + '}}']],
    },
    {
      title: 'Peer round trip p99, worst member', unit: 's', thresholds: [[0.05, 'orange']],
      description: 'Per cluster, the slowest member\'s peer RTT p99 over each collection\'s window.',
      targets: [[worst('peer_rtt_p99_seconds'), '{{' + c + '}}']],
    },
    {
      title: 'Since the last maintenance', unit: 's',
      description: 'Per cluster, time since the last maintenance recorded in its etcd ended, and whether it finished (1) or not (0).',
      targets: [[`time() - ${worst('last_maintenance_timestamp_seconds')}`, '{{' + c + '}} age'], [`min by (${c}) (etcd_perf_last_maintenance_success{${s}})`, '{{' + c + '}} finished']],
    },
    {
      title: 'Exporters', unit: 'short',
      description: 'Per cluster, whether its exporter reaches etcd (1), and how long its collections take.',
      targets: [[`min by (${c}) (etcd_perf_up{${s}})`, '{{' + c + '}} up'], [worst('last_collection_duration_seconds'), '{{' + c + '}} collection s']],
    },
  ];
  return specs.map(panel);
}

export function dashboardPanels(selector: string): Panel[] {
  const s = [selector, 'instance=~"$instance"'].filter((p) => p !== '').join(', ');
  const p99 = (metric: string, by: string): string =>
    `histogram_quantile(0.99, sum by (${by}, le) (rate(${metric}_bucket{${s}}[$__rate_interval])))`;
  const specs: PanelSpec[] = [
    {
      title: 'DB size and in use', unit: 'bytes',
      description: 'The database file (size) and the part of it holding live data (in use). The gap is free space that only a defragmentation returns.',
      targets: [[`etcd_mvcc_db_total_size_in_bytes{${s}}`, '{{instance}} size'], [`etcd_mvcc_db_total_size_in_use_in_bytes{${s}}`, '{{instance}} in use']],
    },
    {
      title: 'Fragmentation', unit: 'percent', thresholds: [[THRESHOLDS.fragmentationWarnPercent, 'orange']],
      description: 'Free space inside the file, as % of its size. Above 50 % with much to free: kubectl etcd-perf maintain.',
      targets: [[`(1 - etcd_mvcc_db_total_size_in_use_in_bytes{${s}} / etcd_mvcc_db_total_size_in_bytes{${s}}) * 100`, '{{instance}}']],
    },
    {
      title: 'Quota use', unit: 'percent', thresholds: [[THRESHOLDS.quotaUsedWarnPercent, 'orange'], [THRESHOLDS.quotaUsedCritPercent, 'red']],
      description: 'DB size as % of --quota-backend-bytes. At 100 % etcd raises NOSPACE and refuses writes.',
      targets: [[`etcd_mvcc_db_total_size_in_bytes{${s}} / etcd_server_quota_backend_bytes{${s}} * 100`, '{{instance}}']],
    },
    {
      title: 'WAL fsync p99', unit: 's', thresholds: [[THRESHOLDS.walFsyncP99WarnSeconds, 'orange'], [THRESHOLDS.walFsyncP99CritSeconds, 'red']],
      description: 'Every write waits for it. etcd\'s guidance: p99 under 10 ms.',
      targets: [[p99('etcd_disk_wal_fsync_duration_seconds', 'instance'), '{{instance}}']],
    },
    {
      title: 'Backend commit p99', unit: 's', thresholds: [[THRESHOLDS.backendCommitP99WarnSeconds, 'orange'], [THRESHOLDS.backendCommitP99CritSeconds, 'red']],
      description: 'Commits of the bbolt backend. etcd\'s guidance: p99 under 25 ms.',
      targets: [[p99('etcd_disk_backend_commit_duration_seconds', 'instance'), '{{instance}}']],
    },
    {
      title: 'Peer round trip p99', unit: 's', thresholds: [[0.05, 'orange']],
      description: 'Between members, by peer. Heartbeats ride on it: --heartbeat-interval should be about the worst RTT.',
      targets: [[p99('etcd_network_peer_round_trip_time_seconds', 'instance, To'), '{{instance}} → {{To}}']],
    },
    {
      title: 'Leader changes and leader', unit: 'short',
      description: 'Leader changes seen in the last hour (each stalls writes), and which member leads (1).',
      targets: [[`increase(etcd_server_leader_changes_seen_total{${s}}[1h])`, '{{instance}} changes/h'], [`etcd_server_is_leader{${s}}`, '{{instance}} is leader']],
    },
    {
      title: 'Proposals', unit: 'short',
      description: 'Raft proposals committed and applied per second, pending now, and failed per second (failures come with elections).',
      targets: [
        [`rate(etcd_server_proposals_committed_total{${s}}[$__rate_interval])`, '{{instance}} committed/s'],
        [`rate(etcd_server_proposals_applied_total{${s}}[$__rate_interval])`, '{{instance}} applied/s'],
        [`etcd_server_proposals_pending{${s}}`, '{{instance}} pending'],
        [`rate(etcd_server_proposals_failed_total{${s}}[$__rate_interval])`, '{{instance}} failed/s'],
      ],
    },
    {
      title: 'gRPC requests and errors', unit: 'reqps',
      description: 'Requests finished per second by method, and those that ended with an error code.',
      targets: [
        [`sum by (instance, grpc_method) (rate(grpc_server_handled_total{${s}, grpc_type="unary"}[$__rate_interval]))`, '{{instance}} {{grpc_method}}'],
        [`sum by (instance, grpc_code) (rate(grpc_server_handled_total{${s}, grpc_code!="OK"}[$__rate_interval]))`, '{{instance}} {{grpc_code}}'],
      ],
    },
    {
      title: 'Memory (RSS)', unit: 'bytes', thresholds: [[THRESHOLDS.residentMemoryWarnBytes, 'orange']],
      description: 'Resident memory of each etcd process: it grows with the DB size and with watchers.',
      targets: [[`process_resident_memory_bytes{${s}}`, '{{instance}}']],
    },
  ];
  return specs.map(panel);
}

/** The dashboard JSON Grafana imports (Dashboards > New > Import), with a data source and an instance variable (a cluster variable for the fleet). */
export function grafanaDashboard(options: DashboardOptions & { fleet?: { clusterLabel: string } }): Record<string, unknown> {
  const fleet = options.fleet;
  const variable = fleet ? fleet.clusterLabel : 'instance';
  const values = `label_values(${fleet ? 'etcd_perf_verdict' : 'etcd_server_has_leader'}${options.selector ? `{${options.selector}}` : ''}, ${variable})`;
  return {
    title: options.title,
    uid: options.uid,
    description: fleet ? 'etcd clusters of a fleet as etcd-perf judges them, from kubectl etcd-perf dashboard --on exporter' : 'etcd health and performance, from kubectl etcd-perf dashboard',
    tags: ['etcd', 'etcd-perf'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    timezone: '',
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1 },
        {
          name: fleet ? 'cluster' : 'instance', label: fleet ? 'Cluster' : 'Member', type: 'query', datasource: DATASOURCE,
          query: { query: values, refId: variable }, definition: values,
          multi: true, includeAll: true, allValue: '.+', current: { text: 'All', value: '$__all' }, refresh: 2, sort: 1, hide: 0,
        },
      ],
    },
    annotations: { list: [] },
    panels: fleet ? fleetPanels(options.selector, fleet.clusterLabel) : dashboardPanels(options.selector),
  };
}
