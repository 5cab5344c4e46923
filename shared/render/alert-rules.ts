// Alert rules as the YAML Prometheus reads: a plain rules file (promtool check rules), or a PrometheusRule object for
// the Prometheus Operator.

import { stringify as toYaml } from 'yaml';
import type { AlertRule } from '../monitor/alerts.ts';

export const ALERT_FORMATS = ['prometheusrule', 'rules'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

export function renderAlertRules(rules: AlertRule[], options: { format: AlertFormat; name: string; namespace: string; fleet?: boolean }): string {
  const groups = [{ name: options.name, rules }];
  const document = options.format === 'rules'
    ? { groups }
    : {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: options.name, namespace: options.namespace, labels: { 'app.kubernetes.io/name': 'etcd-perf', 'app.kubernetes.io/component': 'alert-rules' } },
      spec: { groups },
    };
  const about = options.fleet
    ? 'On the exporters\' metrics (kubectl etcd-perf serve), one rule set for every cluster, keyed by its cluster label.'
    : 'Latency quantiles over rate(...[5m]), thresholds per etcd\'s guidance.';
  return `# Alert rules for etcd from kubectl etcd-perf alerts. ${about}\n${toYaml(document, { lineWidth: 0 })}`;
}
