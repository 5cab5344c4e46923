// The sandbox's API server: the part of the Kubernetes REST API that kubectl and @kubernetes/client-node use on etcd
// pods, over HTTPS with bearer tokens and a small RBAC: discovery, pods (list/get, server-side Tables), pod logs
// (tailLines, sinceSeconds, timestamps, follow), events (field selectors), nodes, the metrics API (when enabled), and
// exec and port-forward over WebSocket (channel.k8s.io v4/v5 framing; see channels.ts).

import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { runExec, runPortForward, pickProtocol } from './channels.ts';
import type { SandboxNode } from './kubeadm.ts';
import type { StaticPod } from './kubelet.ts';
import {
  eventObjects, eventTable, fieldSelector, K8S_VERSION, labelSelector, list, nodeObject, nodeTable, podObject, podTable, statusObject,
} from './objects.ts';

export interface User {
  name: string;
  /** Verb/resource pairs this user may not use, e.g. `create pods/exec`. */
  denied: string[];
}

export interface ApiServerOptions {
  pods: StaticPod[];
  nodes: SandboxNode[];
  tokens: Map<string, User>;
  tls: { cert: string; key: string };
  metricsApi: boolean;
  /** Every request is appended here as "METHOD /path" (tests count what a command asked of the API server). */
  requestLog?: string;
}

type Handler = (match: RegExpExecArray, url: URL, req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

class ApiError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

const notFound = (resource: string, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });

