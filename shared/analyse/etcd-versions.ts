// What is known about etcd's releases, in one catalogue, each fact with its source: which lines are supported, which
// releases carry bugs that lose or corrupt data (and the release that fixes each), the upgrade path between minor
// versions, the flags each version renamed or removed, and defaults that changed. The version advisor, the maintenance
// planner and the configuration audit read it. Facts as of etcd 3.4.45 / 3.5.35 / 3.6.16 / 3.7.3 (2026-10-22). Pure.

export interface EtcdVersion {
  major: number;
  minor: number;
  patch: number;
}

/** "3.6.5", "v3.6.5", an image tag "3.6.5-0", or a pre-release "3.7.0-rc.0" (taken as 3.7.0); null if none. */
export function parseVersion(text: string | null | undefined): EtcdVersion | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec((text ?? '').trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : null;
}

export function compareVersions(a: EtcdVersion, b: EtcdVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export const versionText = (v: EtcdVersion): string => `${v.major}.${v.minor}.${v.patch}`;
export const lineOf = (v: EtcdVersion): string => `${v.major}.${v.minor}`;

/** True when `v` lies in [from, to] (both inclusive, "3.5.0" form). */
export function inRange(v: EtcdVersion, from: string, to: string): boolean {
  return compareVersions(v, parseVersion(from) as EtcdVersion) >= 0 && compareVersions(v, parseVersion(to) as EtcdVersion) <= 0;
}

/** etcd's changelog of a line, at the section of one release. */
const CHANGELOG = (line: string, release = ''): string => `https://github.com/etcd-io/etcd/blob/main/CHANGELOG/CHANGELOG-${line}.md${release ? ` (v${release})` : ''}`;

export interface ReleaseLine {
  line: string;
  /** The newest release of the line (the concrete target of every advice). */
  latest: string;
  supported: boolean;
  support: string;
  source: string;
}

export const RELEASE_LINES: readonly ReleaseLine[] = [
  { line: '3.4', latest: '3.4.45', supported: false, support: 'end of life since 2026-05-15 (3.4.45 was the last release)', source: CHANGELOG('3.4', '3.4.45') },
  { line: '3.5', latest: '3.5.35', supported: true, support: 'supported until one year after 3.7.0 (released 2026-07-08)', source: 'etcd blog "Announcing etcd v3.7.0-beta.0" (2026-05-19): "v3.5 will be supported for 1 year after v3.7.0 final release"' },
  { line: '3.6', latest: '3.6.16', supported: true, support: 'supported (previous minor)', source: 'https://etcd.io/docs/v3.7/op-guide/versioning/' },
  { line: '3.7', latest: '3.7.3', supported: true, support: 'current', source: CHANGELOG('3.7') },
];

export function releaseLine(v: EtcdVersion): ReleaseLine | undefined {
  return RELEASE_LINES.find((l) => l.line === lineOf(v));
}

export interface KnownBug {
  id: string;
  /** Affected releases, inclusive ranges. */
  ranges: ReadonlyArray<readonly [string, string]>;
  /** The first good release of each affected line. */
  fixedIn: readonly string[];
  severity: 'crit' | 'warn';
  what: string;
  /** An online defragmentation is what triggers it: maintenance refuses to defragment these releases. */
  blocksDefrag?: boolean;
  source: string;
}

export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    id: 'inconsistent-revision-3.5.0', ranges: [['3.5.0', '3.5.2']], fixedIn: ['3.5.3'], severity: 'crit',
    what: 'a crash under load can commit part of a transaction on one member only (inconsistent revision and data; etcd recommends 3.5.4+)',
    source: `${CHANGELOG('3.5', '3.5.3')} (etcd-io/etcd#13908; postmortem Documentation/postmortems/v3.5-data-inconsistency.md)`,
  },
  {
    id: 'defrag-crash-inconsistency', ranges: [['3.5.0', '3.5.5']], fixedIn: ['3.5.6'], severity: 'crit', blocksDefrag: true,
    what: 'a member that crashes during an online defragmentation can come back with a revision that differs from the others',
    source: `${CHANGELOG('3.5', '3.5.6')} (etcd-io/etcd#14733)`,
  },
  {
    id: 'auth-recovery-inconsistency', ranges: [['3.4.20', '3.4.21'], ['3.5.5', '3.5.5']], fixedIn: ['3.4.22', '3.5.6'], severity: 'crit',
    what: 'with auth enabled, a member recovering from a snapshot can fail permission checks while applying and diverge (etcd\'s minimum for production is 3.4.22 / 3.5.6)',
    source: `${CHANGELOG('3.5', '3.5.6')} (etcd-io/etcd#14648, #14649; issue #14571)`,
  },
  {
    id: 'snapshot-during-defrag-corruption', ranges: [['3.4.0', '3.4.37'], ['3.5.0', '3.5.22'], ['3.6.0', '3.6.4']], fixedIn: ['3.4.38', '3.5.23', '3.6.5'], severity: 'warn',
    what: 'a snapshot applied from the leader while the member defragments can corrupt its database (defragment only healthy, caught-up members, one at a time)',
    source: `${CHANGELOG('3.6', '3.6.5')} (etcd-io/etcd#20650, #20653, #20659; issue #20271)`,
  },
  {
    id: 'learner-promotion-not-persisted', ranges: [['3.5.1', '3.5.25']], fixedIn: ['3.5.26'], severity: 'warn',
    what: 'a learner\'s promotion is kept only in the v2 store, so the member can stay a learner (or a zombie member) after an upgrade to 3.6',
    source: `${CHANGELOG('3.5', '3.5.26')} (etcd-io/etcd#19563, #20797, #20995; issue #19557; etcd blog "How to Prevent a Common Failure when Upgrading etcd v3.5 to v3.6", 2025-03-27)`,
  },
  {
    id: 'member-update-promotes-learner', ranges: [['3.5.0', '3.5.30'], ['3.6.0', '3.6.11']], fixedIn: ['3.5.31', '3.6.12'], severity: 'warn',
    what: 'a member update can promote a learner implicitly',
    source: `${CHANGELOG('3.6', '3.6.12')} (etcd-io/etcd#21736, #21737)`,
  },
  {
    id: 'stale-read-leader-change', ranges: [['3.4.0', '3.4.41'], ['3.5.0', '3.5.27'], ['3.6.0', '3.6.8']], fixedIn: ['3.4.42', '3.5.28', '3.6.9'], severity: 'warn',
    what: 'stale reads from a race between read index and a leader change or a paused process, and two auth bypasses (CVE-2026-33413, CVE-2026-33343)',
    source: `${CHANGELOG('3.6', '3.6.9')} (etcd-io/etcd#21378, #21417; GHSA-q8m4-xhhv-38mg, GHSA-rfx7-8w68-q57q)`,
  },
  {
    id: 'txn-range-revision-divergence', ranges: [['3.5.0', '3.5.35'], ['3.6.0', '3.6.16']], fixedIn: ['3.7.0'], severity: 'warn',
    what: 'a transaction holding a range at a compacted revision fails on the member the client talks to but applies on the others (no 3.5 or 3.6 fix yet)',
    source: `${CHANGELOG('3.7')} (etcd-io/etcd#21432; issue #18667)`,
  },
];

