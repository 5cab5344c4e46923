// What `keyspace` and check --deep ask: what fills etcd. The request checked, the member to read from chosen (a
// follower for serializable reads, so the leader is spared), then the walk there.

import { agreedLeaderId } from '../analyse/members.ts';
import { walkKeyspace, type KeyspaceReport, type KeyspaceRequest } from '../collect/keyspace.ts';
import { openMember, transportOf } from '../connect/member.ts';
import type { ConnectionOptions, MemberStatus } from '../connect/types.ts';
import { MiB } from '../util/bytes.ts';
import { describeError, input, UnreachableError, UsageError } from '../util/errors.ts';
import { choice, count, type InputSpec } from '../util/input.ts';

export const KEYSPACE_DEFAULTS = { prefix: '/', depth: '2', top: '10', rateLimit: '0', consistency: 's', pageSize: '1000' } as const;

/** Pages adapt to about this many bytes: large pages for speed, bounded memory (one page is held at a time). */
const PAGE_BYTES = 4 * MiB;

/** The walk of check --deep: every key under /, serializable from a follower, the ten largest. */
export const DEEP_WALK: KeyspaceRequest = {
  prefix: '/', depth: 2, byNamespace: false, top: 10, rateLimit: 0, keysOnly: false, serializable: true, pageKeys: 1000, pageBytes: PAGE_BYTES,
};

export const KEYSPACE_INPUTS: ReadonlyArray<InputSpec<keyof KeyspaceInput>> = [
  { name: 'prefix', value: 'key', default: KEYSPACE_DEFAULTS.prefix, help: 'walk only the keys under this prefix' },
  { name: 'depth', value: 'n', default: KEYSPACE_DEFAULTS.depth, help: 'outside /registry/: group by this many path segments' },
  { name: 'top', value: 'n', default: KEYSPACE_DEFAULTS.top, help: 'how many largest and most rewritten keys to list' },
  { name: 'byNamespace', help: 'split each Kubernetes resource by namespace' },
  { name: 'keysOnly', help: 'count keys without reading values (faster; bytes are then key bytes only)' },
  { name: 'rateLimit', value: 'keys/s', default: KEYSPACE_DEFAULTS.rateLimit, help: 'read at most this many keys per second (0: no limit)' },
  { name: 'consistency', value: 'l|s', default: KEYSPACE_DEFAULTS.consistency, help: 's: serializable reads from a follower (spares the leader); l: linearizable' },
  { name: 'pageSize', value: 'keys', default: KEYSPACE_DEFAULTS.pageSize, help: 'keys in the first page; later pages adapt to about 4 MiB' },
];

export interface KeyspaceInput {
  prefix?: string;
  depth?: string;
  top?: string;
  byNamespace?: boolean;
  keysOnly?: boolean;
  rateLimit?: string;
  consistency?: string;
  pageSize?: string;
}

export function keyspaceRequest(given: KeyspaceInput): KeyspaceRequest {
  return {
    prefix: given.prefix ?? KEYSPACE_DEFAULTS.prefix,
    depth: count(given.depth ?? KEYSPACE_DEFAULTS.depth, 'depth', 1),
    top: count(given.top ?? KEYSPACE_DEFAULTS.top, 'top'),
    byNamespace: given.byNamespace === true,
    keysOnly: given.keysOnly === true,
    rateLimit: count(given.rateLimit ?? KEYSPACE_DEFAULTS.rateLimit, 'rateLimit'),
    serializable: choice(given.consistency ?? KEYSPACE_DEFAULTS.consistency, ['l', 's'] as const, 'consistency') === 's',
    pageKeys: count(given.pageSize ?? KEYSPACE_DEFAULTS.pageSize, 'pageSize', 1),
    pageBytes: PAGE_BYTES,
  };
}

/** A follower when serializable (any healthy member otherwise), by asking every given endpoint for its status. */
export async function chooseMember(connection: ConnectionOptions, preferFollower: boolean): Promise<string> {
  const answers = await Promise.all(connection.endpoints.map(async (endpoint) => {
    const member = openMember(endpoint, connection);
    try {
      return { endpoint, status: await member.status() as MemberStatus | undefined, error: undefined };
    } catch (error) {
      return { endpoint, status: undefined, error: describeError(error) };
    } finally {
      member.close();
    }
  }));
  const leaderId = agreedLeaderId(answers);
  const up = answers.filter((a) => a.status !== undefined);
  const chosen = (preferFollower ? up.find((a) => a.status?.memberId !== leaderId) : undefined) ?? up[0];
  if (!chosen) throw new UnreachableError(`no member reachable: ${answers.map((a) => `${a.endpoint}: ${a.error}`).join('; ')}`);
  return chosen.endpoint;
}

export type { KeyspaceRequest };

export async function runKeyspace(connection: ConnectionOptions, request: KeyspaceRequest): Promise<KeyspaceReport> {
  if (transportOf(connection).kind !== 'grpc') {
    throw new UsageError(`keyspace reads the members over gRPC: give ${input('endpoints')} (through Kubernetes, e.g. with kubectl port-forward)`);
  }
  const endpoint = await chooseMember(connection, request.serializable);
  return walkKeyspace(endpoint, connection, request);
}
