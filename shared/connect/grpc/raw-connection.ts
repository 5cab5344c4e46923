// Raw gRPC connections (the load generator, the keyspace walk): one grpc-js channel (one TCP or TLS connection) per connection asked
// for, spread over the members; requests and responses pass as bytes (no codec on the hot path); a user's password
// is exchanged for a token once per member, sent as etcd's "token" metadata.

import * as grpc from '@grpc/grpc-js';
import type { ConnectionOptions } from '../types.ts';
import { channelCredentials } from './member-client.ts';
import { AUTH_AUTHENTICATE, decodeAuthenticateToken, encodeAuthenticate } from './wire.ts';

const identity = (bytes: Buffer): Buffer => bytes;

export type Reply = (error: grpc.ServiceError | null, response?: Buffer) => void;

export class RawConnection {
  private readonly client: grpc.Client;
  private metadata = new grpc.Metadata();

  constructor(readonly endpoint: string, options: ConnectionOptions) {
    const credentials = endpoint.startsWith('https://') ? channelCredentials(options.tls) : grpc.credentials.createInsecure();
    // A local subchannel pool gives each channel its own connection, even to the same member.
    this.client = new grpc.Client(endpoint.replace(/^https?:\/\//, ''), credentials, {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': -1,
    });
  }

  /** One unary call; the reply comes as bytes. */
  call(path: string, request: Buffer, deadlineMs: number, reply: Reply): void {
    this.client.makeUnaryRequest(path, identity, identity, request, this.metadata, { deadline: Date.now() + deadlineMs }, (error, response) => reply(error, response));
  }

  /** Exchanges a user's password for a token and sends it with every later call. */
  async authenticate(name: string, password: string, deadlineMs: number): Promise<void> {
    const response = await new Promise<Buffer>((resolve, reject) => {
      this.client.makeUnaryRequest(AUTH_AUTHENTICATE, identity, identity, encodeAuthenticate(name, password), new grpc.Metadata(),
        { deadline: Date.now() + deadlineMs }, (error, value) => (error || !value ? reject(error ?? new Error('no reply')) : resolve(value)));
    });
    this.metadata = new grpc.Metadata();
    this.metadata.set('token', decodeAuthenticateToken(response));
  }

  close(): void {
    this.client.close();
  }
}

/** `count` connections, round-robin over the endpoints, authenticated when the options carry a user. */
export async function openConnections(options: ConnectionOptions, count: number): Promise<RawConnection[]> {
  const connections = Array.from({ length: count }, (_, i) => new RawConnection(options.endpoints[i % options.endpoints.length] as string, options));
  try {
    if (options.auth) {
      const { username, password } = options.auth;
      await Promise.all(connections.map((c) => c.authenticate(username, password, options.commandTimeoutMs)));
    }
    return connections;
  } catch (error) {
    for (const connection of connections) connection.close();
    throw error;
  }
}
