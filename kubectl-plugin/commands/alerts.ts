// `alerts`: Prometheus alert rules for etcd, as a PrometheusRule (Prometheus Operator) or a plain rules file.

import { ALERT_INPUTS, alertsDocument, type AlertsInput } from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { declare, text, values } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { writeOutput } from '../output.ts';

export const alerts = command<AlertsInput & { out?: string }>({
  name: 'alerts',
  declare: (c) => declare(c, ALERT_INPUTS)
    .description('Prometheus alert rules: on etcd\'s metrics (latency over rate() windows, thresholds per etcd\'s guidance), or on the exporter\'s, fleet-wide')
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
Check the result with: promtool check rules FILE (with --format rules), or kubectl apply -f FILE (prometheusrule).
Examples:
  kubectl etcd-perf alerts --namespace monitoring | kubectl apply -f -
  kubectl etcd-perf alerts --format rules --selector 'job="etcd"' --wal-fsync-warn 20ms --out etcd-alerts.yaml
  kubectl etcd-perf alerts --on exporter --cluster-label cluster     # one rule set for every cluster's exporter`),
  parse: (raw) => {
    const given = values<Record<string, string | undefined>>(raw, ALERT_INPUTS);
    return {
      format: given.format, namespace: given.namespace, name: given.name, selector: given.selector, on: given.on, clusterLabel: given.clusterLabel,
      thresholds: given, out: text(raw, 'out'),
    };
  },
  async run(flags, io: Io) {
    const document = alertsDocument(flags);
    writeOutput(io, document.text, flags.out, `${document.rules} alert rules`);
    return EXIT.ok;
  },
});
