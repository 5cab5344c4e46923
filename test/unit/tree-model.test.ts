import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterView, findingView, memberView } from '../../extension/tree/model.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, memberFindings } from '../../shared/analyse/report.ts';
import { MiB } from '../../shared/util/bytes.ts';
import { cluster, fastMetrics, member } from './snapshots.ts';

const report = buildReport(cluster([
  member(0, { dbSize: 294 * MiB, dbSizeInUse: 112 * MiB }, { metrics: fastMetrics() }),
  member(1, { dbSize: 294 * MiB, dbSizeInUse: 12 * MiB }, { metrics: fastMetrics() }),
  member(2, {}, { status: undefined, healthy: false, metrics: undefined, error: 'unreachable: connection refused' }),
]));

test('a member row says DB size and fragmentation as in "db 294 MiB · frag 62%", leader marked', () => {
  const [leader, follower, down] = report.members;
  assert.equal(memberView(report, leader!).description, 'db 294 MiB · frag 62% · leader');
  assert.equal(memberView(report, follower!).description, 'db 294 MiB · frag 96%');
  assert.equal(memberView(report, down!).description, 'unreachable: connection refused');
});

test('contextValue is the menu API: etcdMember.<role>, etcdCluster, etcdFinding', () => {
  assert.deepEqual(report.members.map((m) => memberView(report, m).contextValue), ['etcdMember.leader', 'etcdMember.follower', 'etcdMember.down']);
  assert.equal(clusterView('prod', report).contextValue, 'etcdCluster');
  assert.equal(findingView(report.findings[0]!).contextValue, 'etcdFinding');
});

test('the manifest offers Defragment Member on a leader, follower or learner row, never on a member that is down', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { contributes: { menus: Record<string, Array<{ command: string; when: string }>> } };
  const entry = manifest.contributes.menus['view/item/context']!.find((m) => m.command === 'etcdPerf.defragmentMember')!;
  const [, pattern] = /viewItem =~ \/(.+)\/$/.exec(entry.when)!;
  const offered = (contextValue: string): boolean => new RegExp(pattern!).test(contextValue);
  const learner = buildReport(cluster([member(0), member(1, { isLearner: true })])).members[1]!;
  const views = [...report.members, learner].map((m) => memberView(report, m).contextValue);
  assert.deepEqual(views.map((v) => [v, offered(v)]), [
    ['etcdMember.leader', true], ['etcdMember.follower', true], ['etcdMember.down', false], ['etcdMember.learner', true],
  ]);
});

test('icons and children follow severity; the tooltip carries version, in use, quota, lag, fsync and commit', () => {
  const follower = report.members[1]!;
  const view = memberView(report, follower);
  assert.equal(view.icon.id, 'warning');
  assert.equal(view.collapsible, true);
  assert.deepEqual(memberFindings(report, follower).map((f) => f.id), ['fragmentation']);
  for (const part of ['etcd 3.5.35', 'in use 12.0 MiB', 'quota 2.00 GiB', 'lag 0', 'WAL fsync p99 2 ms', 'backend commit p99 8 ms']) {
    assert.ok(view.tooltip?.includes(part), `${part} in ${view.tooltip}`);
  }
  assert.equal(memberView(report, report.members[2]!).icon.id, 'error');
  assert.equal(clusterView('prod', report).description, 'critical · 3 findings');
});