function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export class ApiServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered, req) => pickProtocol(offered, req.url ?? '') });
  private readonly routes: [string, RegExp, Handler][] = [];
  private readonly started = new Date();

  constructor(private readonly options: ApiServerOptions) {
    this.server = createServer({ cert: options.tls.cert, key: options.tls.key });
    this.server.on('request', (req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.defineRoutes();
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private route(method: string, pattern: string, handler: Handler): void {
    const regex = new RegExp(`^${pattern.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
    this.routes.push([method, regex, handler]);
  }

  private authenticate(req: IncomingMessage): User {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = token ? this.options.tokens.get(token) : undefined;
    if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    return user;
  }

  private authorize(user: User, verb: string, resource: string, namespace?: string, group = ''): void {
    if (!user.denied.includes(`${verb} ${resource}`)) return;
    const where = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
    const [base, sub] = resource.split('/');
    throw new ApiError(403, 'Forbidden',
      `${sub ? base : resource} is forbidden: User "${user.name}" cannot ${verb} resource "${resource}" in API group "${group}"${where}`,
      { kind: base });
  }

  private pod(namespace: string, name: string): StaticPod {
    const pod = namespace === 'kube-system' ? this.options.pods.find((p) => p.name === name) : undefined;
    if (!pod) throw notFound('pods', name);
    return pod;
  }

  private podsIn(namespace: string | undefined, url: URL): StaticPod[] {
    const labels = labelSelector(url.searchParams.get('labelSelector'));
    const fields = fieldSelector(url.searchParams.get('fieldSelector'));
    return this.options.pods.filter((p) => (namespace === undefined || namespace === 'kube-system')
      && labels((p.manifest.metadata as { labels: Record<string, string> }).labels) && fields(podObject(p)));
  }

  private events(namespace: string | undefined, url: URL): Record<string, unknown>[] {
    const fields = fieldSelector(url.searchParams.get('fieldSelector'));
    const all = namespace === undefined || namespace === 'kube-system' ? this.options.pods.flatMap(eventObjects) : [];
    return all.filter(fields);
  }

  private defineRoutes(): void {
    const v1 = (kind: string, name: string, namespaced: boolean, verbs: string[], extra: Record<string, unknown> = {}) =>
      ({ name, singularName: '', namespaced, kind, verbs, ...extra });
    this.route('GET', '/version', (_m, _u, _q, res) => send(res, 200, { ...K8S_VERSION, goVersion: process.version, compiler: 'node' }));
    this.route('GET', '/api', (_m, _u, req, res) => send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host }] }));
    this.route('GET', '/apis', (_m, _u, _q, res) => send(res, 200, {
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: this.options.metricsApi ? [{ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } }] : [],
    }));
    this.route('GET', '/api/v1', (_m, _u, _q, res) => send(res, 200, {
      kind: 'APIResourceList', groupVersion: 'v1',
      resources: [
        v1('Pod', 'pods', true, ['get', 'list'], { shortNames: ['po'], categories: ['all'] }),
        v1('Pod', 'pods/log', true, ['get']),
        v1('PodExecOptions', 'pods/exec', true, ['create', 'get']),
        v1('PodPortForwardOptions', 'pods/portforward', true, ['create', 'get']),
        v1('Event', 'events', true, ['get', 'list'], { shortNames: ['ev'] }),
        v1('Node', 'nodes', false, ['get', 'list'], { shortNames: ['no'] }),
        v1('Namespace', 'namespaces', false, ['get', 'list'], { shortNames: ['ns'] }),
      ],
    }));
    this.route('GET', '/apis/metrics.k8s.io/v1beta1', (_m, _u, _q, res) => {
      if (!this.options.metricsApi) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      send(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'metrics.k8s.io/v1beta1', resources: [
        { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] }] });
    });
    this.route('GET', '/api/v1/namespaces', (_m, _u, _q, res) => send(res, 200, list('Namespace',
      ['default', 'kube-system'].map((name) => ({ metadata: { name, creationTimestamp: this.started.toISOString() }, status: { phase: 'Active' } })))));
    this.route('GET', '/api/v1/namespaces/{ns}', (m, _u, _q, res) => {
      const name = m.groups?.ns as string;
      if (!['default', 'kube-system'].includes(name)) throw notFound('namespaces', name);
      send(res, 200, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } });
    });
    const listPods: Handler = (m, url, req, res) => {
      const pods = this.podsIn(m.groups?.ns, url);
      send(res, 200, wantsTable(req) ? podTable(pods) : list('Pod', pods.map(podObject)));
    };
    this.route('GET', '/api/v1/pods', listPods);
    this.route('GET', '/api/v1/namespaces/{ns}/pods', listPods);
    this.route('GET', '/api/v1/namespaces/{ns}/pods/{name}', (m, _u, req, res) => {
      const pod = this.pod(m.groups?.ns as string, m.groups?.name as string);
      send(res, 200, wantsTable(req) ? podTable([pod]) : podObject(pod));
    });
    this.route('GET', '/api/v1/namespaces/{ns}/pods/{name}/log', (m, url, _q, res) => this.logs(this.pod(m.groups?.ns as string, m.groups?.name as string), url, res));
    const listEvents: Handler = (m, url, req, res) => {
      const events = this.events(m.groups?.ns, url);
      send(res, 200, wantsTable(req) ? eventTable(events) : list('Event', events));
    };
    this.route('GET', '/api/v1/events', listEvents);
    this.route('GET', '/api/v1/namespaces/{ns}/events', listEvents);
    const nodes = () => this.options.nodes.map((n) => nodeObject(n, this.started));
    this.route('GET', '/api/v1/nodes', (_m, _u, req, res) => send(res, 200, wantsTable(req) ? nodeTable(nodes()) : list('Node', nodes())));
    this.route('GET', '/api/v1/nodes/{name}', (m, _u, req, res) => {
      const node = nodes().find((n) => (n.metadata as { name: string }).name === m.groups?.name);
      if (!node) throw notFound('nodes', m.groups?.name as string);
      send(res, 200, wantsTable(req) ? nodeTable([node]) : node);
    });
    // metrics-server reports CPU as a rate (cores over its window): from the change since the previous reading.
    const cpuSamples = new Map<StaticPod, { at: number; seconds: number; rate: number }>();
    const cpuRate = (pod: StaticPod, seconds: number): number => {
      const now = Date.now();
      const previous = cpuSamples.get(pod);
      if (previous && now - previous.at < 1000) return previous.rate;
      const rate = previous ? (seconds - previous.seconds) / ((now - previous.at) / 1000) : seconds / ((now - (pod.startedAt?.getTime() ?? now - 1000)) / 1000);
      cpuSamples.set(pod, { at: now, seconds, rate });
      return rate;
    };
    const podMetrics = (pod: StaticPod): Record<string, unknown> | undefined => {
      const usage = pod.usage();
      if (!usage) return undefined;
      const cores = cpuRate(pod, usage.cpuSeconds);
      return {
        kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name: pod.name, namespace: 'kube-system', creationTimestamp: new Date().toISOString(), labels: (pod.manifest.metadata as { labels: unknown }).labels },
        timestamp: new Date().toISOString(), window: '10s',
        containers: [{ name: pod.container.name, usage: { cpu: `${Math.round(cores * 1e9)}n`, memory: `${Math.round(usage.memoryBytes / 1024)}Ki` } }],
      };
    };
    this.route('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods', (m, url, _q, res) => {
      if (!this.options.metricsApi) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      const items = this.podsIn(m.groups?.ns, url).map(podMetrics).filter((x): x is Record<string, unknown> => x !== undefined);
      send(res, 200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
    });
  }

  private async logs(pod: StaticPod, url: URL, res: ServerResponse): Promise<void> {
    const container = url.searchParams.get('container');
    if (container && container !== pod.container.name) {
      throw new ApiError(400, 'BadRequest', `container ${container} is not valid for pod ${pod.name}`);
    }
    const timestamps = url.searchParams.get('timestamps') === 'true';
    const tail = url.searchParams.get('tailLines');
    const since = url.searchParams.get('sinceSeconds');
    const from = since ? Date.now() - Number(since) * 1000 : 0;
    const line = (l: { time: Date; text: string }): string => `${timestamps ? `${l.time.toISOString().replace('Z', '000000Z')} ` : ''}${l.text}\n`;
    let lines = pod.logs.filter((l) => l.time.getTime() >= from);
    if (tail !== null) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.write(lines.map(line).join(''));
    if (url.searchParams.get('follow') !== 'true') {
      res.end();
      return;
    }
    let sent = pod.logs.length;
    let open = true;
    res.on('close', () => { open = false; });
    while (open && pod.running) {
      await pod.nextLog();
      res.write(pod.logs.slice(sent).map(line).join(''));
      sent = pod.logs.length;
    }
    res.end();
  }

  private record(req: IncomingMessage, url: URL): void {
    if (this.options.requestLog) appendFileSync(this.options.requestLog, `${req.method ?? 'GET'} ${url.pathname}\n`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    this.record(req, url);
    try {
      const user = this.authenticate(req);
      const found = this.routes.map(([method, regex, handler]) => ({ method, match: regex.exec(url.pathname), handler })).filter((r) => r.match);
      const route = found.find((r) => r.method === req.method);
      if (!route) {
        if (/\/(exec|portforward)$/.test(url.pathname)) throw new ApiError(400, 'BadRequest', 'Upgrade request required');
        if (found.length) throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      }
      this.authorizeRequest(user, url.pathname);
      await route.handler(route.match as RegExpExecArray, url, req, res);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const e = error instanceof ApiError ? error : new ApiError(400, 'BadRequest', (error as Error).message);
      send(res, e.code, statusObject(e.code, e.reason, e.message, e.details));
    }
  }

  /** RBAC by path: list/get on pods, pods/log, events, nodes. */
  private authorizeRequest(user: User, path: string): void {
    const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?(pods|events|nodes)(?:\/([^/]+)(?:\/(log))?)?$/.exec(path);
    if (!m) return;
    const [, namespace, resource, name, sub] = m;
    this.authorize(user, name ? 'get' : 'list', sub ? `${resource}/${sub}` : resource as string, namespace);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'https://sandbox');
    this.record(req, url);
    const reject = (e: ApiError): void => {
      const body = JSON.stringify(statusObject(e.code, e.reason, e.message, e.details));
      socket.end(`HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    try {
      const user = this.authenticate(req);
      const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|portforward)$/.exec(url.pathname);
      if (!m) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      const [, namespace, name, action] = m as unknown as [string, string, string, 'exec' | 'portforward'];
      this.authorize(user, 'create', `pods/${action}`, namespace);
      const pod = this.pod(namespace, name);
      if (!pod.running) throw new ApiError(400, 'BadRequest', `pod ${name} is not running (container ${pod.container.name} is waiting to start: CrashLoopBackOff)`);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        if (action === 'exec') runExec(ws, pod, url);
        else runPortForward(ws, pod, url);
      });
    } catch (error) {
      reject(error instanceof ApiError ? error : new ApiError(400, 'BadRequest', (error as Error).message));
    }
  }
}
