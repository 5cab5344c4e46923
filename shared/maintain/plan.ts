// The defragmentation plan, before anything is touched: every member with its sizes and the decision (defrag or skip,
// and why), in the order it would run (followers first, the leader last), and the reasons to refuse it all.
// Pure: a ClusterSnapshot in, a plan out. The executor re-checks the same conditions before every step.

import {
  applyLag, findMember, fragmentationPercent, freeableBytes, highestCommitted, leaderOf, memberName, selectable, selects, withStatus,
} from '../analyse/members.ts';
import { THRESHOLDS } from '../analyse/thresholds.ts';
import type { ClusterSnapshot } from '../collect/types.ts';
import { formatBytes, MiB } from '../util/bytes.ts';
import { bugsOf, fixFor, parseVersion, releaseLine } from '../analyse/etcd-versions.ts';
import { compareNames } from '../util/names.ts';

export interface DefragPolicy {
  fragmentationThresholdPercent: number;
  minFreeableBytes: number;
  /** Defragment every selected member whatever its fragmentation. */
  all: boolean;
  /** Only these members (name, hex id or client URL); empty = all. */
  members: string[];
  /** Allow a single-member cluster (defragmentation = downtime there). */
  force: boolean;
  /** Refuse when a member's applied index lags the highest committed index by more than this. */
  maxApplyLag: number;
}

export const DEFAULT_POLICY: DefragPolicy = {
  fragmentationThresholdPercent: 45,
  minFreeableBytes: 100 * MiB,
  all: false,
  members: [],
  force: false,
  maxApplyLag: THRESHOLDS.applyLagWarn,
};

export interface PlanStep {
  name: string;
  id: string;
  endpoint: string;
  isLeader: boolean;
  dbSize: number;
  dbSizeInUse: number;
  fragmentationPercent: number;
  freeableBytes: number;
  nospace: boolean;
  action: 'defrag' | 'skip';
  reason: string;
}

export interface DefragPlan {
  /** Execution order: members to defragment (followers, then the leader), then the skipped ones. */
  steps: PlanStep[];
  /** Why the plan must not run at all; empty when it may. */
  refusals: string[];
  expectedFreedBytes: number;
}

/** The gates safetyRefusals keeps, in words: for help texts and the question asked before maintenance. */
export const SAFETY_GATES = 'every member must be reachable and healthy, no CORRUPT alarm, a leader, applied-index lag within bounds, '
  + 'no etcd 3.5.0-3.5.5, and more than one member (unless forced); this is checked again before every member. Learners are '
  + 'skipped. Followers go first, the leader last; after each member the next waits until it serves linearizable reads '
  + 'again.';

/** Why online defragmentation is unsafe on this release (a known bug it triggers), or undefined. */
export function unsafeDefragVersion(version: string): string | undefined {
  const parsed = parseVersion(version);
  const bug = parsed ? bugsOf(parsed).find((b) => b.blocksDefrag) : undefined;
  if (!parsed || !bug) return undefined;
  return `${bug.what} (fixed in ${fixFor(bug, parsed)}; ${bug.source}): upgrade to ${releaseLine(parsed)?.latest ?? fixFor(bug, parsed)} first`;
}

/** The conditions under which no member may be defragmented now; shared by the plan and every step's re-check. */
export function safetyRefusals(snapshot: ClusterSnapshot, policy: Pick<DefragPolicy, 'force' | 'maxApplyLag'>): string[] {
  const refusals: string[] = [];
  for (const m of snapshot.members) {
    if (!m.status) refusals.push(`${memberName(m)} is unreachable (${m.error ?? m.statusError ?? 'no answer'}): a rolling defragmentation needs every member`);
    else if (!m.healthy) refusals.push(`${memberName(m)} is unhealthy (${m.healthError ?? 'no linearizable read'})`);
  }
  for (const alarm of snapshot.alarms) {
    if (alarm.alarm === 'CORRUPT') refusals.push(`CORRUPT alarm on member ${alarm.memberId}: replace the member from a healthy snapshot instead`);
  }
  if (snapshot.alarmsUnknown) refusals.push('the alarms could not be read (a CORRUPT alarm would go unseen)');
  if (!leaderOf(snapshot) && snapshot.members.some((m) => m.status)) refusals.push('the cluster has no leader');
  const reachable = withStatus(snapshot.members);
  const committed = highestCommitted(reachable);
  for (const m of reachable) {
    const lag = applyLag(m, committed) ?? 0;
    if (lag > policy.maxApplyLag) refusals.push(`${memberName(m)} applied index lags by ${lag} entries (more than ${policy.maxApplyLag})`);
  }
  for (const m of reachable) {
    const unsafe = unsafeDefragVersion(m.status.version);
    if (unsafe) refusals.push(`${memberName(m)} runs etcd ${m.status.version}: ${unsafe}`);
  }
  if (snapshot.members.length === 1 && !policy.force) {
    refusals.push('a single-member cluster stops serving while it is defragmented: use --force to accept the downtime');
  }
  return refusals;
}

