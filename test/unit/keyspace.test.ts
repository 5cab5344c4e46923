// Grouping keys for `keyspace` (Kubernetes' /registry/ layout, CRD groups, namespaces, path depth), the prefix range
// end, and the tally's totals and top lists.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyspaceTally, prefixEnd } from '../../shared/collect/keyspace.ts';
import { groupOf } from '../../shared/collect/keyspace-groups.ts';
import { keyspaceFindings } from '../../shared/analyse/keyspace-rules.ts';
import { cluster } from './snapshots.ts';

test('groups: resource, API group, services split, namespaces on request, depth elsewhere', () => {
  const plain = { depth: 2, byNamespace: false };
  const spaced = { depth: 2, byNamespace: true };
  for (const [key, group, byNamespace] of [
    ['/registry/pods/default/web-1', '/registry/pods/', '/registry/pods/default/'],
    ['/registry/nodes/node-1', '/registry/nodes/', '/registry/nodes/'],
    ['/registry/cert-manager.io/certificates/ns/c1', '/registry/cert-manager.io/certificates/', '/registry/cert-manager.io/certificates/ns/'],
    ['/registry/apiregistration.k8s.io/apiservices/v1.apps', '/registry/apiregistration.k8s.io/apiservices/', '/registry/apiregistration.k8s.io/apiservices/'],
    ['/registry/services/specs/default/kubernetes', '/registry/services/specs/', '/registry/services/specs/default/'],
    ['/registry/ranges/serviceips', '/registry/ranges/', '/registry/ranges/'],
    ['/registry/health', '/registry/health', '/registry/health'],
    ['/a/b/c/d', '/a/b/', '/a/b/'],
    ['/a/b', '/a/b', '/a/b'],
    ['x/y/z', 'x/y/', 'x/y/'],
  ] as const) {
    assert.equal(groupOf(key, plain), group, key);
    assert.equal(groupOf(key, spaced), byNamespace, `${key} by namespace`);
  }
  assert.equal(groupOf('/a/b/c/d', { depth: 3, byNamespace: false }), '/a/b/c/');
});

test('prefix range end: the last byte below 0xff incremented; everything for an all-0xff prefix', () => {
  assert.deepEqual(prefixEnd(Buffer.from('/registry/')), Buffer.from('/registry0'));
  assert.deepEqual(prefixEnd(Buffer.from([0x61, 0xff])), Buffer.from([0x62]));
  assert.deepEqual(prefixEnd(Buffer.from([0xff])), Buffer.from([0]));
});

test('tally: totals, groups sorted by bytes, top lists by size and version', () => {
  const tally = new KeyspaceTally({ depth: 2, byNamespace: false, top: 2 });
  tally.add('/registry/pods/a/p1', 100, 1, false);
  tally.add('/registry/pods/a/p2', 300, 9, false);
  tally.add('/registry/events/a/e1', 50, 1, true);
  tally.add('/registry/configmaps/a/big', 5000, 2, false);
  assert.equal(tally.totalKeys, 4);
  assert.equal(tally.totalBytes, 19 + 100 + 19 + 300 + 21 + 50 + 26 + 5000);
  assert.deepEqual(tally.prefixes().map((p) => [p.prefix, p.keys, p.bytes, p.versionsSum, p.versionsMax, p.withoutLease, p.meanValueBytes]), [
    ['/registry/configmaps/', 1, 5026, 2, 2, 1, 5000],
    ['/registry/pods/', 2, 438, 10, 9, 2, 200],
    ['/registry/events/', 1, 71, 1, 1, 0, 50],
  ]);
  assert.deepEqual(tally.largestKeys(), [{ key: '/registry/configmaps/a/big', bytes: 5026 }, { key: '/registry/pods/a/p2', bytes: 319 }]);
  assert.deepEqual(tally.mostRewritten(), [{ key: '/registry/pods/a/p2', version: 9 }, { key: '/registry/configmaps/a/big', version: 2 }]);
});

test('keyspace findings: hot keys outside heartbeat resources, the walk failing said as info, none without a walk', () => {
  const tally = new KeyspaceTally({ depth: 2, byNamespace: false, top: 5 });
  tally.add('/registry/coordination.k8s.io/leases/kube-node-lease/node-1', 300, 500_000, false);
  tally.add('/registry/deployments/default/web', 3000, 150_000, false);
  tally.add('/registry/pods/default/web-1', 3000, 3, false);
  const keyspace = {
    totalKeys: tally.totalKeys, totalBytes: tally.totalBytes, revision: 9, prefix: '/', endpoint: 'e', serializable: true, keysOnly: false,
    prefixes: tally.prefixes(), largestKeys: tally.largestKeys(), mostRewritten: tally.mostRewritten(), pages: 1, lookaheadPages: 0, durationSeconds: 0, partial: false, resumeAfter: null,
  };
  const findings = keyspaceFindings(cluster([], { keyspace }));
  assert.deepEqual(findings.map((f) => [f.id, f.severity, f.evidence]), [
    ['keyspace-high-versions', 'info', '/registry/deployments/default/web: version 150000'],
  ]);
  assert.deepEqual(keyspaceFindings(cluster([], { keyspace: { error: 'refused' } })).map((f) => [f.id, f.severity]), [['keyspace-unavailable', 'info']]);
  assert.deepEqual(keyspaceFindings(cluster([])), []);
});
