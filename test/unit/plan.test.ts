import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, planDefrag, unsafeDefragVersion, type DefragPolicy } from '../../shared/maintain/plan.ts';
import { MiB } from '../../shared/util/bytes.ts';
import { throwsUsage } from '../harness/words.ts';
import { cluster, IDS, member } from './snapshots.ts';

const fragmented = { dbSize: 300 * MiB, dbSizeInUse: 12 * MiB };
const policy = (overrides: Partial<DefragPolicy> = {}): DefragPolicy => ({ ...DEFAULT_POLICY, ...overrides });

test('followers first in name order, the leader last, skipped members after', () => {
  // etcd-1 (IDS[0]) leads; etcd-2 is barely fragmented.
  const snapshot = cluster([member(2, fragmented), member(0, fragmented), member(1, { dbSize: 300 * MiB, dbSizeInUse: 290 * MiB })]);
  const plan = planDefrag(snapshot, policy());
  assert.deepEqual(plan.steps.map((s) => `${s.name}:${s.action}`), ['etcd-3:defrag', 'etcd-1:defrag', 'etcd-2:skip']);
  assert.equal(plan.steps[1]?.isLeader, true);
  assert.match(plan.steps[2]?.reason ?? '', /3\.3% fragmented, below 45%/);
  assert.equal(plan.expectedFreedBytes, 2 * 288 * MiB);
  assert.deepEqual(plan.refusals, []);
});

test('decisions: threshold, minimum to free, --all, NOSPACE, --member', () => {
  const cases: Array<[string, Partial<DefragPolicy>, Parameters<typeof member>[1], string, RegExp]> = [
    ['fragmented', {}, fragmented, 'defrag', /96% fragmented, 288 MiB to free/],
    ['too little to free', {}, { dbSize: 40 * MiB, dbSizeInUse: 4 * MiB }, 'skip', /only 36\.0 MiB to free, below 100 MiB/],
    ['below threshold', {}, { dbSize: 300 * MiB, dbSizeInUse: 200 * MiB }, 'skip', /33\.3% fragmented, below 45%/],
    ['lower threshold', { fragmentationThresholdPercent: 30 }, { dbSize: 300 * MiB, dbSizeInUse: 200 * MiB }, 'defrag', /33\.3% fragmented/],
    ['--all', { all: true }, { dbSize: 20 * MiB, dbSizeInUse: 19 * MiB }, 'defrag', /--all/],
    ['not selected', { members: ['etcd-2'] }, fragmented, 'skip', /not selected/],
  ];
  for (const [name, overrides, status, action, reason] of cases) {
    const step = planDefrag(cluster([member(0, status), member(1)]), policy(overrides)).steps.find((s) => s.name === 'etcd-1');
    assert.equal(step?.action, action, name);
    assert.match(step?.reason ?? '', reason, name);
  }
  const nospace = planDefrag(cluster([member(0), member(1)], { alarms: [{ memberId: IDS[1] as string, alarm: 'NOSPACE' }] }), policy());
  assert.equal(nospace.steps.find((s) => s.name === 'etcd-2')?.reason, 'NOSPACE alarm raised');
  assert.equal(nospace.steps.find((s) => s.name === 'etcd-1')?.action, 'defrag', 'every member with space to free, in NOSPACE');
  assert.match(nospace.steps.find((s) => s.name === 'etcd-1')?.reason ?? '', /cluster is in NOSPACE/);
});

test('members are selected by name, hex id or URL; an unknown one is a usage error', () => {
  const snapshot = cluster([member(0, fragmented), member(1, fragmented), member(2, fragmented)]);
  for (const selector of ['etcd-2', IDS[1] as string, 'http://127.0.0.1:12389', '127.0.0.1:12389']) {
    const plan = planDefrag(snapshot, policy({ members: [selector] }));
    assert.deepEqual(plan.steps.filter((s) => s.action === 'defrag').map((s) => s.name), ['etcd-2'], selector);
  }
  throwsUsage(() => planDefrag(snapshot, policy({ members: ['etcd-9'] })), /--member etcd-9: no such member \(members: etcd-1, etcd-2, etcd-3\)/);
});

test('refusals: unreachable, unhealthy, CORRUPT, no leader, apply lag, unsafe versions, one member', () => {
  const cases: Array<[string, Parameters<typeof cluster>[0], Parameters<typeof cluster>[1], RegExp]> = [
    ['unreachable', [member(0), member(1, {}, { status: undefined, healthy: false, error: 'unreachable: connection refused' })], {}, /etcd-2 is unreachable \(unreachable: connection refused\)/],
    ['unhealthy', [member(0), member(1, {}, { healthy: false, healthError: 'health: no answer' })], {}, /etcd-2 is unhealthy/],
    ['corrupt', [member(0), member(1)], { alarms: [{ memberId: IDS[1] as string, alarm: 'CORRUPT' }] }, /CORRUPT alarm/],
    ['no leader', [member(0, { leaderId: '0' }), member(1, { leaderId: '0' })], {}, /no leader/],
    ['lag', [member(0, { raftIndex: 9000, raftAppliedIndex: 9000 }), member(1, { raftIndex: 9000, raftAppliedIndex: 7000 })], {}, /etcd-2 applied index lags by 2000 entries/],
    ['3.5.3', [member(0, { version: '3.5.3' }), member(1, { version: '3.5.3' })], {}, /runs etcd 3\.5\.3: a member that crashes during an online defragmentation .*#14733.*upgrade to 3\.5\.35 first/],
    ['single', [member(0)], {}, /single-member cluster .* --force/],
    ['alarms unknown', [member(0), member(1)], { alarmsUnknown: true }, /the alarms could not be read/],
  ];
  for (const [name, members, extra, refusal] of cases) {
    const plan = planDefrag(cluster(members, extra), policy());
    assert.ok(plan.refusals.some((r) => refusal.test(r)), `${name}: ${plan.refusals.join(' | ')}`);
  }
  assert.deepEqual(planDefrag(cluster([member(0)]), policy({ force: true })).refusals, []);
});

test('unsafe versions are exactly 3.5.0 to 3.5.5', () => {
  assert.deepEqual(['3.4.23', '3.5.0', '3.5.5', '3.5.6', '3.5.17', '3.6.0'].map((v) => unsafeDefragVersion(v) !== undefined), [false, true, true, false, false, false]);
});

test('a learner is skipped, whatever its fragmentation, with the reason', () => {
  const learner = member(2, { ...fragmented, isLearner: true }, { member: { ...member(2).member, isLearner: true } });
  const plan = planDefrag(cluster([member(0, fragmented), member(1, fragmented), learner]), policy({ all: true }));
  const step = plan.steps.find((s) => s.name === 'etcd-3');
  assert.deepEqual([step?.action, step?.reason], ['skip', 'learner: defragment it once promoted (it may be receiving a snapshot)']);
  assert.deepEqual(plan.steps.filter((s) => s.action === 'defrag').map((s) => s.name), ['etcd-2', 'etcd-1']);
});
