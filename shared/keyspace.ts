// The core's entry point for `keyspace`: pick the member to read from (a follower for serializable reads, so the
// leader is spared), then walk the keyspace there.

import { walkKeyspace, type KeyspaceReport, type KeyspaceRequest } from './collect/keyspace.ts';
import { openMember } from './connect/member.ts';
import type { ConnectionOptions } from './connect/options.ts';
import { describeError, UnreachableError } from './util/errors.ts';

/** A follower when serializable (any healthy member otherwise), by asking every given endpoint for its status. */
export async function chooseMember(connection: ConnectionOptions, preferFollower: boolean): Promise<string> {
  const answers = await Promise.all(connection.endpoints.map(async (endpoint) => {
    const member = openMember(endpoint, connection);
    try {
      const status = await member.status();
      return { endpoint, leader: status.leaderId === status.memberId, error: undefined };
    } catch (error) {
      return { endpoint, leader: false, error: describeError(error) };
    } finally {
      member.close();
    }
  }));
  const up = answers.filter((a) => a.error === undefined);
  const chosen = (preferFollower ? up.find((a) => !a.leader) : undefined) ?? up[0];
  if (!chosen) throw new UnreachableError(`no member reachable: ${answers.map((a) => `${a.endpoint}: ${a.error}`).join('; ')}`);
  return chosen.endpoint;
}

export async function runKeyspace(connection: ConnectionOptions, request: KeyspaceRequest): Promise<KeyspaceReport> {
  const endpoint = await chooseMember(connection, request.serializable);
  return walkKeyspace(endpoint, connection, request);
}
