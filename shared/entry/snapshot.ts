// What `snapshot save` and the extension's Take Snapshot ask: a verified snapshot written whole or not at all, here
// (streamed from a member), or, through Kubernetes, on the member's own node (onNode: a path in its pod on a hostPath
// volume). A snapshot that fails changes nothing and says so.

import type { ConnectionOptions } from '../connect/types.ts';
import { saveSnapshot, saveSnapshotOnNode, type NodeSnapshotResult, type SnapshotOptions, type SnapshotResult } from '../maintain/snapshot.ts';
import { RefusedError } from '../util/errors.ts';
import type { InputSpec } from '../util/input.ts';

export type { NodeSnapshotResult, SnapshotResult };

export const SNAPSHOT_INPUTS: ReadonlyArray<InputSpec<'member' | 'force' | 'onNode'>> = [
  { name: 'member', value: 'name|id|url', help: 'member to stream from (default: the healthy follower with the least lag)' },
  { name: 'force', help: 'replace the file if it exists' },
  { name: 'onNode', help: 'through Kubernetes: the file is a path in the member\'s pod on a hostPath volume (kubeadm: /var/lib/etcd/...), so the snapshot is saved on that node\'s disk' },
];

export interface SnapshotRequest extends SnapshotOptions {
  /** Where to write it: a local file, or with onNode a path inside the member's pod. */
  file: string;
  onNode?: boolean;
}

export async function takeSnapshot(connection: ConnectionOptions, request: SnapshotRequest): Promise<SnapshotResult | NodeSnapshotResult> {
  try {
    return request.onNode ? await saveSnapshotOnNode(connection, request.file, request) : await saveSnapshot(connection, request.file, request);
  } catch (error) {
    throw error instanceof RefusedError ? new RefusedError(`${error.message}; nothing was written`) : error;
  }
}
