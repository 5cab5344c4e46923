// Errors a door turns into exit codes and one-line messages, and the translation of low-level causes into words.

/** Bad flags, arguments or input files: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** No member of the cluster could be reached: exit code 3. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
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
      return `TLS: server certificate not trusted (${error.message}); check --cacert`;
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
    return 'TLS: the server requires a client certificate it accepts; check --cert and --key';
  }
  if (/wrong version number|packet length too long/i.test(message)) {
    return 'TLS: the server does not speak TLS (use an http:// endpoint)';
  }
  return message || error.name;
}

/** True when a member refused our credentials (wrong user or password, or a user without rights). */
/** Refused by Kubernetes RBAC (the Kubernetes transport's exec or port-forward). */
export function isForbidden(message: string): boolean {
  return /^forbidden: /.test(message);
}

export function isAuthFailure(message: string): boolean {
  return /authentication failed|invalid auth token|user name is empty|user name not found|invalid user ID or password/i.test(message);
}
