// What `snapshot save` and the extension's Take Snapshot ask: a verified snapshot written whole or not at all, here
// (streamed from a member), or, through Kubernetes, on the member's own node (onNode: a path in its pod on a hostPath
// volume). A snapshot that fails changes nothing and says so.

import type { ConnectionOptions } from '../connect/types.ts';
import { saveSnapshot, saveSnapshotOnNode, type NodeSnapshotResult, type SnapshotOptions, type SnapshotResult } from '../maintain/snapshot.ts';
import { RefusedError } from '../util/errors.ts';

export type { NodeSnapshotResult, SnapshotResult };

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
