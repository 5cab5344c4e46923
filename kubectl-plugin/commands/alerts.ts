// `alerts`: Prometheus alert rules for etcd, as a PrometheusRule (Prometheus Operator) or a plain rules file.

import { Option } from 'commander';
import { ALERT_DEFAULTS, ALERT_THRESHOLDS, alertsDocument, thresholdDefault, type AlertsInput } from '../../shared/entry/alerts.ts';
import { command } from '../command.ts';
import { flagWord, text } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { writeOutput } from '../output.ts';

export const alerts = command<AlertsInput & { out?: string }>({
  name: 'alerts',
  declare: (c) => {
    c.description('Prometheus alert rules for etcd: latency over rate() windows, thresholds per etcd\'s guidance')
      .option('--format <format>', 'prometheusrule (Prometheus Operator) or rules (a plain rules file)', ALERT_DEFAULTS.format)
      .option('--namespace <namespace>', 'the PrometheusRule\'s namespace', ALERT_DEFAULTS.namespace)
      .option('--name <name>', 'the PrometheusRule\'s name and the rule group\'s', ALERT_DEFAULTS.name)
      .option('--selector <matchers>', 'label matchers that pick etcd\'s series', ALERT_DEFAULTS.selector)
      .option('--out <file>', 'write to this file instead of stdout');
    for (const t of ALERT_THRESHOLDS) c.addOption(new Option(`${flagWord(t.field)} <value>`, `${t.help} (default ${thresholdDefault(t.key, t.kind)})`));
    return c.addHelpText('after', `
Check the result with: promtool check rules FILE (with --format rules), or kubectl apply -f FILE (prometheusrule).
Examples:
  kubectl etcd-perf alerts --namespace monitoring | kubectl apply -f -
  kubectl etcd-perf alerts --format rules --selector 'job="etcd"' --wal-fsync-warn 20ms --out etcd-alerts.yaml`);
  },
  parse: (raw) => ({
    format: text(raw, 'format'), namespace: text(raw, 'namespace'), name: text(raw, 'name'), selector: text(raw, 'selector'), out: text(raw, 'out'),
    thresholds: Object.fromEntries(ALERT_THRESHOLDS.map((t) => [t.field, text(raw, t.field)])),
  }),
  async run(flags, io: Io) {
    const document = alertsDocument(flags);
    writeOutput(io, document.text, flags.out, `${document.rules} alert rules`);
    return EXIT.ok;
  },
});
