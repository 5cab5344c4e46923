// What `dashboard` asks: the Grafana dashboard for etcd as JSON to import or provision, its inputs checked.

import { parseSelector } from '../collect/label-matchers.ts';
import { grafanaDashboard } from '../monitor/dashboard.ts';
import { UsageError } from '../util/errors.ts';
import type { InputSpec } from '../util/input.ts';
import { ALERT_DEFAULTS } from './alerts.ts';

export const DASHBOARD_DEFAULTS = { selector: ALERT_DEFAULTS.selector, title: 'etcd', uid: 'etcd-perf' } as const;

export const DASHBOARD_INPUTS: ReadonlyArray<InputSpec<'selector' | 'title' | 'uid'>> = [
  { name: 'selector', value: 'matchers', default: DASHBOARD_DEFAULTS.selector, help: 'label matchers that pick etcd\'s series' },
  { name: 'title', value: 'title', default: DASHBOARD_DEFAULTS.title, help: 'the dashboard\'s title' },
  { name: 'uid', value: 'uid', default: DASHBOARD_DEFAULTS.uid, help: 'the dashboard\'s uid (stable, so re-imports replace it)' },
];

export function dashboardDocument(given: { selector?: string; title?: string; uid?: string }): { text: string; panels: number } {
  const uid = given.uid ?? DASHBOARD_DEFAULTS.uid;
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) throw new UsageError(`"${uid}" is not a Grafana uid (letters, digits, - and _, at most 40)`, 'uid');
  const dashboard = grafanaDashboard({ selector: parseSelector(given.selector ?? DASHBOARD_DEFAULTS.selector), title: given.title ?? DASHBOARD_DEFAULTS.title, uid });
  return { text: `${JSON.stringify(dashboard, null, 2)}\n`, panels: (dashboard.panels as unknown[]).length };
}