export function bugsOf(v: EtcdVersion): KnownBug[] {
  return KNOWN_BUGS.filter((bug) => bug.ranges.some(([from, to]) => inRange(v, from, to)));
}

/** The first release that fixes `bug` on v's line (or the first fixed release of a later line). */
export function fixFor(bug: KnownBug, v: EtcdVersion): string {
  const same = bug.fixedIn.find((fixed) => lineOf(parseVersion(fixed) as EtcdVersion) === lineOf(v));
  return same ?? (bug.fixedIn[bug.fixedIn.length - 1] as string);
}

export interface UpgradeStep {
  from: string;
  to: string;
  /** Every member must run at least this before the step (etcd does not skip minor versions). */
  minimum: string;
  source: string;
}

export const UPGRADE_STEPS: readonly UpgradeStep[] = [
  { from: '3.4', to: '3.5', minimum: '3.4.22', source: 'https://etcd.io/docs/v3.5/upgrades/upgrade_3_5/' },
  { from: '3.5', to: '3.6', minimum: '3.5.32', source: 'https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/ ("make sure that all of your 3.5 members are updated to 3.5.32 or later")' },
  { from: '3.6', to: '3.7', minimum: '3.6.11', source: 'https://etcd.io/docs/v3.7/upgrades/upgrade_3_7/ ("the running cluster must be v3.6.11 or later")' },
];

/** The releases to go through, one minor version at a time, from `v` to the newest line. */
export function upgradePath(v: EtcdVersion): string[] {
  const path: string[] = [];
  let line = lineOf(v);
  let current = versionText(v);
  for (;;) {
    const step = UPGRADE_STEPS.find((s) => s.from === line);
    if (!step) break;
    const latest = RELEASE_LINES.find((l) => l.line === line)?.latest ?? step.minimum;
    if (compareVersions(parseVersion(current) as EtcdVersion, parseVersion(step.minimum) as EtcdVersion) < 0) path.push(latest);
    const next = RELEASE_LINES.find((l) => l.line === step.to) as ReleaseLine;
    path.push(next.latest);
    line = step.to;
    current = next.latest;
  }
  return path;
}

/** A flag 3.6 deprecated and 3.7 removed (a 3.7 member given it on the command line exits: "flag provided but not defined"). */
export interface RenamedFlag {
  flag: string;
  /** The plain flag that replaces it (same value), or the feature gate it becomes. */
  replacement: { flag: string } | { gate: string };
  /** Only in these releases (3.6 graduated one experimental flag without a 3.5 twin). */
  since?: string;
}

