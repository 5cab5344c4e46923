// What `bench disk` and `bench load` ask: etcd's fio recipe run natively on a directory's disk, and a load test
// (check perf's profiles or etcd benchmark's workloads) against the members over gRPC, each request checked first.

import { PASS_RULE_TEXT } from '../analyse/load-verdict.ts';
import { DISK_DEFAULTS, probeDisk, type DiskProbeRequest, type DiskProbeResult } from '../bench/disk.ts';
import { runLoadBench, type LoadRequest, type LoadResult } from '../bench/load.ts';
import { LOAD_DEFAULTS, loadSpec, PROFILE_WARMUP_SECONDS, PROFILES, WORKLOADS, type LoadInput } from '../bench/load-spec.ts';
import { transportOf } from '../connect/member.ts';
import type { ConnectionOptions } from '../connect/types.ts';
import { input, UsageError } from '../util/errors.ts';
import { bytes, positiveDuration, type InputSpec } from '../util/input.ts';
import { CHECK_DEFAULTS } from './check.ts';

export { DISK_DEFAULTS, LOAD_DEFAULTS, PASS_RULE_TEXT, PROFILES, WORKLOADS, type DiskProbeResult, type LoadInput, type LoadResult };

export const DISK_INPUTS: ReadonlyArray<InputSpec<'dir' | 'size' | 'block'>> = [
  { name: 'dir', value: 'path', default: DISK_DEFAULTS.dir, help: 'directory on the disk to test: etcd\'s data directory\'s disk (a temporary file is made there and removed)' },
  { name: 'size', value: 'bytes', default: DISK_DEFAULTS.size, help: 'how much to write' },
  { name: 'block', value: 'bytes', default: DISK_DEFAULTS.block, help: 'bytes per write (etcd WAL entries of a Kubernetes cluster are about this size)' },
];

export const LOAD_INPUTS: ReadonlyArray<InputSpec<keyof LoadInput | 'heartbeatInterval'>> = [
  { name: 'profile', value: 'name', help: 'check perf load: s (150 writes/s, 50 clients), m (1000, 200), l (8000, 500), xl (15000, 1000); 60 s each' },
  { name: 'duration', value: 'duration', help: 'run this long (shortens a profile)' },
  { name: 'total', value: 'n', help: `stop after this many requests (workloads default to 10000 without ${input('duration')})` },
  { name: 'clients', value: 'n', help: 'concurrent requests (workloads: 1)' },
  { name: 'conns', value: 'n', help: 'gRPC connections, spread over the endpoints (profiles: one per 50 clients, at least one per endpoint; workloads: 1)' },
  { name: 'rate', value: 'n', help: 'requests per second, 0 = as fast as possible (workloads: 0)' },
  { name: 'keySize', value: 'bytes', help: 'bytes of key after the prefix (profiles 256, workloads 8)' },
  { name: 'valSize', value: 'bytes', help: 'bytes of value (profiles 1024, workloads 8)' },
  { name: 'keySpaceSize', value: 'n', help: 'distinct keys written or read (profiles: random 53-bit, workloads: 1)' },
  { name: 'consistency', value: 'l|s', default: LOAD_DEFAULTS.consistency, help: 'range: linearizable (l) or serializable (s) reads' },
  { name: 'txnOps', value: 'n', default: LOAD_DEFAULTS.txnOps, help: 'txn-put: puts per transaction' },
  { name: 'warmup', value: 'duration', help: `send this long first, not counted, while the load generator's code warms up (profiles ${PROFILE_WARMUP_SECONDS}s, workloads 0s)` },
  { name: 'prefix', value: 'key', default: LOAD_DEFAULTS.prefix, help: 'where the load writes: must be empty; everything under it is deleted at the end' },
  { name: 'heartbeatInterval', value: 'duration', default: CHECK_DEFAULTS.heartbeatInterval, help: 'the cluster\'s --heartbeat-interval, to judge peer RTT among the causes' },
];

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
