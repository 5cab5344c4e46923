// What `bench disk` and `bench load` ask: etcd's fio recipe run natively on a directory's disk, and a load test
// (check perf's profiles or etcd benchmark's workloads) against the members over gRPC, each request checked first.

import { DISK_DEFAULTS, probeDisk, type DiskProbeRequest, type DiskProbeResult } from '../bench/disk.ts';
import { runLoadBench, type LoadRequest, type LoadResult } from '../bench/load.ts';
import { LOAD_DEFAULTS, loadSpec, PROFILES, WORKLOADS, type LoadInput } from '../bench/load-spec.ts';
import { transportOf } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { input, UsageError } from '../util/errors.ts';
import { bytes, positiveDuration } from '../util/input.ts';
import { CHECK_DEFAULTS } from './check.ts';

export { DISK_DEFAULTS, LOAD_DEFAULTS, PROFILES, WORKLOADS, type DiskProbeResult, type LoadInput, type LoadResult };

export function runDiskProbe(given: { dir?: string; size?: string; block?: string }, run: Pick<DiskProbeRequest, 'signal' | 'onProgress'>): Promise<DiskProbeResult> {
  return probeDisk({
    dir: given.dir ?? DISK_DEFAULTS.dir,
    sizeBytes: bytes(given.size ?? DISK_DEFAULTS.size, 'size', '22MiB or 2300', 1),
    blockBytes: bytes(given.block ?? DISK_DEFAULTS.block, 'block', '22MiB or 2300', 1),
    ...run,
  });
}

/** The load's request checked whole (a bad value is a usage error naming its field) before anything is written. */
export function runLoad(connection: ConnectionOptions, given: LoadInput & { heartbeatInterval?: string }, run: Omit<LoadRequest, 'spec' | 'heartbeatMs'>): Promise<LoadResult> {
  const heartbeatMs = positiveDuration(given.heartbeatInterval ?? CHECK_DEFAULTS.heartbeatInterval, 'heartbeatInterval');
  if (transportOf(connection).kind !== 'grpc') {
    throw new UsageError(`bench load needs the members' gRPC endpoints (a load through the Kubernetes API would measure the API server): give ${input('endpoints')}, e.g. through kubectl port-forward`);
  }
  return runLoadBench(connection, { ...run, heartbeatMs, spec: loadSpec(given, connection.endpoints.length) });
}
