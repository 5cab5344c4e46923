// The CLI's words for the core's inputs, and the flags every command shares. A field of the core is its flag in
// kebab case (keySpaceSize is --key-space-size); values come out of commander as typed, checked by the core.

import { Option, type Command } from 'commander';
import { CHECK_DEFAULTS, type CheckInput } from '../shared/entry/check.ts';
import { CONNECTION_DEFAULTS, type ConnectionRequest } from '../shared/entry/connect.ts';
import { sayInWords, type Field } from '../shared/util/errors.ts';
import { choice } from '../shared/util/input.ts';

/** What commander hands an action: the options by camelCase name, and the positional arguments. */
export interface Raw {
  opts: Record<string, unknown>;
  args: unknown[];
}

const WORDS: Partial<Record<Field, string>> = { output: '-o/--output', namespace: '-n/--namespace', workload: 'workload', files: 'files' };

/** The flag (or argument) a field is given with. */
export function flagWord(field: Field): string {
  return WORDS[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** A core message in the CLI's words. */
export function say(message: string, field?: Field): string {
  return sayInWords(message, flagWord, field);
}

export const text = (raw: Raw, key: string): string | undefined => (typeof raw.opts[key] === 'string' ? raw.opts[key] as string : undefined);
export const flag = (raw: Raw, key: string): boolean => raw.opts[key] === true;
export const list = (raw: Raw, key: string): string[] => (Array.isArray(raw.opts[key]) ? raw.opts[key] as string[] : []);

/** -o/--output, one of `allowed` ("md" is markdown). */
export function output<T extends string>(raw: Raw, allowed: readonly T[], what = 'format'): T {
  const given = text(raw, 'output') ?? (allowed[0] as T);
  return choice(given === 'md' ? 'markdown' : given, allowed, 'output', what);
}

export const DATA_FORMATS = ['table', 'json', 'yaml'] as const;
export const REPORT_LIKE_FORMATS = ['table', 'json', 'yaml', 'markdown'] as const;

export function withOutput(command: Command, allowed: readonly string[]): Command {
  return command.option('-o, --output <format>', allowed.join(', '), allowed[0]);
}

/** A repeatable flag's values, in order. */
export const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

export function withConnectionFlags(command: Command): Command {
  return command
    .option('--endpoints <list>', `comma-separated member endpoints, host:port or http(s)://host:port (env ETCDCTL_ENDPOINTS; default ${CONNECTION_DEFAULTS.endpoint})`)
    .option('--cacert <file>', 'CA bundle to verify members\' certificates (env ETCDCTL_CACERT)')
    .option('--cert <file>', 'client certificate (env ETCDCTL_CERT)')
    .option('--key <file>', 'client private key (env ETCDCTL_KEY)')
    .option('--user <name[:password]>', 'etcd user for auth-enabled clusters (env ETCDCTL_USER)')
    .option('--password <password>', 'password for --user (env ETCDCTL_PASSWORD); never printed')
    .option('--insecure-skip-tls-verify', 'accept any server certificate (env ETCDCTL_INSECURE_SKIP_TLS_VERIFY)')
    .option('--dial-timeout <duration>', `time to connect to a member (env ETCDCTL_DIAL_TIMEOUT; default ${CONNECTION_DEFAULTS.dialTimeout})`)
    .option('--command-timeout <duration>', `deadline of each request to a member (env ETCDCTL_COMMAND_TIMEOUT; default ${CONNECTION_DEFAULTS.commandTimeout})`)
    .option('--metrics-urls <list>', 'metrics URLs, one per endpoint in the same order (default: each member\'s client URL + /metrics)')
    .addOption(new Option('--no-discover', 'use only the given endpoints instead of every member in the member list'))
    .option('--kubeconfig <file>', 'go through this kubeconfig\'s cluster: etcdctl in each etcd pod, metrics by port-forward (env KUBECONFIG; default ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('-n, --namespace <name>', `namespace of the etcd pods (default ${CONNECTION_DEFAULTS.namespace})`)
    .option('--selector <labels>', `label selector of the etcd pods (default ${CONNECTION_DEFAULTS.selector})`);
}

export function connectionRequest(raw: Raw): ConnectionRequest {
  return {
    endpoints: text(raw, 'endpoints'), cacert: text(raw, 'cacert'), cert: text(raw, 'cert'), key: text(raw, 'key'),
    user: text(raw, 'user'), password: text(raw, 'password'), insecureSkipTlsVerify: flag(raw, 'insecureSkipTlsVerify'),
    dialTimeout: text(raw, 'dialTimeout'), commandTimeout: text(raw, 'commandTimeout'), metricsUrls: text(raw, 'metricsUrls'),
    discover: raw.opts.discover !== false,
    kubeconfig: text(raw, 'kubeconfig'), context: text(raw, 'context'), namespace: text(raw, 'namespace'), selector: text(raw, 'selector'),
  };
}

/** What check and report measure with: the window, the raft timing to judge RTT by, or Prometheus' history. */
export function withMeasureFlags(command: Command): Command {
  return withConnectionFlags(command)
    .option('--window <duration>', 'measure latency and counters over this window (0: lifetime counters)', CHECK_DEFAULTS.window)
    .option('--heartbeat-interval <duration>', 'the cluster\'s --heartbeat-interval, to judge peer RTT (through Kubernetes: read from the pods)', CHECK_DEFAULTS.heartbeatInterval)
    .option('--election-timeout <duration>', 'the cluster\'s --election-timeout, judged against the RTT and the heartbeat (through Kubernetes: read from the pods)', CHECK_DEFAULTS.electionTimeout)
    .option('--prometheus-url <url>', 'take the members\' metrics from this Prometheus server (over --range) instead of scraping them')
    .option('--range <duration>', 'with --prometheus-url: how much history to judge latency and counters over', CHECK_DEFAULTS.range)
    .option('--prometheus-selector <matchers>', 'with --prometheus-url: label matchers for etcd\'s series, e.g. job="etcd"')
    .option('--deep', 'also walk the keyspace after the window (what fills etcd; see kubectl etcd-perf keyspace)')
    .option('--log <file>', 'also read this etcd log file (- for stdin; repeatable): its findings, the timeline of slow events (through Kubernetes the pods\' logs are read anyway)', repeatable, [] as string[]);
}

/** The measure flags as the core's check input (log files named; the command reads them). */
export function checkInput(raw: Raw): CheckInput & { logs: string[] } {
  return {
    window: text(raw, 'window'), heartbeatInterval: text(raw, 'heartbeatInterval'), electionTimeout: text(raw, 'electionTimeout'),
    prometheusUrl: text(raw, 'prometheusUrl'), range: text(raw, 'range'), prometheusSelector: text(raw, 'prometheusSelector'),
    deep: flag(raw, 'deep'), logs: list(raw, 'log'),
  };
}
