// `alerts`: Prometheus alert rules for etcd, as a PrometheusRule (Prometheus Operator) or a plain rules file.

import { Option, type Command } from 'commander';
import {
  ALERT_THRESHOLDS, alertRules, DEFAULT_ALERT_THRESHOLDS, parseAlertFormat, parseSelector, renderAlertRules,
  type AlertThresholds, type ThresholdKind,
} from '../../shared/monitor/alerts.ts';
import { parseBytes } from '../../shared/util/bytes.ts';
import { parseDuration } from '../../shared/util/duration.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { writeOutput } from '../output-file.ts';

function parseThreshold(text: string, kind: ThresholdKind, flag: string): number {
  const fail = (expected: string): never => { throw new UsageError(`--${flag}: expected ${expected}, got "${text}"`); };
  switch (kind) {
    case 'duration': {
      const value = parseDuration(text, `--${flag}`) / 1000;
      return value > 0 ? value : fail('a duration above 0 such as 10ms');
    }
    case 'bytes': return parseBytes(text) ?? fail('a size such as 6GiB');
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

function describeDefault(value: number, kind: ThresholdKind): string {
  switch (kind) {
    case 'duration': return `${Number((value * 1000).toPrecision(12))}ms`;
    case 'bytes': return value % (1024 ** 3) === 0 ? `${value / 1024 ** 3}GiB` : `${value / 1024 ** 2}MiB`;
    case 'percent': return `${value}%`;
    case 'hours': return `${value}h`;
    default: return String(value);
  }
}

export function registerAlerts(program: Command, io: Io, done: (code: number) => void): void {
  const command = program.command('alerts')
    .description('Prometheus alert rules for etcd: latency over rate() windows, thresholds per etcd\'s guidance')
    .option('--format <format>', 'prometheusrule (Prometheus Operator) or rules (a plain rules file)', 'prometheusrule')
    .option('--namespace <namespace>', 'the PrometheusRule\'s namespace', 'monitoring')
    .option('--name <name>', 'the PrometheusRule\'s name and the rule group\'s', 'etcd-perf')
    .option('--selector <matchers>', 'label matchers that pick etcd\'s series', 'job=~".*etcd.*"')
    .option('--out <file>', 'write to this file instead of stdout');
  for (const threshold of ALERT_THRESHOLDS) {
    command.addOption(new Option(`--${threshold.flag} <value>`, `${threshold.help} (default ${describeDefault(DEFAULT_ALERT_THRESHOLDS[threshold.key], threshold.kind)})`));
  }
  command.addHelpText('after', `
Check the result with: promtool check rules FILE (with --format rules), or kubectl apply -f FILE (prometheusrule).
Examples:
  kubectl etcd-perf alerts --namespace monitoring | kubectl apply -f -
  kubectl etcd-perf alerts --format rules --selector 'job="etcd"' --wal-fsync-warn 20ms --out etcd-alerts.yaml`)
    .action((options: Record<string, unknown>) => {
      const thresholds: AlertThresholds = { ...DEFAULT_ALERT_THRESHOLDS };
      for (const threshold of ALERT_THRESHOLDS) {
        const text = options[threshold.flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())];
        if (text !== undefined) thresholds[threshold.key] = parseThreshold(String(text), threshold.kind, threshold.flag);
      }
      if (thresholds.walFsyncCritSeconds <= thresholds.walFsyncWarnSeconds) throw new UsageError('--wal-fsync-crit must be above --wal-fsync-warn');
      if (thresholds.backendCommitCritSeconds <= thresholds.backendCommitWarnSeconds) throw new UsageError('--backend-commit-crit must be above --backend-commit-warn');
      if (thresholds.quotaCritPercent <= thresholds.quotaWarnPercent) throw new UsageError('--quota-crit must be above --quota-warn');
      const format = parseAlertFormat(String(options.format));
      const name = String(options.name);
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new UsageError(`--name: "${name}" is not a valid Kubernetes name (lowercase letters, digits, - and .)`);
      const rules = alertRules({ selector: parseSelector(String(options.selector)), thresholds });
      writeOutput(io, renderAlertRules(rules, { format, name, namespace: String(options.namespace) }), options.out, `${rules.length} alert rules`);
      done(EXIT.ok);
    });
}
