// Audit of an etcd configuration, for the etcd version it runs when that is known (flags removed, deprecated or not
// yet there, the snapshot-count default): each finding names the flag, says why, recommends a concrete value, and
// carries a fix that sets it (collect/etcd-config.ts setFlag), shared by the editor's quick fixes and the Kubernetes config
// audit in `check` (deployment-rules.ts). Pure.

import type { EtcdConfig, Span } from '../collect/etcd-config.ts';
import { GiB } from '../util/bytes.ts';
import {
  ADDED_FLAGS, compareVersions, defaultSnapshotCount, FLAG_SOURCE, parseVersion, REMOVED_FLAGS, RENAMED_FLAGS, versionText,
  type EtcdVersion, type RenamedFlag,
} from './etcd-versions.ts';
import type { Severity } from './finding.ts';

export interface ConfigFix {
  flag: string;
  value: string;
  /** The flag this one takes the place of (a flag etcd renamed or turned into a feature gate): it goes. */
  replaces?: string;
}

export interface ConfigFinding {
  id: string;
  severity: Severity;
  flag: string;
  title: string;
  recommendation: string;
  fix?: ConfigFix;
  /** Where the finding points: the flag's entry, or (for a missing flag) the insertion point. */
  span: Span;
}

const MAX_QUOTA = 8 * GiB;

function duration(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? fallback : n;
}

const V3_6: EtcdVersion = { major: 3, minor: 6, patch: 0 };
const V3_7: EtcdVersion = { major: 3, minor: 7, patch: 0 };
const atLeast = (v: EtcdVersion | null, min: EtcdVersion): boolean => v !== null && compareVersions(v, min) >= 0;

/** `--feature-gates` with `gate` set to `on`, the other gates kept. */
function withGate(current: string | undefined, gate: string, on: boolean): string {
  const gates = (current ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '' && !g.startsWith(`${gate}=`));
  return [...gates, `${gate}=${on}`].join(',');
}

/** The fix that moves a renamed flag's value to its new name or feature gate. */
function renameFix(renamed: RenamedFlag, value: string, gates: string | undefined): ConfigFix {
  return 'gate' in renamed.replacement
    ? { flag: 'feature-gates', value: withGate(gates, renamed.replacement.gate, value !== 'false'), replaces: renamed.flag }
    : { flag: renamed.replacement.flag, value, replaces: renamed.flag };
}

/**
 * The flags this version will not start with or has deprecated: removed ones are critical (etcd exits with "flag
 * provided but not defined"), deprecated ones a warning with the new spelling as the fix; new spellings on a version
 * that predates them are critical too. With no version known, a renamed flag is noted and the fix names the version.
 */
function versionedFlags(config: EtcdConfig, version: EtcdVersion | null, at: (flag: string) => Span): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  const said = version ? `etcd ${versionText(version)}` : 'etcd';
  const gates = config.flags.get('feature-gates')?.value;
  for (const [flag, { value }] of config.flags) {
    const renamed = RENAMED_FLAGS.find((r) => r.flag === flag);
    if (renamed) {
      const fix = renameFix(renamed, value, gates);
      const spelled = `--${fix.flag}=${fix.value}`;
      if (atLeast(version, V3_7)) {
        out.push({ id: 'config-removed-flag', severity: 'crit', flag, span: at(flag),
          title: `${said} will not start with --${flag}: 3.7 removed it`,
          recommendation: `Use ${spelled} instead (${FLAG_SOURCE}).`, fix });
      } else if (atLeast(version, V3_6)) {
        out.push({ id: 'config-deprecated-flag', severity: 'warn', flag, span: at(flag),
          title: `--${flag} is deprecated in ${said} and removed in 3.7: a 3.7 member will not start with it`,
          recommendation: `Use ${spelled} instead, before upgrading to 3.7 (${FLAG_SOURCE}).`, fix });
      } else if (!version) {
        out.push({ id: 'config-deprecated-flag', severity: 'info', flag, span: at(flag),
          title: `--${flag} is deprecated in etcd 3.6 and removed in 3.7 (right for 3.5 and earlier)`,
          recommendation: `From 3.6 on use ${spelled}; a 3.7 member will not start with --${flag}, a 3.5 member not with the new spelling.`,
          fix });
      }
      continue;
    }
    const removed = REMOVED_FLAGS.find((r) => r.flag === flag);
    if (removed && (atLeast(version, parseVersion(removed.removedIn) as EtcdVersion))) {
      out.push({ id: 'config-removed-flag', severity: 'crit', flag, span: at(flag),
        title: `${said} will not start with --${flag}: ${removed.removedIn.replace(/\.0$/, '')} removed it`,
        recommendation: `${removed.instead.charAt(0).toUpperCase()}${removed.instead.slice(1)} (${FLAG_SOURCE}).` });
      continue;
    }
    const added = ADDED_FLAGS.find((a) => a.flag === flag);
    if (added && version && !atLeast(version, parseVersion(added.since) as EtcdVersion)) {
      const old = RENAMED_FLAGS.find((r) => 'flag' in r.replacement && r.replacement.flag === flag && !r.since);
      out.push({ id: 'config-unknown-flag', severity: 'crit', flag, span: at(flag),
        title: `${said} will not start with --${flag}: it exists from ${added.since.replace(/\.0$/, '')} on`,
        recommendation: old
          ? `On ${versionText(version)} spell it --${old.flag}=${value}, or upgrade first.`
          : flag === 'feature-gates'
            ? `On ${versionText(version)} use the --experimental-* flag of each gate (e.g. --experimental-initial-corrupt-check=true), or upgrade first.`
            : `Remove it, or upgrade to ${added.since} or later first.`,
        ...(old ? { fix: { flag: old.flag, value, replaces: flag } } : {}) });
    }
  }
  return out;
}

