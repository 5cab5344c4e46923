// etcd-perf in the cluster, as Kubernetes objects (data; `install` renders or applies them):
//   - the exporter: a Deployment of one pod on a control-plane node (tolerating its taint), on the host's network,
//     reading etcd as kubeadm lays it out (https://127.0.0.1:2379, the node's /etc/kubernetes/pki/etcd read-only) and
//     discovering the other members from the member list; a Service and a ServiceMonitor for Prometheus, and a
//     PrometheusRule with the fleet alerts (alerts --on exporter);
//   - the scheduled maintenance: a CronJob running `defrag --yes --events` the same way (one run at a time; the
//     maintenance lock in etcd keeps two clusters' or two jobs' runs apart anyway), its audit trail in the job's log;
//   - a ServiceAccount each, with the least RBAC (what it needs in kube-system, or cluster-wide, is named after the
//     install's namespace, so that two installs keep theirs apart): none for the exporter (it talks to etcd only, so no token is even
//     mounted); list on pods and create on events in the etcd namespace for the maintenance (to post its Events).
// The pods run as root only because kubeadm's etcd keys are root's 0600 files; with every capability dropped, no
// privilege escalation and a read-only root filesystem, that reads the keys and nothing more.
// With access 'api' the exporter instead reads etcd through the API server as `check` does through a kubeconfig
// (etcdctl in each etcd pod by exec, metrics by port-forward, the pods' specs, logs and events, nodes, pod metrics),
// with its ServiceAccount: an ordinary non-root pod anywhere, no host network or certificates, and the RBAC that takes.

import type { AlertRule } from './alerts.ts';

export type ExporterAccess = 'node-certs' | 'api';

export interface ManifestOptions {
  namespace: string;
  /** How the exporter reaches etcd: the node's certificates from a control-plane node, or the API server. */
  access: ExporterAccess;
  image: string;
  /** The exporter's collection interval and window, as serve takes them (60s, 10s). */
  interval: string;
  window: string;
  /** The CronJob's schedule (cron syntax) and its policy, as defrag takes it. */
  schedule: string;
  fragmentationThreshold: string;
  minFreeable: string;
  /** The node's etcd certificates (kubeadm: /etc/kubernetes/pki/etcd): ca.crt, healthcheck-client.crt and .key. */
  certDir: string;
  /** A `cluster` label the ServiceMonitor puts on every series (empty: none; the fleet's Prometheus sets it). */
  cluster: string;
  clusterLabel: string;
  port: number;
  alertRules: AlertRule[];
}

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

const NAME = 'etcd-perf';
/** kubeadm's: the etcd pods (component=etcd) are in kube-system; the maintenance posts its Events there. */
const ETCD_NAMESPACE = 'kube-system';
const labels = (component: string): Record<string, string> => ({ 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/component': component });

/** A pod that reads etcd from a control-plane node, as kubeadm's own static pods do. */
function controlPlanePod(o: ManifestOptions, component: string, args: string[], extra: Record<string, unknown>): Record<string, unknown> {
  const certs = (file: string): string => `/etc/etcd-perf/pki/${file}`;
  return {
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    serviceAccountName: `${NAME}-${component}`,
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }] } } },
    // A host-network pod needs no pod network: etcd is watched and maintained even while the node's network plugin is
    // down (the node NotReady), when it matters most.
    tolerations: [
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
    ],
    securityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: component,
      image: o.image,
      args: [...args, '--endpoints', 'https://127.0.0.1:2379', '--cacert', certs('ca.crt'), '--cert', certs('healthcheck-client.crt'), '--key', certs('healthcheck-client.key')],
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'etcd-certs', mountPath: '/etc/etcd-perf/pki', readOnly: true }],
      ...extra,
    }],
    volumes: [{ name: 'etcd-certs', hostPath: { path: o.certDir, type: 'Directory' } }],
  };
}

/** What `check` reads through the API server (connect/kubernetes): the exporter's RBAC with access 'api'. */
const API_READER_RULES = [
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
  // client-node opens exec and port-forward as WebSocket upgrades of a GET: the API server asks for get, and create too.
  { apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['events'], verbs: ['list'] },
  { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] },
];

const EXPORTER_PROBES = (port: number): Record<string, unknown> => ({
  ports: [{ name: 'metrics', containerPort: port, protocol: 'TCP' }],
  readinessProbe: { httpGet: { path: '/readyz', port: 'metrics' }, periodSeconds: 10, failureThreshold: 3 },
  livenessProbe: { httpGet: { path: '/healthz', port: 'metrics' }, periodSeconds: 30, failureThreshold: 3 },
  resources: { requests: { cpu: '10m', memory: '96Mi' }, limits: { memory: '256Mi' } },
});

