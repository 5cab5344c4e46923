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

export interface PanelTarget { refId: string; expr: string; legendFormat: string; datasource: typeof DATASOURCE }

export interface Panel {
  id: number;
  type: 'timeseries';
  title: string;
  description: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: typeof DATASOURCE;
  targets: PanelTarget[];
  fieldConfig: { defaults: Record<string, unknown>; overrides: unknown[] };
  options: Record<string, unknown>;
}

interface PanelSpec {
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
    type: 'timeseries',
    title: spec.title,
    description: spec.description,
    gridPos: { x: (index % 2) * 12, y: Math.floor(index / 2) * 8, w: 12, h: 8 },
    datasource: DATASOURCE,
    targets: spec.targets.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat, datasource: DATASOURCE })),
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        min: 0,
        thresholds: { mode: 'absolute', steps },
        custom: { thresholdsStyle: { mode: spec.thresholds ? 'dashed' : 'off' }, lineWidth: 1, fillOpacity: 0, showPoints: 'never' },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
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

/** The dashboard JSON Grafana imports (Dashboards > New > Import), with a data source and an instance variable. */
export function grafanaDashboard(options: DashboardOptions): Record<string, unknown> {
  const instances = `label_values(etcd_server_has_leader${options.selector ? `{${options.selector}}` : ''}, instance)`;
  return {
    title: options.title,
    uid: options.uid,
    description: 'etcd health and performance, from kubectl etcd-perf dashboard',
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
          name: 'instance', label: 'Member', type: 'query', datasource: DATASOURCE,
          query: { query: instances, refId: 'instance' }, definition: instances,
          multi: true, includeAll: true, allValue: '.+', current: { text: 'All', value: '$__all' }, refresh: 2, sort: 1, hide: 0,
        },
      ],
    },
    annotations: { list: [] },
    panels: dashboardPanels(options.selector),
  };
}
