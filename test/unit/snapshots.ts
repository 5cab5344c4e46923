// Snapshot builders for rule and renderer tests: statuses shaped like etcd 3.4.23's, metrics summarised from the real
// fixtures, with per-case overrides.

import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { summariseMetrics, type MemberMetrics, type WindowedQuantile } from '../../shared/collect/member-metrics.ts';
import { parsePrometheusText } from '../../shared/collect/prometheus-text.ts';
import type { ClusterSnapshot, MemberSnapshot } from '../../shared/collect/types.ts';
import type { MemberStatus } from '../../shared/connect/types.ts';

const load = (name: string) => parsePrometheusText(readFileSync(join(__dirname, `../fixtures/${name}`), 'utf8'));
export const BEFORE = load('metrics-etcd-3.4.23-before.txt');
export const AFTER = load('metrics-etcd-3.4.23-after.txt');
/** The fixture's process start time + 2 h, so lifetime rates are stable. */
export const NOW_MS = ((AFTER.find((s) => s.name === 'process_start_time_seconds')?.value ?? 0) + 7200) * 1000;

export const IDS = ['8e9e05c52164694d', '91bc3c398fb3c146', 'fd422379fda50e48'];

export function realMetrics(overrides: Partial<MemberMetrics> = {}): MemberMetrics {
  return { ...summariseMetrics(BEFORE, AFTER, 10, NOW_MS), ...overrides };
}

export function quantile(value: number, lifetime = false): WindowedQuantile {
  return { q: 0.99, value, bucketLower: value / 2, bucketUpper: value * 2, samples: 500, lifetime };
}

export function member(index: number, status: Partial<MemberStatus> = {}, extra: Partial<MemberSnapshot> = {}): MemberSnapshot {
  const id = IDS[index] as string;
  return {
    member: { id, name: `etcd-${index + 1}`, clientUrls: [`http://127.0.0.1:${12379 + index * 10}`], peerUrls: [], isLearner: false },
    endpoint: `http://127.0.0.1:${12379 + index * 10}`,
    metricsUrl: `http://127.0.0.1:${12379 + index * 10}/metrics`,
    status: {
      version: '3.5.35', dbSize: 20_480_000, dbSizeInUse: 16_384_000, leaderId: IDS[0] as string,
      raftTerm: 2, raftIndex: 50_120, raftAppliedIndex: 50_120, errors: [], isLearner: false,
      revision: 50_001, clusterId: 'cdf818194e3a8c32', memberId: id, storageVersion: null, quotaBytes: null, downgrade: null, ...status,
    },
    healthy: true,
    healthTookMs: 3,
    metrics: realMetrics(),
    ...extra,
  };
}

export function cluster(members: MemberSnapshot[], extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    clusterId: 'cdf818194e3a8c32',
    members,
    alarms: [],
    window: { seconds: 10, lifetime: false },
    collectedAt: '2026-11-24T06:00:00.000Z',
    ...extra,
  };
}

/** Real metrics, but with the disk quantiles of a fast disk (the fixture's burst really was slow). */
export function fastMetrics(): MemberMetrics {
  const real = realMetrics();
  return { ...real, quantiles: { ...real.quantiles, walFsync: quantile(0.002), backendCommit: quantile(0.008) } };
}

/** Fast, caught up, and on the newest release (no known bug to report). */
export const healthy = (): ClusterSnapshot =>
  cluster([0, 1, 2].map((i) => member(i, { version: '3.7.3' }, { metrics: fastMetrics() })));
