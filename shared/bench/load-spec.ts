// What `bench load` runs, as asked: one of etcdctl check perf's profiles (its rate, clients and duration; 256-byte
// keys, 1 KiB values, random keys), or one of etcd benchmark's workloads (put, range, txn-put) with that tool's
// defaults, every value the user gives overriding; checked whole before anything is written. Pure.

import { input, UsageError, type Field } from '../util/errors.ts';
import { choice, count, duration } from '../util/input.ts';
import { keySpaceLimit } from './load-generator.ts';

export const WORKLOADS = ['put', 'range', 'txn-put'] as const;
export type Workload = (typeof WORKLOADS)[number];
export type ProfileName = 's' | 'm' | 'l' | 'xl';

/** etcdctl check perf's loads: 256-byte keys, 1 KiB values, random keys, 60 s. */
export const PROFILES: Record<ProfileName, { rate: number; clients: number; durationSeconds: number }> = {
  s: { rate: 150, clients: 50, durationSeconds: 60 },
  m: { rate: 1000, clients: 200, durationSeconds: 60 },
  l: { rate: 8000, clients: 500, durationSeconds: 60 },
  xl: { rate: 15000, clients: 1000, durationSeconds: 60 },
};

/**
 * Profiles first send for this long, uncounted. Measured on etcd 3.6.16 (profile l, 3 local members, 250 ms buckets):
 * without it the slowest requests of a run are its first half second (549 and 421 ms, then 120-320 ms for the rest),
 * as our client's code is still interpreted and its heap still growing; after a 3 s warm-up the first buckets are
 * like the rest (310 ms at most in the run). etcdctl check perf, compiled Go, has no such start.
 */
export const PROFILE_WARMUP_SECONDS = 2;

export const LOAD_DEFAULTS = { profile: 's', consistency: 'l', txnOps: '1', prefix: '/etcd-perf-bench/' } as const;

export interface LoadSpec {
  profile?: ProfileName;
  workload: Workload;
  clients: number;
  conns: number;
  /** Requests per second; 0 = unlimited. */
  rate: number;
  total?: number;
  durationSeconds?: number;
  /** Sent before the measured run and not counted: our client's code and connections warm up (0: none). */
  warmupSeconds: number;
  keySize: number;
  valSize: number;
  keySpaceSize: number;
  /** For range: l (linearizable) or s (serializable). */
  consistency: 'l' | 's';
  /** Puts per transaction for txn-put. */
  txnOps: number;
  prefix: string;
}

/** A load as the user typed it (undefined: the profile's or the workload's default). */
export interface LoadInput {
  workload?: string;
  profile?: string;
  duration?: string;
  total?: string;
  clients?: string;
  conns?: string;
  rate?: string;
  keySize?: string;
  valSize?: string;
  keySpaceSize?: string;
  consistency?: string;
  txnOps?: string;
  prefix?: string;
  warmup?: string;
}

const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** The load asked for: a profile (check perf's), or a workload with the benchmark tool's defaults, each value overriding. */
export function loadSpec(given: LoadInput, endpoints: number): LoadSpec {
  const workload = given.workload === undefined ? undefined : choice(given.workload, WORKLOADS, 'workload');
  if (given.profile !== undefined && workload !== undefined && workload !== 'put') {
    throw new UsageError(`${input('profile')} is a put load (etcdctl check perf's): it cannot be combined with the ${workload} workload`, 'profile');
  }
  const profileName = workload === undefined || given.profile !== undefined
    ? choice(given.profile ?? LOAD_DEFAULTS.profile, PROFILE_NAMES, 'profile') : undefined;
  const profile = profileName ? PROFILES[profileName] : undefined;
  const optional = (text: string | undefined, field: Field, min = 0): number | undefined => (text === undefined ? undefined : count(text, field, min));
  const clients = optional(given.clients, 'clients', 1) ?? profile?.clients ?? 1;
  const durationMs = given.duration === undefined ? undefined
    : duration(given.duration, 'duration', { ok: (ms) => ms >= 1000, says: 'at least 1s' });
  const total = optional(given.total, 'total', 1);
  return checkSpec({
    profile: profileName,
    workload: workload ?? 'put',
    clients,
    conns: optional(given.conns, 'conns', 1) ?? (profile ? Math.max(endpoints, Math.ceil(clients / 50)) : 1),
    rate: optional(given.rate, 'rate') ?? profile?.rate ?? 0,
    total,
    durationSeconds: durationMs !== undefined ? durationMs / 1000 : total === undefined ? profile?.durationSeconds : undefined,
    warmupSeconds: given.warmup === undefined ? (profile ? PROFILE_WARMUP_SECONDS : 0) : duration(given.warmup, 'warmup', { ok: (ms) => ms >= 0, says: '0s or more' }) / 1000,
    keySize: optional(given.keySize, 'keySize', 1) ?? (profile ? 256 : 8),
    valSize: optional(given.valSize, 'valSize') ?? (profile ? 1024 : 8),
    keySpaceSize: optional(given.keySpaceSize, 'keySpaceSize', 1) ?? (profile ? Number.MAX_SAFE_INTEGER : 1),
    consistency: choice(given.consistency ?? LOAD_DEFAULTS.consistency, ['l', 's'] as const, 'consistency'),
    txnOps: count(given.txnOps ?? LOAD_DEFAULTS.txnOps, 'txnOps', 1),
    prefix: given.prefix ?? LOAD_DEFAULTS.prefix,
  });
}

/** The spec, refused with a usage error naming the field when it cannot run as asked. */
export function checkSpec(spec: LoadSpec): LoadSpec {
  if (!spec.prefix) throw new UsageError('must not be empty (the load writes and then deletes everything under it)', 'prefix');
  if (spec.clients < 1) throw new UsageError('at least 1', 'clients');
  if (spec.conns < 1) throw new UsageError('at least 1', 'conns');
  if (spec.keySize < 1) throw new UsageError('at least 1 byte', 'keySize');
  if (spec.keySpaceSize < 1) throw new UsageError('at least 1', 'keySpaceSize');
  if (spec.keySpaceSize > keySpaceLimit(spec.keySize)) {
    throw new UsageError(`${input('keySize')} ${spec.keySize} holds ${keySpaceLimit(spec.keySize)} distinct keys (hex digits): raise it or lower ${input('keySpaceSize')}`, 'keySize');
  }
  if (spec.txnOps < 1 || spec.txnOps > 64) throw new UsageError('1 to 64 (etcd allows 128 operations per transaction by default)', 'txnOps');
  if (spec.workload === 'range' && spec.keySpaceSize > 100_000) {
    throw new UsageError(`range: ${input('keySpaceSize')} at most 100000 (every key is written before the run)`, 'keySpaceSize');
  }
  if (spec.total === undefined && spec.durationSeconds === undefined) throw new UsageError(`give ${input('total')} or ${input('duration')}`);
  return spec;
}
