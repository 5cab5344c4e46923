// `install`: etcd-perf in the cluster: the exporter on a control-plane node, the scheduled maintenance, their
// ServiceAccounts with the least RBAC, a Service, a ServiceMonitor and the fleet's PrometheusRule. Printed (-o yaml,
// the default, or json) to read or keep, or applied with kubectl (--apply, --dry-run for the API server's check).

import { applyObjects, CONNECTION_INPUTS, INSTALL_FORMATS, INSTALL_INPUTS, installDocument, installRequest, type InstallInput, type InstallRequest } from '../../shared/entry/index.ts';
import { command } from '../command.ts';
import { declare, text, values, withOutput } from '../flags.ts';
import { EXIT, type Io } from '../io.ts';
import { VERSION } from '../version.ts';

const KUBE_INPUTS = CONNECTION_INPUTS.filter((i) => i.name === 'kubeconfig' || i.name === 'context');

type InstallFlags = { request: InstallRequest; kube: { kubeconfig?: string; context?: string } };

export const install = command<InstallFlags>({
  name: 'install',
  declare: (c) => withOutput(declare(declare(c, INSTALL_INPUTS), KUBE_INPUTS), INSTALL_FORMATS)
    .description('etcd-perf in the cluster: the exporter, the scheduled maintenance, least RBAC, Service, ServiceMonitor, PrometheusRule')
    .addHelpText('after', `
For kubeadm's layout: etcd at https://127.0.0.1:2379 on each control-plane node, its certificates in --cert-dir.
The exporter (one pod, host network, a control-plane node) serves :PORT/metrics; the CronJob runs
"defrag --yes --events": followers first, leader last, health-gated, under the maintenance lock.
The ServiceMonitor and PrometheusRule need the Prometheus Operator's CRDs.
Exit codes: 0 printed or applied; 2 bad usage, or kubectl refused the objects.
Examples:
  kubectl etcd-perf install --image registry.example.com/etcd-perf:0.1.0 --cluster prod-eu > etcd-perf.yaml
  kubectl etcd-perf install --image registry.example.com/etcd-perf:0.1.0 --apply --dry-run
  kubectl etcd-perf install --image registry.example.com/etcd-perf:0.1.0 --schedule "17 3 * * 0" --apply`),
  parse: (raw) => ({
    request: installRequest({ ...values<InstallInput>(raw, INSTALL_INPUTS), output: text(raw, 'output') }, VERSION),
    kube: values<{ kubeconfig?: string; context?: string }>(raw, KUBE_INPUTS),
  }),
  async run(flags, io: Io) {
    if (!flags.request.apply) {
      io.stdout(installDocument(flags.request));
      return EXIT.ok;
    }
    io.stdout(await applyObjects(flags.request, flags.kube, io.env));
    return EXIT.ok;
  },
});