/** The exporter: its ServiceAccount, the RBAC its access needs, and its Deployment. */
function exporter(o: ManifestOptions): KubeObject[] {
  const exporterLabels = labels('exporter');
  const serve = ['serve', '--listen', `:${o.port}`, '--interval', o.interval, '--window', o.window];
  const deployment = (strategy: string, pod: Record<string, unknown>): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${NAME}-exporter`, namespace: o.namespace, labels: exporterLabels },
    spec: { replicas: 1, strategy: { type: strategy }, selector: { matchLabels: exporterLabels }, template: { metadata: { labels: exporterLabels }, spec: pod } },
  });
  const account = (automount: boolean): KubeObject => ({
    apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${NAME}-exporter`, namespace: o.namespace, labels: exporterLabels }, automountServiceAccountToken: automount,
  });
  if (o.access === 'node-certs') {
    // On the host's network the port is the node's: the old pod leaves before the new one binds it.
    return [account(false), deployment('Recreate', { ...controlPlanePod(o, 'exporter', serve, EXPORTER_PROBES(o.port)), automountServiceAccountToken: false })];
  }
  const binding = (kind: 'Role' | 'ClusterRole', name: string, namespace?: string): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: `${kind}Binding`, metadata: { name, ...(namespace ? { namespace } : {}), labels: exporterLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
    subjects: [{ kind: 'ServiceAccount', name: `${NAME}-exporter`, namespace: o.namespace }],
  });
  return [
    account(true),
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${o.namespace}-exporter`, namespace: ETCD_NAMESPACE, labels: exporterLabels }, rules: API_READER_RULES },
    binding('Role', `${o.namespace}-exporter`, ETCD_NAMESPACE),
    // Nodes are cluster-wide: their memory, against the quota.
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${o.namespace}-exporter-nodes`, labels: exporterLabels }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] },
    binding('ClusterRole', `${o.namespace}-exporter-nodes`),
    deployment('RollingUpdate', {
      serviceAccountName: `${NAME}-exporter`,
      securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'exporter', image: o.image, args: serve,
        securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        ...EXPORTER_PROBES(o.port),
      }],
    }),
  ];
}

export function manifests(o: ManifestOptions): KubeObject[] {
  const exporterLabels = labels('exporter');
  const maintenanceLabels = labels('maintenance');
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels: { 'app.kubernetes.io/name': NAME } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${NAME}-maintenance`, namespace: o.namespace, labels: maintenanceLabels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${o.namespace}-maintenance`, namespace: ETCD_NAMESPACE, labels: maintenanceLabels },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }, { apiGroups: [''], resources: ['events'], verbs: ['create'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${o.namespace}-maintenance`, namespace: ETCD_NAMESPACE, labels: maintenanceLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${o.namespace}-maintenance` },
      subjects: [{ kind: 'ServiceAccount', name: `${NAME}-maintenance`, namespace: o.namespace }],
    },
    ...exporter(o),
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: `${NAME}-exporter`, namespace: o.namespace, labels: exporterLabels },
      spec: { selector: exporterLabels, ports: [{ name: 'metrics', port: o.port, targetPort: 'metrics', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: NAME, namespace: o.namespace, labels: exporterLabels },
      spec: {
        selector: { matchLabels: exporterLabels },
        endpoints: [{
          port: 'metrics', interval: o.interval, scrapeTimeout: '10s',
          ...(o.cluster ? { relabelings: [{ targetLabel: o.clusterLabel, replacement: o.cluster, action: 'replace' }] } : {}),
        }],
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: NAME, namespace: o.namespace, labels: labels('alert-rules') },
      spec: { groups: [{ name: NAME, rules: o.alertRules }] },
    },
    {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: `${NAME}-maintenance`, namespace: o.namespace, labels: maintenanceLabels },
      spec: {
        schedule: o.schedule,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: maintenanceLabels },
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 3600,
            template: {
              metadata: { labels: maintenanceLabels },
              spec: {
                ...controlPlanePod(o, 'maintenance', [
                  'defrag', '--yes', '--events', '--audit-log', '-', '--fragmentation-threshold', o.fragmentationThreshold, '--min-freeable', o.minFreeable,
                ], { resources: { requests: { cpu: '10m', memory: '96Mi' }, limits: { memory: '256Mi' } } }),
                restartPolicy: 'Never',
              },
            },
          },
        },
      },
    },
  ];
}
