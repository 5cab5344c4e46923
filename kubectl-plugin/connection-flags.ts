// etcdctl's connection flags, shared by every command that talks to etcd (ETCDCTL_* variables fill what is not given).

import { Option, type Command } from 'commander';
import type { ConnectionFlags } from '../shared/connect/options.ts';

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
    .addOption(new Option('--no-discover', 'use only the given endpoints instead of every member in the member list'));
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
