// Kubernetes API objects the sandbox serves, built from its static pods and nodes: Pod, Event, Node, their Lists, the
// server-side Tables kubectl prints, metav1.Status errors, and label/field selectors. Shapes follow the real API.

import { cpus, totalmem } from 'node:os';
import type { SandboxNode } from './kubeadm.ts';
import type { PodEvent, StaticPod } from './kubelet.ts';

export const K8S_VERSION = { major: '1', minor: '30', gitVersion: 'v1.30.0-etcd-perf-sandbox', platform: 'linux/amd64' };

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function statusObject(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

/** kubectl's age format (apimachinery's HumanDuration). */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 || d >= 8 ? `${d}d` : `${d}d${h % 24}h`;
}

const configHash = (pod: StaticPod): string => pod.uid.replace(/-/g, '');

function containerState(pod: StaticPod): Record<string, unknown> {
  if (pod.running) return { running: { startedAt: iso(pod.startedAt as Date) } };
  if (pod.exit) return { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${pod.container.name} pod=${pod.name}_kube-system(${pod.uid})` } };
  return { waiting: { reason: 'ContainerCreating' } };
}

export function podObject(pod: StaticPod): Record<string, unknown> {
  const manifest = pod.manifest as { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: Record<string, unknown> };
  const ready = pod.running;
  const condition = (type: string, status: boolean) => ({ type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: iso(pod.created) });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: 'kube-system',
      uid: pod.uid,
      resourceVersion: String(1000 + pod.events.length),
      creationTimestamp: iso(pod.created),
      labels: manifest.metadata.labels,
      annotations: {
        ...manifest.metadata.annotations,
        'kubernetes.io/config.hash': configHash(pod),
        'kubernetes.io/config.mirror': configHash(pod),
        'kubernetes.io/config.seen': iso(pod.created),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: pod.node.name, uid: `node-${pod.node.name}`, controller: true }],
    },
    spec: { ...manifest.spec, nodeName: pod.node.name, restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', terminationGracePeriodSeconds: 30, tolerations: [{ effect: 'NoExecute', operator: 'Exists' }] },
    status: {
      phase: 'Running',
      conditions: [condition('Initialized', true), condition('Ready', ready), condition('ContainersReady', ready), condition('PodScheduled', true)],
      hostIP: pod.node.ip,
      hostIPs: [{ ip: pod.node.ip }],
      podIP: pod.node.ip,
      podIPs: [{ ip: pod.node.ip }],
      startTime: iso(pod.created),
      qosClass: 'Burstable',
      containerStatuses: [{
        name: pod.container.name,
        image: pod.container.image,
        imageID: `${pod.container.image.split(':')[0]}@sha256:${'0'.repeat(64)}`,
        containerID: `containerd://${pod.containerId}`,
        ready,
        started: ready,
        restartCount: 0,
        state: containerState(pod),
        lastState: pod.exit ? { terminated: { exitCode: pod.exit.code ?? 137, reason: 'Error', startedAt: iso(pod.startedAt as Date), finishedAt: iso(pod.exit.at), containerID: `containerd://${pod.containerId}` } } : {},
      }],
    },
  };
}

