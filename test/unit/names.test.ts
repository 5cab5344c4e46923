// Member and pod names sort as ICU's numeric collation sorts them (what the code used before), without loading ICU.
// The names are those etcd members, pods and endpoints carry: DNS labels and subdomains, kubeadm's etcd-<node>, URLs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareNames } from '../../shared/util/names.ts';

const NAMES = [
  'etcd-10', 'etcd-2', 'etcd-1', 'etcd-master-3.example.com', 'etcd-master-12.example.com', 'etcd-master-2.example.com',
  'cp-1', 'CP-2', 'm3', 'm20', 'infra0', 'infra1', 'infra10', 'http://127.0.0.1:2379', 'http://127.0.0.1:12379',
  'etcd-ip-10-0-1-5', 'etcd-ip-10-0-1-40', 'etcd-cp-1', 'etcd-cp1', 'etcd-cp.1', 'etcd_x', 'a', 'B', 'b', 'Cp-1', '',
];

test('names sort as the numeric collator sorts them: digit runs by value, letters case-blind first', () => {
  const ours = [...NAMES].sort(compareNames);
  const icu = [...NAMES].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  assert.deepEqual(ours, icu);
  assert.deepEqual(['etcd-10', 'etcd-2', 'etcd-1'].sort(compareNames), ['etcd-1', 'etcd-2', 'etcd-10']);
});

test('equal names compare as 0, and the order is antisymmetric', () => {
  for (const a of NAMES) {
    assert.equal(compareNames(a, a), 0);
    for (const b of NAMES) assert.equal(Math.sign(compareNames(a, b)) + Math.sign(compareNames(b, a)), 0, `${a} vs ${b}`);
  }
});
