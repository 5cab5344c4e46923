// `dashboard`: a Grafana dashboard JSON for etcd (data source and member variables), to import or provision.

import type { Command } from 'commander';
import { grafanaDashboard } from '../../shared/monitor/dashboard.ts';
import { parseSelector } from '../../shared/monitor/alerts.ts';
import { UsageError } from '../../shared/util/errors.ts';
import { EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { writeOutput } from '../output-file.ts';

export function registerDashboard(program: Command, io: Io, done: (code: number) => void): void {
  program.command('dashboard')
    .description('a Grafana dashboard for etcd: sizes, fragmentation, quota, fsync and commit p99 against guidance, RTT, leader, proposals, gRPC, memory')
    .option('--selector <matchers>', 'label matchers that pick etcd\'s series', 'job=~".*etcd.*"')
    .option('--title <title>', 'the dashboard\'s title', 'etcd')
    .option('--uid <uid>', 'the dashboard\'s uid (stable, so re-imports replace it)', 'etcd-perf')
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText('after', `
Import it in Grafana (Dashboards > New > Import) and pick a Prometheus data source, or provision the file.
Example:
  kubectl etcd-perf dashboard --selector 'job="kube-etcd"' --out etcd-dashboard.json`)
    .action((options: Record<string, unknown>) => {
      const uid = String(options.uid);
      if (!/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) throw new UsageError(`--uid: "${uid}" is not a Grafana uid (letters, digits, - and _, at most 40)`);
      const dashboard = grafanaDashboard({ selector: parseSelector(String(options.selector)), title: String(options.title), uid });
      writeOutput(io, `${JSON.stringify(dashboard, null, 2)}\n`, options.out, `a dashboard of ${(dashboard.panels as unknown[]).length} panels`);
      done(EXIT.ok);
    });
}
