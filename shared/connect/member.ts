// A member's operations, whatever carries them: gRPC through the member's own etcd3 client (direct endpoints,
// grpc/transport.ts), or etcdctl run in the member's pod through the Kubernetes API (kubernetes/transport.ts). The
// collectors and maintenance reach members only through this, so both transports give the same results.

import { grpcTransport } from './grpc/transport.ts';
import type { ConnectionOptions, MemberOps, Transport } from './types.ts';

export function transportOf(options: ConnectionOptions): Transport {
  return options.transport ?? grpcTransport;
}

/** The member behind `endpoint`, through the connection's transport. Close it in `finally`. */
export function openMember(endpoint: string, options: ConnectionOptions): MemberOps {
  return transportOf(options).open(endpoint, options);
}
