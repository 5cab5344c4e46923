// `dashboard`: a Grafana dashboard JSON for etcd (data source and member variables), to import or provision.

import { DASHBOARD_DEFAULTS, dashboardDocument } from '../../shared/entry/dashboard.ts';
import { command } from '../command.ts';
import { text } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { writeOutput } from '../output.ts';

interface DashboardFlags {
  selector?: string;
  title?: string;
  uid?: string;
  out?: string;
}

export const dashboard = command<DashboardFlags>({
  name: 'dashboard',
  declare: (c) => c
    .description('a Grafana dashboard for etcd: sizes, fragmentation, quota, fsync and commit p99 against guidance, RTT, leader, proposals, gRPC, memory')
    .option('--selector <matchers>', 'label matchers that pick etcd\'s series', DASHBOARD_DEFAULTS.selector)
    .option('--title <title>', 'the dashboard\'s title', DASHBOARD_DEFAULTS.title)
    .option('--uid <uid>', 'the dashboard\'s uid (stable, so re-imports replace it)', DASHBOARD_DEFAULTS.uid)
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
Import it in Grafana (Dashboards > New > Import) and pick a Prometheus data source, or provision the file.
Example:
  kubectl etcd-perf dashboard --selector 'job="kube-etcd"' --out etcd-dashboard.json`),
  parse: (raw) => ({ selector: text(raw, 'selector'), title: text(raw, 'title'), uid: text(raw, 'uid'), out: text(raw, 'out') }),
  async run(flags, io: Io) {
    const document = dashboardDocument(flags);
    writeOutput(io, document.text, flags.out, `a dashboard of ${document.panels} panels`);
    return EXIT.ok;
  },
});
