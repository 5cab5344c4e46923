// What `dashboard` asks: the Grafana dashboard for etcd as JSON to import or provision, its inputs checked.

import { parseSelector } from '../collect/label-matchers.ts';
import { grafanaDashboard } from '../monitor/dashboard.ts';
import { input, UsageError } from '../util/errors.ts';
import { choice, type InputSpec } from '../util/input.ts';
import { ALERT_DEFAULTS, ALERT_SOURCES, labelName } from './alerts.ts';

export const DASHBOARD_DEFAULTS = { selector: ALERT_DEFAULTS.selector, title: 'etcd', uid: 'etcd-perf', fleetTitle: 'etcd fleet', fleetUid: 'etcd-perf-fleet' } as const;

export const DASHBOARD_INPUTS: ReadonlyArray<InputSpec<'selector' | 'title' | 'uid' | 'on' | 'clusterLabel'>> = [
  { name: 'on', value: 'metrics', default: ALERT_DEFAULTS.on, help: `etcd (its own metrics: one cluster, by member) or exporter (the fleet view on kubectl etcd-perf serve's metrics: clusters by verdict, worst findings, by ${input('clusterLabel')})` },
  { name: 'selector', value: 'matchers', help: `label matchers that pick the series (default ${ALERT_DEFAULTS.selector}; with ${input('on')} exporter ${ALERT_DEFAULTS.exporterSelector})` },
  { name: 'clusterLabel', value: 'label', default: ALERT_DEFAULTS.clusterLabel, help: `with ${input('on')} exporter: the label that tells clusters apart` },
  { name: 'title', value: 'title', help: `the dashboard's title (default "${DASHBOARD_DEFAULTS.title}", or "${DASHBOARD_DEFAULTS.fleetTitle}")` },
  { name: 'uid', value: 'uid', help: `the dashboard's uid, stable so re-imports replace it (default ${DASHBOARD_DEFAULTS.uid}, or ${DASHBOARD_DEFAULTS.fleetUid})` },
];

export function dashboardDocument(given: { selector?: string; title?: string; uid?: string; on?: string; clusterLabel?: string }): { text: string; panels: number } {
  const fleet = choice(given.on ?? ALERT_DEFAULTS.on, ALERT_SOURCES, 'on', 'metrics') === 'exporter';
  const uid = given.uid ?? (fleet ? DASHBOARD_DEFAULTS.fleetUid : DASHBOARD_DEFAULTS.uid);
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) throw new UsageError(`"${uid}" is not a Grafana uid (letters, digits, - and _, at most 40)`, 'uid');
  const clusterLabel = labelName(given.clusterLabel ?? ALERT_DEFAULTS.clusterLabel, 'clusterLabel');
  const dashboard = grafanaDashboard({
    selector: parseSelector(given.selector ?? (fleet ? ALERT_DEFAULTS.exporterSelector : DASHBOARD_DEFAULTS.selector)),
    title: given.title ?? (fleet ? DASHBOARD_DEFAULTS.fleetTitle : DASHBOARD_DEFAULTS.title), uid,
    ...(fleet ? { fleet: { clusterLabel } } : {}),
  });
  return { text: `${JSON.stringify(dashboard, null, 2)}\n`, panels: (dashboard.panels as unknown[]).length };
}
