// What `install` asks: etcd-perf's objects for a kubeadm cluster (monitor/manifests.ts: the exporter, the scheduled
// maintenance, their ServiceAccounts and least RBAC, Service, ServiceMonitor, PrometheusRule), every option checked
// here, as YAML (or JSON) to read, keep in git or apply; or applied with kubectl (server-side apply, so a re-run
// updates in place; --dry-run asks the API server to validate without persisting).

import { spawn } from 'node:child_process';
import { stringify as toYaml } from 'yaml';
import { fleetAlertRules } from '../monitor/fleet-alerts.ts';
import { manifests, type ManifestOptions } from '../monitor/manifests.ts';
import { input, UsageError } from '../util/errors.ts';
import { choice, type InputSpec } from '../util/input.ts';
import { ALERT_DEFAULTS, labelName } from './alerts.ts';
import { maintainRequest, MAINTAIN_DEFAULTS } from './maintain.ts';
import { SERVE_DEFAULTS, serveRequest } from './serve.ts';

export const INSTALL_DEFAULTS = {
  namespace: 'etcd-perf', schedule: '17 3 * * *', certDir: '/etc/kubernetes/pki/etcd', port: '9379', output: 'yaml',
} as const;

export const INSTALL_FORMATS = ['yaml', 'json'] as const;

type InstallField = 'access' | 'namespace' | 'image' | 'interval' | 'window' | 'schedule' | 'fragmentationThreshold' | 'minFreeable' | 'certDir' | 'cluster' | 'clusterLabel' | 'port' | 'apply' | 'dryRun';

export const EXPORTER_ACCESS = ['node-certs', 'api'] as const;

export const INSTALL_INPUTS: ReadonlyArray<InputSpec<InstallField>> = [
  { name: 'access', value: 'how', default: 'node-certs', help: 'how the exporter reads etcd: node-certs (a control-plane node\'s etcd certificates, host network, no RBAC) or api (through the API server with its ServiceAccount, as check does through a kubeconfig: exec and port-forward in kube-system, an ordinary non-root pod)' },
  { name: 'namespace', value: 'name', default: INSTALL_DEFAULTS.namespace, help: 'the namespace etcd-perf runs in (created)' },
  { name: 'image', value: 'image', help: 'the image to run (default: the one npm run image builds, localhost/etcd-perf:<version>; push it to your registry and name it here)' },
  { name: 'interval', value: 'duration', default: SERVE_DEFAULTS.interval, help: 'the exporter\'s collection interval (and the scrape interval)' },
  { name: 'window', value: 'duration', default: SERVE_DEFAULTS.window, help: 'the window each collection measures over' },
  { name: 'schedule', value: 'cron', default: INSTALL_DEFAULTS.schedule, help: 'when the maintenance runs (cron: minute hour day month weekday, the controller manager\'s time zone)' },
  { name: 'fragmentationThreshold', value: 'percent', default: MAINTAIN_DEFAULTS.fragmentationThreshold, help: 'the maintenance defragments a member at or above this fragmentation' },
  { name: 'minFreeable', value: 'size', default: MAINTAIN_DEFAULTS.minFreeable, help: '...and with at least this much to free' },
  { name: 'certDir', value: 'dir', default: INSTALL_DEFAULTS.certDir, help: 'the control-plane nodes\' etcd certificates (ca.crt, healthcheck-client.crt and .key), mounted read-only' },
  { name: 'cluster', value: 'name', help: `a name for this cluster, put on every series as ${input('clusterLabel')} by the ServiceMonitor (for a fleet's Prometheus; default: none)` },
  { name: 'clusterLabel', value: 'label', default: ALERT_DEFAULTS.clusterLabel, help: 'the label that tells clusters apart, in the alert rules and the ServiceMonitor' },
  { name: 'port', value: 'port', default: INSTALL_DEFAULTS.port, help: 'the exporter\'s port on the node (host network)' },
  { name: 'apply', help: 'apply the objects with kubectl (server-side apply) instead of printing them' },
  { name: 'dryRun', help: `with ${input('apply')}: have the API server validate them without persisting (server-side dry run)` },
];

export type InstallInput = Partial<Record<Exclude<InstallField, 'apply' | 'dryRun'>, string>> & { apply?: boolean; dryRun?: boolean; output?: string };

