// Each member fact, worked out once (shared/analyse/members.ts), on snapshots shaped like etcd 3.4.23's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  agreedLeaderId, applyLag, failureOf, findMember, highestCommitted, leaderOf, nothingAnswered, roleOf, selectable, selects,
} from '../../shared/analyse/members.ts';
import { buildReport } from '../../shared/analyse/report.ts';
import { renderHtmlReport } from '../../shared/render/html.ts';
import { memberRows } from '../../shared/render/member-rows.ts';
import { cluster, IDS, member } from './snapshots.ts';
import { inCliWords } from '../harness/words.ts';

const down = () => member(2, {}, { status: undefined, healthy: false, metrics: undefined, error: 'unreachable: connection refused' });

test('the leader is the one most members name; none when no member names one', () => {
  const split = cluster([member(0), member(1, { leaderId: IDS[1] as string }), member(2)]);
  assert.equal(agreedLeaderId(split.members), IDS[0]);
  assert.equal(leaderOf(split)?.member.name, 'etcd-1');
  assert.equal(agreedLeaderId([member(0, { leaderId: '0' }), member(1, { leaderId: '0' })]), null);
});

test('roles: leader, follower, learner (by status or the member list), and down only when neither status nor health answered', () => {
  const learner = member(1, { isLearner: true });
  const listedLearner = member(2, {}, { member: { ...member(2).member, isLearner: true }, status: undefined });
  const report = buildReport(cluster([member(0), learner, down()]));
  assert.deepEqual(report.members.map((m) => m.role), ['leader', 'learner', 'down']);
  assert.equal(roleOf(listedLearner, IDS[0] as string), 'learner', 'a healthy member whose status failed is not down');
  assert.equal(roleOf(member(1), null), 'follower');
  assert.deepEqual(memberRows(report).map((row) => row[7]), ['leader', 'learner', '-']);
  assert.match(renderHtmlReport(report, { title: 't' }), /<td>learner<\/td>/, 'the HTML report shows a learner as a learner');
});

test('apply lag is counted from the highest committed index of any member; unknown without a status', () => {
  const members = [member(0, { raftIndex: 9000, raftAppliedIndex: 9000 }), member(1, { raftIndex: 8990, raftAppliedIndex: 7000 }), down()];
  const committed = highestCommitted(members);
  assert.equal(committed, 9000);
  assert.deepEqual(members.map((m) => applyLag(m, committed)), [0, 2000, null]);
  assert.deepEqual(buildReport(cluster(members)).members.map((m) => m.applyLag), [0, 2000, null]);
});

test('a selector names a member by name, hex id with or without 0x, host:port or URL; unknown ones are usage errors', () => {
  const m = selectable(member(1));
  for (const selector of ['etcd-2', 'ETCD-2', IDS[1] as string, `0x${IDS[1]}`, '127.0.0.1:12389', 'http://127.0.0.1:12389', 'http://localhost:12389/']) {
    assert.ok(selects(m, selector), selector);
  }
  for (const selector of ['etcd-1', '', '127.0.0.1:12379', '0x12']) assert.ok(!selects(m, selector), selector);
  const members = [member(0), member(1)];
  assert.equal(findMember(members, `0x${IDS[1]}`, selectable), members[1]);
  assert.throws(() => findMember(members, 'etcd-9', selectable), (e: unknown) => inCliWords(e) === '--member etcd-9: no such member (members: etcd-1, etcd-2)');
});

test('why a member failed, and what to check', () => {
  const cases: Array<[string, string, string[]]> = [
    ['unreachable: etcdserver: authentication failed, invalid user ID or password', 'auth', ['user', 'password']],
    ['unreachable: forbidden: the kubeconfig\'s user may not get and create "pods/exec" in namespace kube-system (RBAC)', 'forbidden', []],
    ['unreachable: TLS: server certificate not trusted (self-signed certificate)', 'tls', ['cacert']],
    ['unreachable: TLS: the server requires a client certificate it accepts', 'tls', ['cert', 'key']],
    ['health: no answer within 2s (the command timeout)', 'timeout', []],
    ['unreachable: dial timed out after 2000 ms', 'timeout', []],
    ['unreachable: connection refused', 'refused', []],
    ['status: not an etcd gRPC endpoint (Received HTTP status code 404)', 'not-etcd', []],
    ['unreachable: pod kube-system/etcd-cp-3 is not running (CrashLoopBackOff)', 'other', []],
  ];
  for (const [message, cause, check] of cases) assert.deepEqual(failureOf(message), { cause, check }, message);
});

test('when nothing answered: credentials and RBAC are the user\'s to fix, the rest is unreachable, said in one line', () => {
  const auth = 'unreachable: etcdserver: authentication failed, invalid user ID or password';
  assert.deepEqual(nothingAnswered([{ endpoint: 'https://a:1', error: auth }, { endpoint: 'https://b:1', error: auth }]), {
    kind: 'credentials', message: 'etcdserver: authentication failed, invalid user ID or password (https://a:1, https://b:1); check {user} and {password}',
  });
  const tls = 'unreachable: TLS: server certificate not trusted (x)';
  assert.equal(nothingAnswered([{ endpoint: 'https://a:1', error: tls }, { endpoint: 'https://b:1', error: tls }])?.message,
    'no member reachable: https://a:1, https://b:1: TLS: server certificate not trusted (x); check {cacert}');
  assert.equal(nothingAnswered([{ endpoint: 'http://a:1', error: 'unreachable: connection refused' }, { endpoint: 'http://b:1', error: tls }])?.message,
    'no member reachable: http://a:1: connection refused; http://b:1: TLS: server certificate not trusted (x); check {cacert}');
  assert.equal(nothingAnswered([{ endpoint: 'x', error: 'unreachable: forbidden: no' }])?.kind, 'forbidden');
  assert.equal(buildReport(cluster([member(0), down()])).members[1]?.failure?.cause, 'refused');
});