const renamed = (flag: string, plain: string): RenamedFlag => ({ flag: `experimental-${flag}`, replacement: { flag: plain } });
const gated = (flag: string, gate: string): RenamedFlag => ({ flag: `experimental-${flag}`, replacement: { gate } });

export const RENAMED_FLAGS: readonly RenamedFlag[] = [
  renamed('bootstrap-defrag-threshold-megabytes', 'bootstrap-defrag-threshold-megabytes'),
  renamed('compaction-batch-limit', 'compaction-batch-limit'),
  renamed('compact-hash-check-time', 'compact-hash-check-time'),
  renamed('compaction-sleep-interval', 'compaction-sleep-interval'),
  renamed('corrupt-check-time', 'corrupt-check-time'),
  renamed('enable-distributed-tracing', 'enable-distributed-tracing'),
  renamed('distributed-tracing-address', 'distributed-tracing-address'),
  renamed('distributed-tracing-instance-id', 'distributed-tracing-instance-id'),
  renamed('distributed-tracing-sampling-rate', 'distributed-tracing-sampling-rate'),
  renamed('distributed-tracing-service-name', 'distributed-tracing-service-name'),
  renamed('downgrade-check-time', 'downgrade-check-time'),
  renamed('memory-mlock', 'memory-mlock'),
  renamed('peer-skip-client-san-verification', 'peer-skip-client-san-verification'),
  renamed('snapshot-catchup-entries', 'snapshot-catchup-entries'),
  renamed('warning-apply-duration', 'warning-apply-duration'),
  { ...renamed('warning-unary-request-duration', 'warning-unary-request-duration'), since: '3.6.0' },
  renamed('watch-progress-notify-interval', 'watch-progress-notify-interval'),
  gated('compact-hash-check-enabled', 'CompactHashCheck'),
  gated('initial-corrupt-check', 'InitialCorruptCheck'),
  gated('enable-lease-checkpoint', 'LeaseCheckpoint'),
  gated('enable-lease-checkpoint-persist', 'LeaseCheckpointPersist'),
  gated('stop-grpc-service-on-defrag', 'StopGRPCServiceOnDefrag'),
  gated('txn-mode-write-with-shared-buffer', 'TxnModeWriteWithSharedBuffer'),
];

/** Flags a version no longer has at all (it will not start with them), and what to do instead. */
export interface RemovedFlag {
  flag: string;
  removedIn: string;
  instead: string;
}

export const REMOVED_FLAGS: readonly RemovedFlag[] = [
  { flag: 'enable-v2', removedIn: '3.6.0', instead: 'drop it: the v2 API is gone in 3.6' },
  { flag: 'experimental-enable-v2v3', removedIn: '3.6.0', instead: 'drop it: the v2 API is gone in 3.6' },
  ...['proxy', 'proxy-failure-wait', 'proxy-refresh-interval', 'proxy-dial-timeout', 'proxy-write-timeout', 'proxy-read-timeout']
    .map((flag) => ({ flag, removedIn: '3.6.0', instead: 'drop it: the v2 proxy is gone in 3.6 (use the gRPC proxy, etcd grpc-proxy)' })),
  { flag: 'discovery', removedIn: '3.7.0', instead: 'use v3 discovery: --discovery-endpoints and --discovery-token' },
  { flag: 'discovery-proxy', removedIn: '3.7.0', instead: 'use v3 discovery: --discovery-endpoints and --discovery-token' },
];

/** Flags that exist from a version on only (an older member will not start with them). */
export const ADDED_FLAGS: ReadonlyArray<{ flag: string; since: string }> = [
  { flag: 'feature-gates', since: '3.6.0' },
  ...RENAMED_FLAGS.flatMap((r) => ('flag' in r.replacement ? [{ flag: r.replacement.flag, since: '3.6.0' }] : [])),
];

export const FLAG_SOURCE = 'https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/ (flags deprecated, feature gates); CHANGELOG-3.7 "Removed all deprecated experimental flags" (etcd-io/etcd#19959)';

/** --snapshot-count's default: 100,000 up to 3.5, 10,000 from 3.6 (etcd-io/etcd#15408). */
export function defaultSnapshotCount(v: EtcdVersion): number {
  return compareVersions(v, { major: 3, minor: 6, patch: 0 }) >= 0 ? 10_000 : 100_000;
}

/** The metrics a version serves under a different name than 3.4 did, or not at all. */
export const METRIC_CHANGES = {
  /** 3.5.15+ (defined in 3.5.14 but not registered). */
  walWriteDuration: { name: 'etcd_disk_wal_write_duration_seconds', since: '3.5.15' },
  applyDuration: { name: 'etcd_server_apply_duration_seconds', since: '3.5.0' },
  rangeDuration: { name: 'etcd_server_range_duration_seconds', since: '3.6.0' },
  requestDuration: { name: 'etcd_server_request_duration_seconds', since: '3.7.0' },
  featureEnabled: { name: 'etcd_server_feature_enabled', since: '3.6.0' },
} as const;