export interface InstallRequest {
  options: ManifestOptions;
  format: (typeof INSTALL_FORMATS)[number];
  apply: boolean;
  dryRun: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The request checked (a bad value is a usage error naming its field); `version` names the default image. */
export function installRequest(given: InstallInput, version: string): InstallRequest {
  const namespace = given.namespace ?? INSTALL_DEFAULTS.namespace;
  if (!DNS_LABEL.test(namespace)) throw new UsageError(`"${namespace}" is not a namespace name (lowercase letters, digits and -, at most 63)`, 'namespace');
  const serve = serveRequest({ interval: given.interval, window: given.window });
  const schedule = given.schedule ?? INSTALL_DEFAULTS.schedule;
  if (!/^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$/.test(schedule.trim())) {
    throw new UsageError(`expected a cron schedule of five fields (minute hour day month weekday) such as "17 3 * * *", got "${schedule}"`, 'schedule');
  }
  maintainRequest({ fragmentationThreshold: given.fragmentationThreshold, minFreeable: given.minFreeable }, false);
  const port = Number(given.port ?? INSTALL_DEFAULTS.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`expected a port from 1 to 65535, got "${given.port ?? ''}"`, 'port');
  const cluster = given.cluster ?? '';
  const clusterLabel = labelName(given.clusterLabel ?? ALERT_DEFAULTS.clusterLabel, 'clusterLabel');
  const image = given.image ?? `localhost/etcd-perf:${version}`;
  if (!/^[\w.-]+(:\d+)?(\/[\w.-]+)*(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/.test(image)) throw new UsageError(`"${image}" is not an image reference`, 'image');
  const certDir = given.certDir ?? INSTALL_DEFAULTS.certDir;
  if (!certDir.startsWith('/')) throw new UsageError(`expected an absolute path on the nodes, got "${certDir}"`, 'certDir');
  if (given.dryRun && !given.apply) throw new UsageError(`${input('dryRun')} goes with ${input('apply')}: without it nothing is sent anyway`, 'dryRun');
  return {
    options: {
      access: choice(given.access ?? 'node-certs', EXPORTER_ACCESS, 'access', 'access'), namespace, image, interval: `${serve.intervalMs / 1000}s`, window: `${serve.check.windowMs / 1000}s`, schedule: schedule.trim(),
      fragmentationThreshold: given.fragmentationThreshold ?? MAINTAIN_DEFAULTS.fragmentationThreshold, minFreeable: given.minFreeable ?? MAINTAIN_DEFAULTS.minFreeable,
      certDir, cluster, clusterLabel, port,
      alertRules: fleetAlertRules({ selector: `namespace="${namespace}", service="etcd-perf-exporter"`, clusterLabel }),
    },
    format: choice(given.output ?? INSTALL_DEFAULTS.output, INSTALL_FORMATS, 'output', 'format'),
    apply: given.apply === true,
    dryRun: given.dryRun === true,
  };
}

/** The objects as one document: YAML documents separated by ---, or a JSON List. */
export function installDocument(request: InstallRequest): string {
  const objects = manifests(request.options);
  if (request.format === 'json') return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
  const header = `# etcd-perf for a kubeadm cluster, from kubectl etcd-perf install (image ${request.options.image}).\n`
    + '# The ServiceMonitor and PrometheusRule need the Prometheus Operator\'s CRDs.\n';
  return header + objects.map((o) => `---\n${toYaml(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}

/** Applies the objects with kubectl (server-side apply; a server-side dry run with dryRun); kubectl's output, or its error in one line. */
export async function applyObjects(request: InstallRequest, kube: { kubeconfig?: string; context?: string }, env: NodeJS.ProcessEnv): Promise<string> {
  const args = ['apply', '--server-side', '--field-manager=etcd-perf', '-f', '-', ...(request.dryRun ? ['--dry-run=server'] : []),
    ...(kube.kubeconfig ? ['--kubeconfig', kube.kubeconfig] : []), ...(kube.context ? ['--context', kube.context] : [])];
  const text = installDocument({ ...request, format: 'yaml' });
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (error: NodeJS.ErrnoException) => reject(new UsageError(error.code === 'ENOENT' ? `${input('apply')} needs kubectl on PATH` : `kubectl: ${error.message}`, 'apply')));
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      if (request.dryRun && new RegExp(`namespaces "${request.options.namespace}" not found`).test(stderr)) {
        return reject(new UsageError(`the API server checks namespaced objects in their namespace, and ${request.options.namespace} does not exist yet: create it first (kubectl create namespace ${request.options.namespace}), or apply for real`, 'dryRun'));
      }
      return reject(new UsageError(`kubectl apply failed: ${[...new Set(stderr.trim().split('\n'))].join('; ') || `exit ${code}`}`, 'apply'));
    });
    child.stdin.end(text);
  });
}
