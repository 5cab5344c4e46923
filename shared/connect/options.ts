// Connection settings from flags and the ETCDCTL_* environment, validated once, with etcdctl's defaults and precedence.

import { readFileSync } from 'node:fs';
import { parseDuration } from '../util/duration.ts';
import { input, UsageError, type Field } from '../util/errors.ts';
import type { ConnectionOptions, Credentials, TlsMaterial } from './types.ts';

/** The flags a door collects, as the user typed them (all optional: the environment and defaults fill the gaps). */
export interface ConnectionFlags {
  endpoints?: string;
  cacert?: string;
  cert?: string;
  key?: string;
  user?: string;
  password?: string;
  insecureSkipTlsVerify?: boolean;
  dialTimeout?: string;
  commandTimeout?: string;
  metricsUrls?: string;
  discover?: boolean;
}

export const DEFAULT_ENDPOINT = '127.0.0.1:2379';
/** etcdctl's: the time to connect to a member, and the deadline of every request. */
export const DEFAULT_TIMEOUTS = { dial: '2s', command: '5s' } as const;

function pick(flag: string | undefined, env: NodeJS.ProcessEnv, name: string): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function readPem(path: string | undefined, field: Field): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code ?? 'error'})`, field);
  }
}

/** Normalises one endpoint to scheme://host:port, or throws a UsageError saying what is wrong with it. */
export function normaliseEndpoint(raw: string, secureByDefault: boolean, field: Field = 'endpoints'): string {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${secureByDefault ? 'https' : 'http'}://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`invalid endpoint "${raw}" (expected host:port or http(s)://host:port)`, field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid endpoint "${raw}": scheme must be http or https`, field);
  }
  if (url.hostname === '' || (url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
    throw new UsageError(`invalid endpoint "${raw}" (expected host:port or http(s)://host:port)`, field);
  }
  if (url.port === '' && !/:\d+\/?$/.test(text)) {
    throw new UsageError(`invalid endpoint "${raw}": missing port`, field);
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return `${url.protocol}//${url.hostname}:${port}`;
}

/** Two member URLs are the same member's (trailing slashes, case and localhost aside). */
export function sameUrl(a: string, b: string): boolean {
  const normal = (u: string): string => u.replace(/\/+$/, '').replace('://localhost:', '://127.0.0.1:').toLowerCase();
  return normal(a) === normal(b);
}

function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** Resolves flags over ETCDCTL_* variables over defaults; throws UsageError for anything malformed. */
export function resolveConnectionOptions(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): ConnectionOptions {
  const cacertPath = pick(flags.cacert, env, 'ETCDCTL_CACERT');
  const certPath = pick(flags.cert, env, 'ETCDCTL_CERT');
  const keyPath = pick(flags.key, env, 'ETCDCTL_KEY');
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new UsageError(`${input('cert')} and ${input('key')} must be given together`, 'cert');
  }
  const skipVerify = flags.insecureSkipTlsVerify === true || /^(1|true)$/i.test(env.ETCDCTL_INSECURE_SKIP_TLS_VERIFY ?? '');
  const tls: TlsMaterial = {
    ca: readPem(cacertPath, 'cacert'),
    cert: readPem(certPath, 'cert'),
    key: readPem(keyPath, 'key'),
    skipVerify,
  };
  const secureByDefault = tls.ca !== undefined || tls.cert !== undefined || skipVerify;

  const endpointText = pick(flags.endpoints, env, 'ETCDCTL_ENDPOINTS') ?? DEFAULT_ENDPOINT;
  const endpoints = splitList(endpointText).map((raw) => normaliseEndpoint(raw, secureByDefault));
  if (endpoints.length === 0) throw new UsageError('no endpoint given', 'endpoints');

  let auth: Credentials | undefined;
  const user = pick(flags.user, env, 'ETCDCTL_USER');
  if (user !== undefined) {
    const colon = user.indexOf(':');
    const username = colon >= 0 ? user.slice(0, colon) : user;
    const password = colon >= 0 ? user.slice(colon + 1) : pick(flags.password, env, 'ETCDCTL_PASSWORD');
    if (username === '') throw new UsageError('empty user name', 'user');
    if (password === undefined) {
      throw new UsageError(`${input('user')} ${username}: no password (use ${input('user')} name:password, ${input('password')} or ETCDCTL_PASSWORD)`, 'user');
    }
    auth = { username, password };
  } else if (pick(flags.password, env, 'ETCDCTL_PASSWORD') !== undefined) {
    throw new UsageError(`${input('password')} needs ${input('user')}`, 'password');
  }

  const dialTimeoutMs = parseDuration(pick(flags.dialTimeout, env, 'ETCDCTL_DIAL_TIMEOUT') ?? DEFAULT_TIMEOUTS.dial, 'dialTimeout');
  const commandTimeoutMs = parseDuration(pick(flags.commandTimeout, env, 'ETCDCTL_COMMAND_TIMEOUT') ?? DEFAULT_TIMEOUTS.command, 'commandTimeout');
  if (dialTimeoutMs <= 0) throw new UsageError('must be greater than 0', 'dialTimeout');
  if (commandTimeoutMs <= 0) throw new UsageError('must be greater than 0', 'commandTimeout');

  let metricsUrls: string[] | undefined;
  if (flags.metricsUrls !== undefined) {
    metricsUrls = splitList(flags.metricsUrls).map((raw) => metricsUrl(raw, secureByDefault));
    if (metricsUrls.length !== endpoints.length) {
      throw new UsageError(`give one URL per endpoint, in the order of ${input('endpoints')} (${metricsUrls.length} for ${endpoints.length})`, 'metricsUrls');
    }
  }
  return { endpoints, tls, auth, dialTimeoutMs, commandTimeoutMs, metricsUrls, discover: flags.discover !== false };
}

function metricsUrl(raw: string, secureByDefault: boolean): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `${secureByDefault ? 'https' : 'http'}://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`invalid URL "${raw}"`, 'metricsUrls');
  }
  const path = url.pathname === '/' ? '/metrics' : url.pathname;
  return `${normaliseEndpoint(`${url.protocol}//${url.host}`, secureByDefault, 'metricsUrls')}${path}`;
}