export function planDefrag(snapshot: ClusterSnapshot, policy: DefragPolicy): DefragPlan {
  for (const selector of policy.members) findMember(snapshot.members, selector, selectable);
  const leader = leaderOf(snapshot);
  const nospace = new Set(snapshot.alarms.filter((a) => a.alarm === 'NOSPACE').map((a) => a.memberId));
  const steps = snapshot.members.map((m): PlanStep => {
    const dbSize = m.status?.dbSize ?? 0;
    const dbSizeInUse = m.status?.dbSizeInUse ?? 0;
    const frag = fragmentationPercent(dbSize, dbSizeInUse);
    const freeable = freeableBytes(dbSize, dbSizeInUse);
    const step = {
      name: memberName(m), id: m.member.id, endpoint: m.endpoint, isLeader: m === leader, dbSize, dbSizeInUse,
      fragmentationPercent: Number(frag.toFixed(1)), freeableBytes: freeable, nospace: nospace.has(m.member.id),
    };
    const selected = policy.members.length === 0 || policy.members.some((s) => selects(selectable(m), s));
    if (!selected) return { ...step, action: 'skip', reason: 'not selected' };
    if (!m.status) return { ...step, action: 'skip', reason: 'unreachable' };
    // A learner is still catching up, often from a snapshot the leader sends: applying one while it defragments is
    // the corruption fixed only in 3.4.38 / 3.5.23 / 3.6.5. It is not voting, so it waits until it is promoted.
    if (m.status.isLearner) return { ...step, action: 'skip', reason: 'learner: defragment it once promoted (it may be receiving a snapshot)' };
    if (policy.all) return { ...step, action: 'defrag', reason: '--all' };
    if (step.nospace) return { ...step, action: 'defrag', reason: 'NOSPACE alarm raised' };
    // The alarm can be disarmed only when every member is under its quota: all of them get their space back.
    if (nospace.size > 0 && freeable > 0) return { ...step, action: 'defrag', reason: 'the cluster is in NOSPACE: every member must get under its quota' };
    const enoughFrag = frag >= policy.fragmentationThresholdPercent;
    const enoughBytes = freeable >= policy.minFreeableBytes;
    if (enoughFrag && enoughBytes) {
      return { ...step, action: 'defrag', reason: `${step.fragmentationPercent}% fragmented, ${formatBytes(freeable)} to free` };
    }
    const why = !enoughFrag
      ? `${step.fragmentationPercent}% fragmented, below ${policy.fragmentationThresholdPercent}%`
      : `only ${formatBytes(freeable)} to free, below ${formatBytes(policy.minFreeableBytes)}`;
    return { ...step, action: 'skip', reason: why };
  });
  const byName = (a: PlanStep, b: PlanStep): number => compareNames(a.name, b.name);
  const defrag = steps.filter((s) => s.action === 'defrag');
  const ordered = [
    ...defrag.filter((s) => !s.isLeader).sort(byName),
    ...defrag.filter((s) => s.isLeader),
    ...steps.filter((s) => s.action === 'skip').sort(byName),
  ];
  return {
    steps: ordered,
    refusals: safetyRefusals(snapshot, policy),
    expectedFreedBytes: defrag.reduce((sum, s) => sum + s.freeableBytes, 0),
  };
}
