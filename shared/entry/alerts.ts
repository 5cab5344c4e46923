// What `alerts` and the extension's Generate Alert Rules ask: the alert rules for etcd as a document, with every
// threshold the user overrides checked (a bad one is a usage error naming its field).

import { parseSelector } from '../collect/label-matchers.ts';
import { ALERT_THRESHOLDS, alertRules, DEFAULT_ALERT_THRESHOLDS, type AlertThresholds, type ThresholdKind } from '../monitor/alerts.ts';
import { fleetAlertRules } from '../monitor/fleet-alerts.ts';
import { ALERT_FORMATS, renderAlertRules, type AlertFormat } from '../render/alert-rules.ts';
import { GiB, MiB } from '../util/bytes.ts';
import { input, UsageError, type Field } from '../util/errors.ts';
import { bytes, choice, duration, type InputSpec } from '../util/input.ts';

export { ALERT_FORMATS, ALERT_THRESHOLDS, DEFAULT_ALERT_THRESHOLDS, type AlertFormat };

/** What each format is for. */
export const ALERT_FORMAT_NAMES: Record<AlertFormat, { label: string; about: string }> = {
  prometheusrule: { label: 'PrometheusRule', about: 'for the Prometheus Operator (kubectl apply -f)' },
  rules: { label: 'Rules file', about: 'for Prometheus\' rule_files (promtool check rules)' },
};

/** Why `text` is no selector, or undefined when it is one. */
export function selectorProblem(text: string): string | undefined {
  try {
    parseSelector(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export const ALERT_DEFAULTS = {
  format: 'prometheusrule', namespace: 'monitoring', name: 'etcd-perf', selector: 'job=~".*etcd.*"', on: 'etcd',
  exporterSelector: 'job=~".*etcd-perf.*"', clusterLabel: 'cluster',
} as const;

/** Which metrics the rules read: etcd's own, or the exporter's (serve), fleet-wide by cluster. */
export const ALERT_SOURCES = ['etcd', 'exporter'] as const;

export const ALERT_INPUTS: ReadonlyArray<InputSpec<Field>> = [
  { name: 'format', value: 'format', default: ALERT_DEFAULTS.format, help: ALERT_FORMATS.map((f) => `${f} (${ALERT_FORMAT_NAMES[f].label}: ${ALERT_FORMAT_NAMES[f].about})`).join(' or ') },
  { name: 'namespace', value: 'namespace', default: ALERT_DEFAULTS.namespace, help: 'the PrometheusRule\'s namespace' },
  { name: 'name', value: 'name', default: ALERT_DEFAULTS.name, help: 'the PrometheusRule\'s name and the rule group\'s' },
  { name: 'on', value: 'metrics', default: ALERT_DEFAULTS.on, help: `etcd (its own metrics, per member) or exporter (kubectl etcd-perf serve's: verdict and findings, fleet-wide by ${input('clusterLabel')})` },
  { name: 'selector', value: 'matchers', help: `label matchers that pick the series (default ${ALERT_DEFAULTS.selector}; with ${input('on')} exporter ${ALERT_DEFAULTS.exporterSelector})` },
  { name: 'clusterLabel', value: 'label', default: ALERT_DEFAULTS.clusterLabel, help: `with ${input('on')} exporter: the label that tells clusters apart (an external or target label)` },
  ...ALERT_THRESHOLDS.map((t) => ({ name: t.field, value: 'value', default: thresholdDefault(t.key, t.kind), help: t.help })),
];

export interface AlertsInput {
  format?: string;
  name?: string;
  namespace?: string;
  selector?: string;
  on?: string;
  clusterLabel?: string;
  /** Threshold overrides as typed, by field (see ALERT_THRESHOLDS). */
  thresholds?: Partial<Record<Field, string>>;
}

function threshold(text: string, kind: ThresholdKind, field: Field): number {
  const fail = (expected: string): never => { throw new UsageError(`expected ${expected}, got "${text}"`, field); };
  switch (kind) {
    case 'duration': return duration(text, field, { ok: (ms) => ms > 0, says: `expected a duration above 0 such as 10ms, got "${text}"` }) / 1000;
    case 'bytes': return bytes(text, field, '6GiB');
    case 'percent': {
      const value = Number(text.replace(/%$/, ''));
      return text.trim() !== '' && value > 0 && value < 100 ? value : fail('a percentage between 0 and 100');
    }
    case 'hours': {
      const value = Number(text.replace(/h$/, ''));
      return Number.isInteger(value) && value > 0 ? value : fail('a whole number of hours');
    }
    default: {
      const value = Number(text);
      return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : fail('a number');
    }
  }
}

/** A threshold's default as a user would type it (for help texts). */
function thresholdDefault(key: keyof AlertThresholds, kind: ThresholdKind): string {
  const value = DEFAULT_ALERT_THRESHOLDS[key];
  switch (kind) {
    case 'duration': return `${Number((value * 1000).toPrecision(12))}ms`;
    case 'bytes': return value % GiB === 0 ? `${value / GiB}GiB` : `${value / MiB}MiB`;
    case 'percent': return `${value}%`;
    case 'hours': return `${value}h`;
    default: return String(value);
  }
}

/** A Prometheus label name, as given. */
export function labelName(text: string, field: Field): string {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(text)) throw new UsageError(`"${text}" is not a Prometheus label name`, field);
  return text;
}

/** The name Kubernetes accepts for the PrometheusRule made for a cluster shown under `cluster`. */
export function alertRulesName(cluster: string): string {
  return `etcd-perf-${cluster.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 63);
}

/** The rules as a document, and how many. */
export function alertsDocument(given: AlertsInput): { text: string; rules: number; name: string; format: AlertFormat } {
  const thresholds: AlertThresholds = { ...DEFAULT_ALERT_THRESHOLDS };
  for (const t of ALERT_THRESHOLDS) {
    const text = given.thresholds?.[t.field];
    if (text !== undefined) thresholds[t.key] = threshold(text, t.kind, t.field);
  }
  const above = (crit: Field, warn: Field): never => { throw new UsageError(`${input(crit)} must be above ${input(warn)}`, crit); };
  if (thresholds.walFsyncCritSeconds <= thresholds.walFsyncWarnSeconds) above('walFsyncCrit', 'walFsyncWarn');
  if (thresholds.backendCommitCritSeconds <= thresholds.backendCommitWarnSeconds) above('backendCommitCrit', 'backendCommitWarn');
  if (thresholds.quotaCritPercent <= thresholds.quotaWarnPercent) above('quotaCrit', 'quotaWarn');
  const format = choice(given.format ?? ALERT_DEFAULTS.format, ALERT_FORMATS, 'format', 'format');
  const name = given.name ?? ALERT_DEFAULTS.name;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new UsageError(`"${name}" is not a valid Kubernetes name (lowercase letters, digits, - and .)`, 'name');
  const on = choice(given.on ?? ALERT_DEFAULTS.on, ALERT_SOURCES, 'on', 'metrics');
  const clusterLabel = labelName(given.clusterLabel ?? ALERT_DEFAULTS.clusterLabel, 'clusterLabel');
  const rules = on === 'exporter'
    ? fleetAlertRules({ selector: parseSelector(given.selector ?? ALERT_DEFAULTS.exporterSelector), clusterLabel })
    : alertRules({ selector: parseSelector(given.selector ?? ALERT_DEFAULTS.selector), thresholds });
  return { text: renderAlertRules(rules, { format, name, namespace: given.namespace ?? ALERT_DEFAULTS.namespace, fleet: on === 'exporter' }), rules: rules.length, name, format };
}
