// `dashboard`: a Grafana dashboard JSON for etcd (data source and member variables), to import or provision.

import { DASHBOARD_INPUTS, dashboardDocument } from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { declare, text, values } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { writeOutput } from '../output.ts';

type DashboardFlags = { selector?: string; title?: string; uid?: string; on?: string; clusterLabel?: string; out?: string };

export const dashboard = command<DashboardFlags>({
  name: 'dashboard',
  declare: (c) => declare(c, DASHBOARD_INPUTS)
    .description('a Grafana dashboard for etcd (sizes, fragmentation, quota, fsync and commit p99 against guidance, RTT, leader, proposals, gRPC, memory), or for a fleet of exporters')
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
Import it in Grafana (Dashboards > New > Import) and pick a Prometheus data source, or provision the file.
Example:
  kubectl etcd-perf dashboard --selector 'job="kube-etcd"' --out etcd-dashboard.json
  kubectl etcd-perf dashboard --on exporter --out etcd-fleet.json     # every cluster's exporter, by cluster`),
  parse: (raw) => ({ ...values<DashboardFlags>(raw, DASHBOARD_INPUTS), out: text(raw, 'out') }),
  async run(flags, io: Io) {
    const document = dashboardDocument(flags);
    writeOutput(io, document.text, flags.out, `a dashboard of ${document.panels} panels`);
    return EXIT.ok;
  },
});
