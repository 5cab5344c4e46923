// etcd-perf in the cluster, as Kubernetes objects (data; `install` renders or applies them):
//   - the exporter: a Deployment of one pod on a control-plane node (tolerating its taint), on the host's network,
//     reading etcd as kubeadm lays it out (https://127.0.0.1:2379, the node's /etc/kubernetes/pki/etcd read-only) and
//     discovering the other members from the member list; a Service and a ServiceMonitor for Prometheus, and a
//     PrometheusRule with the fleet alerts (alerts --on exporter);
//   - the scheduled maintenance: a CronJob running `defrag --yes --events` the same way (one run at a time; the
//     maintenance lock in etcd keeps two clusters' or two jobs' runs apart anyway), its audit trail in the job's log;
//   - a ServiceAccount each, with the least RBAC: none for the exporter (it talks to etcd only, so no token is even
//     mounted); list on pods and create on events in the etcd namespace for the maintenance (to post its Events).
// The pods run as root only because kubeadm's etcd keys are root's 0600 files; with every capability dropped, no
// privilege escalation and a read-only root filesystem, that reads the keys and nothing more.

import type { AlertRule } from './alerts.ts';

export interface ManifestOptions {
  namespace: string;
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

export function manifests(o: ManifestOptions): KubeObject[] {
  const exporterLabels = labels('exporter');
  const maintenanceLabels = labels('maintenance');
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels: { 'app.kubernetes.io/name': NAME } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${NAME}-exporter`, namespace: o.namespace, labels: exporterLabels }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${NAME}-maintenance`, namespace: o.namespace, labels: maintenanceLabels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${NAME}-maintenance`, namespace: ETCD_NAMESPACE, labels: maintenanceLabels },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }, { apiGroups: [''], resources: ['events'], verbs: ['create'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${NAME}-maintenance`, namespace: ETCD_NAMESPACE, labels: maintenanceLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${NAME}-maintenance` },
      subjects: [{ kind: 'ServiceAccount', name: `${NAME}-maintenance`, namespace: o.namespace }],
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${NAME}-exporter`, namespace: o.namespace, labels: exporterLabels },
      spec: {
        replicas: 1,
        // On the host's network the port is the node's: the old pod leaves before the new one binds it.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: exporterLabels },
        template: {
          metadata: { labels: exporterLabels },
          spec: {
            ...controlPlanePod(o, 'exporter', ['serve', '--listen', `:${o.port}`, '--interval', o.interval, '--window', o.window], {
              ports: [{ name: 'metrics', containerPort: o.port, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'metrics' }, periodSeconds: 10, failureThreshold: 3 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'metrics' }, periodSeconds: 30, failureThreshold: 3 },
              resources: { requests: { cpu: '10m', memory: '96Mi' }, limits: { memory: '256Mi' } },
            }),
            automountServiceAccountToken: false,
          },
        },
      },
    },
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
