// Errors a door turns into exit codes and one-line messages, and the translation of low-level causes into words.
// The core names what the user gave by field (`input('cacert')`), never by a door's word for it: each door says it its
// own way (the CLI as --cacert, the extension as a setting) with sayInWords.

/** Everything a user can give the core, named once; the CLI's flag for each is its kebab-case (--key-space-size). */
export type Field =
  | 'endpoints' | 'cacert' | 'cert' | 'key' | 'user' | 'password' | 'insecureSkipTlsVerify' | 'dialTimeout'
  | 'commandTimeout' | 'metricsUrls' | 'discover' | 'kubeconfig' | 'context' | 'namespace' | 'selector'
  | 'output' | 'out' | 'failOn' | 'window' | 'heartbeatInterval' | 'electionTimeout' | 'prometheusUrl' | 'range'
  | 'prometheusSelector' | 'log' | 'files' | 'since' | 'interval' | 'count'
  | 'fragmentationThreshold' | 'minFreeable' | 'all' | 'member' | 'moveLeader' | 'stepTimeout' | 'pause' | 'force'
  | 'yes' | 'dryRun' | 'auditLog' | 'snapshot' | 'onNode' | 'file' | 'revision' | 'keepRevisions'
  | 'dir' | 'size' | 'block' | 'workload' | 'profile' | 'duration' | 'total' | 'clients' | 'conns' | 'rate'
  | 'keySize' | 'valSize' | 'keySpaceSize' | 'consistency' | 'txnOps' | 'prefix' | 'warmup'
  | 'depth' | 'top' | 'rateLimit' | 'pageSize' | 'format' | 'name' | 'title' | 'uid'
  | 'walFsyncWarn' | 'walFsyncCrit' | 'backendCommitWarn' | 'backendCommitCrit' | 'quotaWarn' | 'quotaCrit' | 'dbSize'
  | 'fragmentation' | 'fragmentationMinInUse' | 'growthHours' | 'leaderChanges' | 'failedProposals' | 'grpcP99' | 'peerRtt' | 'listen' | 'on' | 'clusterLabel' | 'events'
  | 'image' | 'schedule' | 'certDir' | 'cluster' | 'port' | 'apply' | 'access';

/** A reference to a field inside a core message; sayInWords turns it into the door's word for it. */
export function input(field: Field): string {
  return `{${field}}`;
}

/** Bad flags, arguments, settings or input files: exit code 2. `field` names the input at fault. */
export class UsageError extends Error {
  override name = 'UsageError';

  constructor(message: string, readonly field?: Field) {
    super(message);
  }
}

/** Refused, or failed before changing anything (another maintenance holds the lock, a snapshot failed): exit code 1. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

/** No member of the cluster could be reached: exit code 3. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

const REFERENCE = /\{([a-zA-Z]+)\}/g;

/**
 * A core message in a door's words: each field reference becomes `word(field)`, and a message about one field starts
 * with that field's word ("--cacert: cannot read ca.crt (no such file)") unless it already does.
 */
export function sayInWords(message: string, word: (field: Field) => string, field?: Field): string {
  const text = message.replace(REFERENCE, (_, name: string) => word(name as Field));
  return field && !message.startsWith(input(field)) ? `${word(field)}: ${text}` : text;
}

const GRPC_PREFIX = /^\d+ [A-Z_]+: /;

/**
 * One line saying why something failed, without stack or library noise: Node socket errors by their code,
 * gRPC errors by their details, TLS errors by what was wrong.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset by peer';
    case 'EHOSTUNREACH': return 'host unreachable';
    case 'ENOTFOUND': return `host not found (${(error as NodeJS.ErrnoException & { hostname?: string }).hostname ?? 'DNS'})`;
    case 'ETIMEDOUT': return 'timed out';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `TLS: server certificate not trusted (${error.message})`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS: ${error.message}`;
    case 'CERT_HAS_EXPIRED':
      return 'TLS: server certificate has expired';
    default:
      break;
  }
  let message = error.message.split('\n')[0] ?? '';
  message = message.replace(GRPC_PREFIX, '');
  if (/certificate required|alert number 116|handshake failure|alert bad certificate/i.test(message)) {
    return 'TLS: the server requires a client certificate it accepts';
  }
  if (/wrong version number|packet length too long/i.test(message)) {
    return 'TLS: the server does not speak TLS (use an http:// endpoint)';
  }
  return message || error.name;
}

/** An error in one line in a door's words: a usage error names its field first, anything else says why it failed. */
export function errorInWords(error: unknown, word: (field: Field) => string): string {
  return error instanceof UsageError ? sayInWords(error.message, word, error.field) : sayInWords(describeError(error), word);
}
