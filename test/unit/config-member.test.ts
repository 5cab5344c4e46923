import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEtcdConfig } from '../../shared/collect/etcd-config.ts';
import { memberOfConfig as resolveMember } from '../../shared/analyse/config-member.ts';
import { buildReport } from '../../shared/analyse/report.ts';
import { cluster, member } from './snapshots.ts';

const report = buildReport(cluster([member(0), member(1), member(2)]));
const config = (flags: string[]) => readEtcdConfig(`apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command:\n    - etcd\n${flags.map((f) => `    - ${f}\n`).join('')}`, 'etcd.yaml')!;

test('a manifest resolves to its member by advertised client URL, else by name', () => {
  const byUrl = resolveMember(config(['--advertise-client-urls=http://127.0.0.1:12389/', '--name=whatever']), [{ name: 'prod', report }]);
  assert.ok('member' in byUrl);
  assert.deepEqual([byUrl.cluster, byUrl.member.name, byUrl.by], ['prod', 'etcd-2', 'advertise-client-urls']);
  const byName = resolveMember(config(['--advertise-client-urls=https://10.0.0.9:2379', '--name=etcd-3']), [{ name: 'prod', report }]);
  assert.ok('member' in byName);
  assert.deepEqual([byName.member.name, byName.by], ['etcd-3', 'name']);
});

test('no match or an ambiguous name is said plainly', () => {
  const none = resolveMember(config(['--advertise-client-urls=https://10.0.0.9:2379', '--name=cp-9']), [{ name: 'prod', report }]);
  assert.deepEqual(none, { error: 'no member of the clusters shown advertises https://10.0.0.9:2379 or is named cp-9' });
  const twice = resolveMember(config(['--name=etcd-1']), [{ name: 'a', report }, { name: 'b', report }]);
  assert.match('error' in twice ? twice.error : '', /--name etcd-1 matches members of a, b/);
});
