// One etcd3 client per member: etcd3 picks a random host per call, so per-member calls need a client of their own.
// Every call carries a deadline and runs once (no library retries), so a dead or frozen member costs at most one timeout.
// All of a member's services share one gRPC channel, with credentials made here from the TLS options.

import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { noop } from 'cockatiel';
import { Etcd3 } from 'etcd3';
import type { ConnectionOptions, TlsMaterial } from '../types.ts';

export interface MemberClient {
  endpoint: string;
  client: Etcd3;
  /** One unary call as bytes, on the member's channel, with its auth token: for messages etcd3's proto does not know. */
  unary(path: string, request: Buffer, deadlineMs: number): Promise<Buffer>;
  close(): void;
}

const identity = (bytes: Buffer): Buffer => bytes;

export function openMemberClient(endpoint: string, options: ConnectionOptions): MemberClient {
  const secure = endpoint.startsWith('https://');
  const credentials = secure ? channelCredentials(options.tls) : grpc.credentials.createInsecure();
  // etcd3 makes one grpc client per service (KV, Maintenance, Cluster, ...), each with a channel of its own; grpc-js'
  // channelOverride, passed through etcd3's grpcOptions, lets them share one: a third of the set-up work per member.
  const channel = new grpc.Channel(endpoint.replace(/^https?:\/\//, ''), credentials, {});
  const client = new Etcd3({
    hosts: [endpoint],
    grpcOptions: { channelOverride: channel } as grpc.ChannelOptions,
    auth: options.auth
      ? { ...options.auth, callOptions: () => ({ deadline: Date.now() + options.commandTimeoutMs }) }
      : undefined,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + options.commandTimeoutMs }),
    faultHandling: { host: () => noop, global: noop },
  });
  // The password-to-token exchange runs on a channel etcd3 makes itself: it must use the same credentials.
  if (options.auth) authenticatorOf(client).credentials = credentials;
  let raw: grpc.Client | undefined;
  return {
    endpoint,
    client,
    unary: async (path, request, deadlineMs) => {
      const metadata = options.auth ? await authenticatorOf(client).getMetadata() : new grpc.Metadata();
      raw ??= new grpc.Client(endpoint.replace(/^https?:\/\//, ''), credentials, { channelOverride: channel });
      const call = raw;
      return new Promise((resolve, reject) => {
        call.makeUnaryRequest(path, identity, identity, request, metadata, { deadline: deadlineMs },
          (error, response) => (error || !response ? reject(error ?? new Error(`${path}: no reply`)) : resolve(response)));
      });
    },
    close: () => {
      client.close();
      raw?.close();
      channel.close();
    },
  };
}

/** gRPC channel credentials from the TLS options (a client certificate, a CA, or none; verification skipped if asked). */
export function channelCredentials(tls: TlsMaterial): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, tls.skipVerify
    ? { rejectUnauthorized: false, checkServerIdentity: () => undefined }
    : {});
}

/**
 * etcd3 1.1.2 keeps the credentials of its auth exchange on the pool's authenticator and builds them from its own
 * `credentials` option, which can neither skip verification nor present a client certificate without a CA.
 */
interface Authenticator {
  credentials: grpc.ChannelCredentials;
  /** The call metadata with the token, fetched once and cached by etcd3. */
  getMetadata(): Promise<grpc.Metadata>;
}

function authenticatorOf(client: Etcd3): Authenticator {
  return (client as unknown as { pool: { authenticator: Authenticator } }).pool.authenticator;
}

/**
 * Opens (and closes) a TCP or TLS connection within --dial-timeout: a fast, precise answer to "can we reach this member,
 * and does it accept our certificates", before any gRPC call.
 */
export function dial(endpoint: string, options: ConnectionOptions): Promise<void> {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port);
  return new Promise((resolve, reject) => {
    let socket: Socket;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`dial timed out after ${options.dialTimeoutMs} ms`));
    }, options.dialTimeoutMs);
    const done = (error?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    if (url.protocol === 'https:') {
      const { tls } = options;
      socket = tlsConnect({
        host, port, ca: tls.ca, cert: tls.cert, key: tls.key, ALPNProtocols: ['h2'],
        rejectUnauthorized: !tls.skipVerify,
        servername: /^[\d.]+$|:/.test(host) ? undefined : host,
      }, () => {
        // TLS 1.3 servers reject a missing or bad client certificate after the handshake: wait briefly for the alert.
        const settle = setTimeout(() => done(), 50);
        socket.once('error', (error) => { clearTimeout(settle); done(error); });
      });
    } else {
      socket = tcpConnect({ host, port }, () => done());
    }
    socket.once('error', (error) => done(error));
  });
}