/** Audits a configuration for `version` (default: the version the configuration names, e.g. its image tag). */
export function auditConfig(config: EtcdConfig, versionGiven?: string | null): ConfigFinding[] {
  const version = parseVersion(versionGiven ?? config.version);
  const get = (flag: string): string | undefined => config.flags.get(flag)?.value;
  const at = (flag: string): Span => config.flags.get(flag)?.span ?? { start: config.insert.offset, end: config.insert.offset, valueStart: config.insert.offset, valueEnd: config.insert.offset };
  const out: ConfigFinding[] = [];

  const quota = get('quota-backend-bytes');
  if (quota === undefined) {
    out.push({ id: 'config-quota-default', severity: 'info', flag: 'quota-backend-bytes', span: at('quota-backend-bytes'),
      title: 'no --quota-backend-bytes: etcd refuses writes at its 2 GiB default',
      recommendation: 'Set it explicitly, at most 8 GiB (8589934592), and monitor the DB size against it.',
      fix: { flag: 'quota-backend-bytes', value: String(MAX_QUOTA) } });
  } else if (Number(quota) > MAX_QUOTA) {
    out.push({ id: 'config-quota-large', severity: 'warn', flag: 'quota-backend-bytes', span: at('quota-backend-bytes'),
      title: `--quota-backend-bytes ${quota} is above 8 GiB, the largest size etcd is tested and tuned for`,
      recommendation: 'Keep the quota at or below 8589934592 and find what fills the keyspace instead.',
      fix: { flag: 'quota-backend-bytes', value: String(MAX_QUOTA) } });
  }

  const heartbeat = duration(get('heartbeat-interval'), 100);
  const election = duration(get('election-timeout'), 1000);
  if (election < 5 * heartbeat) {
    out.push({ id: 'config-election-timeout', severity: 'warn', flag: 'election-timeout', span: at('election-timeout'),
      title: `--election-timeout ${election} ms is less than 5x --heartbeat-interval ${heartbeat} ms: members will call needless elections`,
      recommendation: `Set --election-timeout to 10x the heartbeat interval: ${heartbeat * 10}.`,
      fix: { flag: 'election-timeout', value: String(heartbeat * 10) } });
  }

  const retention = get('auto-compaction-retention');
  if (config.kind === 'manifest' && retention !== undefined && retention !== '0') {
    out.push({ id: 'config-auto-compaction-redundant', severity: 'info', flag: 'auto-compaction-retention', span: at('auto-compaction-retention'),
      title: 'etcd auto-compaction next to kube-apiserver\'s, which already compacts every 5 minutes',
      recommendation: 'Either is enough; keep kube-apiserver\'s (--etcd-compaction-interval) and drop this flag, or keep both knowingly.' });
  } else if (config.kind !== 'manifest' && (retention === undefined || retention === '0')) {
    out.push({ id: 'config-auto-compaction', severity: 'warn', flag: 'auto-compaction-retention', span: at('auto-compaction-retention'),
      title: 'no auto-compaction: the history grows until the quota is reached',
      recommendation: 'Compact periodically: --auto-compaction-retention=1h (mode periodic), or run kubectl etcd-perf compact on a schedule.',
      fix: { flag: 'auto-compaction-retention', value: '1h' } });
  }

  const snapshots = get('snapshot-count');
  const snapshotDefault = version ? defaultSnapshotCount(version) : undefined;
  if (snapshots !== undefined && Number(snapshots) > 100_000) {
    out.push({ id: 'config-snapshot-count', severity: 'warn', flag: 'snapshot-count', span: at('snapshot-count'),
      title: `--snapshot-count ${snapshots} keeps that many raft entries in memory between snapshots`,
      recommendation: 'Use 10000 (etcd 3.6\'s default, and what kubeadm sets): less memory and faster recovery of slow followers.',
      fix: { flag: 'snapshot-count', value: '10000' } });
  } else if (snapshots === undefined && snapshotDefault === 100_000 && version) {
    out.push({ id: 'config-snapshot-count', severity: 'info', flag: 'snapshot-count', span: at('snapshot-count'),
      title: `no --snapshot-count: etcd ${versionText(version)} keeps 100,000 raft entries in memory between snapshots`,
      recommendation: 'Set 10000, the default from 3.6 on and what kubeadm sets: less memory and faster recovery of slow followers.',
      fix: { flag: 'snapshot-count', value: '10000' } });
  }

  if (get('listen-metrics-urls') === undefined) {
    out.push({ id: 'config-metrics-url', severity: 'warn', flag: 'listen-metrics-urls', span: at('listen-metrics-urls'),
      title: 'no --listen-metrics-urls: metrics only on the client port, which needs client certificates to scrape',
      recommendation: 'Serve /metrics and /health on a separate plain-HTTP listener, as kubeadm does: http://127.0.0.1:2381.',
      fix: { flag: 'listen-metrics-urls', value: 'http://127.0.0.1:2381' } });
  }
  return [...out, ...versionedFlags(config, version, at)];
}