export function eventObjects(pod: StaticPod): Record<string, unknown>[] {
  return pod.events.map((event: PodEvent, i) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${pod.name}.${(pod.created.getTime() * 1000 + i).toString(16)}`,
      namespace: 'kube-system',
      uid: `${pod.uid.slice(0, 24)}${String(i).padStart(12, '0')}`,
      resourceVersion: String(2000 + i),
      creationTimestamp: iso(event.time),
    },
    // The kubelet reports a static pod's events under its config hash, not the mirror pod's uid (kubectl knows).
    involvedObject: { kind: 'Pod', namespace: 'kube-system', name: pod.name, uid: configHash(pod), apiVersion: 'v1', fieldPath: `spec.containers{${pod.container.name}}` },
    reason: event.reason,
    message: event.message,
    source: { component: 'kubelet', host: pod.node.name },
    firstTimestamp: iso(event.time),
    lastTimestamp: iso(event.time),
    count: 1,
    type: event.type,
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: pod.node.name,
  }));
}

export function nodeObject(node: SandboxNode, created: Date): Record<string, unknown> {
  const memory = `${Math.floor(totalmem() / 1024)}Ki`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      uid: `node-${node.name}`,
      resourceVersion: '100',
      creationTimestamp: iso(created),
      labels: { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' },
    },
    spec: { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] },
    status: {
      addresses: [{ type: 'InternalIP', address: node.ip }, { type: 'Hostname', address: node.name }],
      capacity: { cpu: String(cpus().length), memory, pods: '110' },
      allocatable: { cpu: String(cpus().length), memory, pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { kubeletVersion: K8S_VERSION.gitVersion, operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.0' },
    },
  };
}

export function list(kind: string, items: Record<string, unknown>[]): Record<string, unknown> {
  return { kind: `${kind}List`, apiVersion: 'v1', metadata: { resourceVersion: '5000' }, items };
}

interface Column { name: string; type: string; priority?: number; description?: string; format?: string }

function table(columns: Column[], rows: { cells: unknown[]; object: Record<string, unknown> }[]): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '5000' },
    columnDefinitions: columns.map((c) => ({ description: c.description ?? '', format: c.format ?? '', priority: c.priority ?? 0, name: c.name, type: c.type })),
    rows,
  };
}

const rowObject = (object: Record<string, unknown>): Record<string, unknown> => ({
  kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata,
});

export function podTable(pods: StaticPod[], now = Date.now()): Record<string, unknown> {
  return table([
    { name: 'Name', type: 'string', format: 'name' }, { name: 'Ready', type: 'string' }, { name: 'Status', type: 'string' },
    { name: 'Restarts', type: 'string' }, { name: 'Age', type: 'string' }, { name: 'IP', type: 'string', priority: 1 },
    { name: 'Node', type: 'string', priority: 1 }, { name: 'Nominated Node', type: 'string', priority: 1 },
    { name: 'Readiness Gates', type: 'string', priority: 1 },
  ], pods.map((pod) => ({
    cells: [pod.name, pod.running ? '1/1' : '0/1', pod.running ? 'Running' : pod.exit ? 'CrashLoopBackOff' : 'ContainerCreating', '0',
      humanDuration(now - pod.created.getTime()), pod.node.ip, pod.node.name, '<none>', '<none>'],
    object: rowObject(podObject(pod)),
  })));
}

export function eventTable(events: Record<string, unknown>[], now = Date.now()): Record<string, unknown> {
  return table([
    { name: 'Last Seen', type: 'string' }, { name: 'Type', type: 'string' }, { name: 'Reason', type: 'string' },
    { name: 'Object', type: 'string' }, { name: 'Subobject', type: 'string', priority: 1 }, { name: 'Source', type: 'string', priority: 1 },
    { name: 'Message', type: 'string' }, { name: 'First Seen', type: 'string', priority: 1 }, { name: 'Count', type: 'string', priority: 1 },
    { name: 'Name', type: 'string', priority: 1 },
  ], events.map((e) => {
    const ev = e as { involvedObject: { kind: string; name: string; fieldPath: string }; lastTimestamp: string; firstTimestamp: string; type: string; reason: string; message: string; count: number; source: { component: string; host: string }; metadata: { name: string } };
    return {
      cells: [humanDuration(now - Date.parse(ev.lastTimestamp)), ev.type, ev.reason, `pod/${ev.involvedObject.name}`, ev.involvedObject.fieldPath,
        `${ev.source.component}, ${ev.source.host}`, ev.message, humanDuration(now - Date.parse(ev.firstTimestamp)), String(ev.count), ev.metadata.name],
      object: rowObject(e),
    };
  }));
}

export function nodeTable(nodes: Record<string, unknown>[], now = Date.now()): Record<string, unknown> {
  return table([
    { name: 'Name', type: 'string', format: 'name' }, { name: 'Status', type: 'string' }, { name: 'Roles', type: 'string' },
    { name: 'Age', type: 'string' }, { name: 'Version', type: 'string' },
  ], nodes.map((n) => {
    const meta = n.metadata as { name: string; creationTimestamp: string };
    return { cells: [meta.name, 'Ready', 'control-plane', humanDuration(now - Date.parse(meta.creationTimestamp)), K8S_VERSION.gitVersion], object: rowObject(n) };
  }));
}

function lookup(object: unknown, path: string): string | undefined {
  let value: unknown = object;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined || value === null ? undefined : String(value);
}

/** A label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) as a predicate on labels. */
export function labelSelector(selector: string | null): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  const tests = terms.map((raw) => {
    const term = raw.trim();
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = (m[3] as string).split(',').map((v) => v.trim());
      const key = m[1] as string;
      return m[2] === 'in' ? (l: Record<string, string>) => values.includes(l[key] as string) : (l: Record<string, string>) => !values.includes(l[key] as string);
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === '!=' ? (l: Record<string, string>) => l[key] !== value : (l: Record<string, string>) => l[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(term);
    if (m) {
      const key = m[2] as string;
      return m[1] ? (l: Record<string, string>) => !(key in l) : (l: Record<string, string>) => key in l;
    }
    throw new Error(`unable to parse requirement: ${term}`);
  });
  return (labels) => tests.every((t) => t(labels));
}

/** A field selector (`a.b=c`, `a.b==c`, `a.b!=c`, comma-separated) as a predicate on an object. */
export function fieldSelector(selector: string | null): (object: unknown) => boolean {
  if (!selector) return () => true;
  const tests = selector.split(',').filter(Boolean).map((term) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term.trim());
    if (!m) throw new Error(`invalid selector: '${term}'; can't understand '${term}'`);
    const [, path, op, value] = m as unknown as [string, string, string, string];
    return op === '!=' ? (o: unknown) => lookup(o, path) !== value : (o: unknown) => (lookup(o, path) ?? '') === value;
  });
  return (object) => tests.every((t) => t(object));
}
