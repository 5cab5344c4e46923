// How every command that talks to etcd reaches it: etcdctl's connection flags (ETCDCTL_* variables fill what is not
// given), or kubectl's (--kubeconfig, --context, -n, --selector) to go through the Kubernetes API. Without --endpoints
// (or ETCDCTL_ENDPOINTS) and with a usable kubeconfig, the Kubernetes transport is used.

import { Option, type Command } from 'commander';
import { DEFAULT_NAMESPACE, DEFAULT_SELECTOR, kubeconfigFiles, type KubeFlags } from '../shared/connect/kubernetes/api.ts';
import { resolveConnectionOptions, type ConnectionFlags, type ConnectionOptions } from '../shared/connect/options.ts';
import type { Logger } from '../shared/ports.ts';
import { UsageError } from '../shared/util/errors.ts';

export function addConnectionFlags(command: Command): Command {
  return command
    .option('--endpoints <list>', 'comma-separated member endpoints, host:port or http(s)://host:port (env ETCDCTL_ENDPOINTS)', undefined)
    .option('--cacert <file>', 'CA bundle to verify members\' certificates (env ETCDCTL_CACERT)')
    .option('--cert <file>', 'client certificate (env ETCDCTL_CERT)')
    .option('--key <file>', 'client private key (env ETCDCTL_KEY)')
    .option('--user <name[:password]>', 'etcd user for auth-enabled clusters (env ETCDCTL_USER)')
    .option('--password <password>', 'password for --user (env ETCDCTL_PASSWORD); never printed')
    .option('--insecure-skip-tls-verify', 'accept any server certificate (env ETCDCTL_INSECURE_SKIP_TLS_VERIFY)')
    .option('--dial-timeout <duration>', 'time to connect to a member (env ETCDCTL_DIAL_TIMEOUT; default 2s)')
    .option('--command-timeout <duration>', 'deadline of each request to a member (env ETCDCTL_COMMAND_TIMEOUT; default 5s)')
    .option('--metrics-urls <list>', 'metrics URLs, one per endpoint in the same order (default: each member\'s client URL + /metrics)')
    .addOption(new Option('--no-discover', 'use only the given endpoints instead of every member in the member list'))
    .option('--kubeconfig <file>', 'go through this kubeconfig\'s cluster: etcdctl in each etcd pod, metrics by port-forward (env KUBECONFIG; default ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('-n, --namespace <name>', `namespace of the etcd pods (default ${DEFAULT_NAMESPACE})`)
    .option('--selector <labels>', `label selector of the etcd pods (default ${DEFAULT_SELECTOR})`);
}

function kubeFlags(options: Record<string, unknown>): KubeFlags {
  const text = (key: string): string | undefined => (typeof options[key] === 'string' ? (options[key] as string) : undefined);
  return { kubeconfig: text('kubeconfig'), context: text('context'), namespace: text('namespace'), selector: text('selector') };
}

/**
 * Direct endpoints when --endpoints (or ETCDCTL_ENDPOINTS) is given or no kubeconfig is usable; otherwise the etcd pods
 * of the kubeconfig's cluster, found through the API server.
 */
export async function resolveConnection(options: Record<string, unknown>, env: NodeJS.ProcessEnv, logger?: Logger): Promise<ConnectionOptions> {
  const flags = connectionFlags(options);
  const kube = kubeFlags(options);
  const direct = Boolean(flags.endpoints || env.ETCDCTL_ENDPOINTS);
  const kubeAsked = Object.values(kube).some((v) => v !== undefined);
  if (direct && kubeAsked) {
    throw new UsageError('--endpoints and the Kubernetes flags (--kubeconfig, --context, -n, --selector) exclude each other: give one or the other');
  }
  const base = resolveConnectionOptions(flags, env);
  if (direct || (!kubeAsked && kubeconfigFiles(kube, env).length === 0)) return base;
  const { connectKubernetes } = await import('../shared/connect/kubernetes/connect.ts');
  const found = await connectKubernetes(kube, base, env);
  logger?.info(`through Kubernetes (context ${found.context}): ${found.pods.length} etcd pods in ${found.namespace} (${found.selector}): ${found.pods.map((p) => p.name).join(', ')}`);
  return found.options;
}

export function connectionFlags(options: Record<string, unknown>): ConnectionFlags {
  const text = (key: string): string | undefined => (typeof options[key] === 'string' ? (options[key] as string) : undefined);
  return {
    endpoints: text('endpoints'),
    cacert: text('cacert'),
    cert: text('cert'),
    key: text('key'),
    user: text('user'),
    password: text('password'),
    insecureSkipTlsVerify: options.insecureSkipTlsVerify === true,
    dialTimeout: text('dialTimeout'),
    commandTimeout: text('commandTimeout'),
    metricsUrls: text('metricsUrls'),
    discover: options.discover !== false,
  };
}
