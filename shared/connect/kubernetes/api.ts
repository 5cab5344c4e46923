// The Kubernetes API as the transport uses it, through @kubernetes/client-node: a kubeconfig with kubectl's precedence
// (the one given, then KUBECONFIG, then ~/.kube/config) and a context; etcdctl run in a pod through exec; an HTTP GET
// through port-forward. client-node is loaded only when a command goes through Kubernetes (it is large; the bundle
// keeps it in a file of its own). API failures become one-line errors naming the verb and resource.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PassThrough } from 'node:stream';
import type * as ClientNode from '@kubernetes/client-node';
import { input, UsageError } from '../../util/errors.ts';
import type { HttpReply } from '../types.ts';
import type { EtcdPod } from './etcd-pod.ts';
import { httpLibrary } from './http.ts';

export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  selector?: string;
}

export const DEFAULT_NAMESPACE = 'kube-system';
export const DEFAULT_SELECTOR = 'component=etcd';

/** Where a pod finds its ServiceAccount's token: present (with KUBERNETES_SERVICE_HOST) only inside a pod. */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Inside a pod with a ServiceAccount token, and no kubeconfig given: the API server is reached as that account (kubectl's in-cluster config). */
export function inCluster(flags: KubeFlags, env: NodeJS.ProcessEnv): boolean {
  return kubeconfigFiles(flags, env).length === 0 && Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(SERVICE_ACCOUNT_TOKEN);
}

/** The kubeconfig files kubectl would read, in its order of precedence, that exist. */
export function kubeconfigFiles(flags: KubeFlags, env: NodeJS.ProcessEnv): string[] {
  if (flags.kubeconfig) return [flags.kubeconfig];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((f) => f !== '' && existsSync(f));
  const home = env.HOME ?? homedir();
  const file = join(home, '.kube', 'config');
  return existsSync(file) ? [file] : [];
}

/** What the bundles ship of client-node (scripts/build.mjs exports these alone): using anything else fails to type-check. */
export type ClientNodeShipped = Pick<typeof ClientNode, 'CoreV1Api' | 'CustomObjectsApi' | 'Exec' | 'KubeConfig' | 'PortForward'
  | 'createConfiguration' | 'ServerConfiguration' | 'ResponseContext' | 'wrapHttpLibrary'>;

export interface KubeApi {
  client: ClientNodeShipped;
  config: ClientNode.KubeConfig;
  context: string;
  server: string;
}

export async function loadKubeApi(flags: KubeFlags, env: NodeJS.ProcessEnv): Promise<KubeApi> {
  const files = kubeconfigFiles(flags, env);
  if (flags.kubeconfig && !existsSync(flags.kubeconfig)) throw new UsageError(`cannot read ${flags.kubeconfig} (no such file)`, 'kubeconfig');
  if (inCluster(flags, env)) {
    if (flags.context) throw new UsageError('in a pod without a kubeconfig there are no contexts: the pod\'s ServiceAccount is used', 'context');
    const client = await import('@kubernetes/client-node');
    const config = new client.KubeConfig();
    config.loadFromCluster();
    return { client, config, context: 'in-cluster', server: config.getCurrentCluster()?.server ?? '' };
  }
  if (files.length === 0) {
    throw new UsageError(`no kubeconfig found (tried ${input('kubeconfig')}, KUBECONFIG and ~/.kube/config): give ${input('kubeconfig')} FILE, or ${input('endpoints')} to reach etcd directly`);
  }
  const client = await import('@kubernetes/client-node');
  const config = new client.KubeConfig();
  try {
    if (files.length === 1) config.loadFromFile(files[0] as string);
    else config.loadFromDefault();
  } catch (error) {
    throw new UsageError(`kubeconfig ${files.join(delimiter)}: ${(error as Error).message.split('\n')[0]}`, 'kubeconfig');
  }
  if (flags.context) {
    if (!config.getContextObject(flags.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw new UsageError(`no context "${flags.context}" in ${files.join(delimiter)} (contexts: ${known.join(', ') || 'none'})`, 'context');
    }
    config.setCurrentContext(flags.context);
  }
  const context = config.getCurrentContext();
  if (!context || !config.getContextObject(context)) throw new UsageError(`kubeconfig ${files.join(delimiter)} has no current context: give ${input('context')}`, 'context');
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new UsageError(`context "${context}" names no cluster with a server`, 'context');
  return { client, config, context, server };
}

/** A generated API client (CoreV1Api, CustomObjectsApi) for the kubeconfig's cluster and user, sending through httpLibrary. */
export function apiClient<T>(api: KubeApi, Type: new (configuration: ClientNode.Configuration) => T): T {
  return new Type(api.client.createConfiguration({
    baseServer: new api.client.ServerConfiguration(api.server, {}),
    authMethods: { default: api.config },
    httpApi: httpLibrary(api.client),
  }));
}

/** A client-node failure as one line: the API's own message (Forbidden says verb and resource), or the network cause. */
export function explainApiError(error: unknown, what: string): string {
  const e = error as { code?: number | string; body?: unknown; message?: string; cause?: { code?: string; message?: string } };
  if (typeof e.code === 'number') {
    let message = '';
    try {
      message = (JSON.parse(String(e.body)) as { message?: string }).message ?? '';
    } catch {
      message = String(e.body ?? '');
    }
    if (e.code === 401) return `${what}: unauthorized (HTTP 401): the kubeconfig's credentials were refused`;
    return `${what}: ${message || `HTTP ${e.code}`}`;
  }
  const code = typeof e.code === 'string' ? e.code : e.cause?.code;
  if (code && UNTRUSTED_SERVER.has(code)) {
    const reason = /reason: (.*)$/.exec(e.message ?? '')?.[1] ?? e.message ?? code;
    return `${what}: the API server's certificate is not trusted by the kubeconfig's certificate-authority (${reason})`;
  }
  const cause = e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
  return `${what}: ${cause}`;
}

/** Node's codes for a server certificate that the given CA does not verify. */
const UNTRUSTED_SERVER = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']);

export class ApiStatusError extends Error {
  constructor(message: string, readonly status: number | undefined) {
    super(message);
  }
}

/** The error of a refused WebSocket upgrade (ws says "Unexpected server response: 403"). */
function upgradeStatus(error: unknown): number | undefined {
  const text = (error as { message?: string }).message ?? '';
  const m = /Unexpected server response: (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function explainUpgrade(error: unknown, verb: string, pod: EtcdPod): ApiStatusError {
  const status = upgradeStatus(error);
  const resource = `pods/${verb}`;
  // A WebSocket upgrade is a GET the API server authorizes as get and create: a refusal does not say which was missing.
  if (status === 403) return new ApiStatusError(`forbidden: the kubeconfig's user may not get and create "${resource}" in namespace ${pod.namespace} (RBAC)`, status);
  if (status === 401) return new ApiStatusError('unauthorized (HTTP 401): the kubeconfig\'s credentials were refused', status);
  if (status === 404) return new ApiStatusError(`pod ${pod.namespace}/${pod.name} not found`, status);
  if (status === 400) return new ApiStatusError(`pod ${pod.namespace}/${pod.name} cannot ${verb} (HTTP 400: not running?)`, status);
  return new ApiStatusError(`${verb} into pod ${pod.namespace}/${pod.name}: ${(error as Error).message ?? String(error)}`, status);
}

interface Socket {
  close(): void;
  on?(event: 'close', listener: () => void): void;
  addEventListener?(event: 'close', listener: () => void): void;
}

function onClose(socket: Socket, listener: () => void): void {
  if (socket.on) socket.on('close', listener);
  else socket.addEventListener?.('close', listener);
}

/** The last "Error: ..." line etcdctl wrote, or its last line: the cause without its log noise. */
export function etcdctlError(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => l.startsWith('Error: '));
  if (error) return error.slice('Error: '.length);
  const last = lines[lines.length - 1];
  if (last?.startsWith('{')) {
    try {
      const entry = JSON.parse(last) as { error?: string; msg?: string };
      return entry.error ?? entry.msg;
    } catch {
      return last;
    }
  }
  return last;
}

/** Runs a command in the pod's etcd container; resolves with stdout, or rejects with the command's own error. */
export async function execInPod(api: KubeApi, pod: EtcdPod, command: string[], timeoutMs: number, stdin?: string): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const input = stdin === undefined ? null : new PassThrough();
  return new Promise<string>((resolve, reject) => {
    let socket: Socket | undefined;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(Buffer.concat(out).toString('utf8'));
    };
    const timer = setTimeout(() => {
      socket?.close();
      finish(new Error(`no answer from ${command[0]} in pod ${pod.name} within ${Math.round(timeoutMs / 1000)}s`));
    }, timeoutMs);
    const onStatus = (status: ClientNode.V1Status): void => {
      if (status.status === 'Success') {
        finish();
        return;
      }
      const code = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
      const cause = etcdctlError(Buffer.concat(err).toString('utf8'));
      finish(new Error(code !== undefined ? (cause ?? `${command[0]} exited with code ${code}`) : (status.message ?? 'exec failed')));
    };
    new api.client.Exec(api.config)
      .exec(pod.namespace, pod.name, pod.container, command, stdout, stderr, input, false, onStatus)
      .then((ws) => {
        socket = ws as unknown as Socket;
        onClose(socket, () => setTimeout(() => finish(new Error(`exec into pod ${pod.name} ended without a status`)), 50));
        if (input) input.end(stdin);
      })
      .catch((error: unknown) => finish(explainUpgrade(error, 'exec', pod)));
  });
}

/** GET `url` (as seen from inside the pod) through the port-forward API; resolves with the body of a 200 answer. */
export async function getThroughPortForward(api: KubeApi, pod: EtcdPod, url: string, timeoutMs: number): Promise<string> {
  const reply = await httpThroughPortForward(api, pod, url, timeoutMs);
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status} from ${url} in pod ${pod.name}`);
  return reply.body;
}

/** A GET to a port of the pod, through the API server's port-forward: the status and the body, whatever the status. */
export async function httpThroughPortForward(api: KubeApi, pod: EtcdPod, url: string, timeoutMs: number): Promise<HttpReply> {
  const target = new URL(url);
  const port = Number(target.port || 80);
  const output = new PassThrough();
  const errors = new PassThrough();
  const input = new PassThrough();
  const received: Buffer[] = [];
  let errorText = '';
  output.on('data', (c: Buffer) => received.push(c));
  errors.on('data', (c: Buffer) => { errorText += c.toString(); });
  const response = await new Promise<Buffer>((resolve, reject) => {
    let socket: Socket | undefined;
    const timer = setTimeout(() => {
      socket?.close();
      reject(new Error(`no answer through port-forward to ${pod.name}:${port} within ${Math.round(timeoutMs / 1000)}s`));
    }, timeoutMs);
    new api.client.PortForward(api.config, false)
      .portForward(pod.namespace, pod.name, [port], output, errors, input)
      .then((ws) => {
        socket = ws as unknown as Socket;
        onClose(socket, () => {
          clearTimeout(timer);
          if (errorText) reject(new Error(errorText.trim().split('\n')[0]));
          else resolve(Buffer.concat(received));
        });
        input.write(`GET ${target.pathname}${target.search} HTTP/1.0\r\nHost: ${target.host}\r\nAccept: text/plain;version=0.0.4\r\n\r\n`);
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(explainUpgrade(error, 'portforward', pod));
      });
  });
  const split = response.indexOf('\r\n\r\n');
  const head = response.subarray(0, split < 0 ? response.length : split).toString('latin1');
  const status = /^HTTP\/\d\.\d (\d{3})/.exec(head)?.[1];
  if (!status) throw new Error(`no HTTP answer from ${url} in pod ${pod.name}`);
  return { status: Number(status), body: response.subarray(split + 4).toString('utf8') };
}
