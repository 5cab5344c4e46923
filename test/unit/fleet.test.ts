// The clusters the VS Code view keeps watch on (shared/entry/fleet.ts): which settings entries count, when a password
// is needed, and the fleet's status over its last readings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, type CheckReport } from '../../shared/analyse/report.ts';
import { clusterSpecs, Fleet, needsPassword, type ClusterSpec } from '../../shared/entry/fleet.ts';
import { MiB } from '../../shared/util/bytes.ts';
import { cluster, fastMetrics, member } from './snapshots.ts';

const healthy = buildReport(cluster([0, 1, 2].map((i) => member(i, {}, { metrics: fastMetrics() }))));
const fragmented = buildReport(cluster([0, 1, 2].map((i) => member(i, { dbSize: 600 * MiB, dbSizeInUse: 100 * MiB }, { metrics: fastMetrics() }))));

test('settings entries: a name and endpoints or kubernetes; anything else is left out', () => {
  const specs = clusterSpecs([
    { name: 'a', endpoints: ['http://127.0.0.1:2379'] }, { name: 'b', kubernetes: { context: 'x' } },
    { name: 'c' }, { endpoints: ['x'] }, { name: 'd', kubernetes: null }, 'e', null,
  ]);
  assert.deepEqual(specs.map((s) => s.name), ['a', 'b']);
  assert.deepEqual(clusterSpecs(undefined), []);
  assert.equal(needsPassword({ name: 'a', endpoints: [], user: 'root' }), true);
  assert.equal(needsPassword({ name: 'a', endpoints: [], user: 'root:secret' }), false);
  assert.equal(needsPassword({ name: 'a', kubernetes: {}, user: 'root' }), false);
});

test('the status over the clusters: the worst verdict, critical when one cannot be read, nothing before a report', async () => {
  assert.equal(healthy.verdict.status, 'healthy');
  assert.equal(fragmented.verdict.status, 'degraded');
  const answers = new Map<string, CheckReport | Error>([['a', healthy], ['b', fragmented]]);
  const fleet = new Fleet(async (spec) => {
    const answer = answers.get(spec.name);
    if (answer instanceof Error || answer === undefined) throw answer ?? new Error('unknown');
    return answer;
  });
  const specs = (...names: string[]): ClusterSpec[] => names.map((name) => ({ name, endpoints: [] }));
  assert.equal(fleet.status(), undefined);
  await fleet.refresh(specs('a'));
  assert.equal(fleet.status(), 'healthy');
  await fleet.refresh(specs('a', 'b'));
  assert.equal(fleet.status(), 'degraded');
  answers.set('b', new Error('unreachable: connection refused'));
  await fleet.refresh(specs('a', 'b'));
  assert.equal(fleet.status(), 'critical');
  assert.equal(fleet.state('b')?.report, fragmented, 'the last report is kept beside the error');
  await fleet.refresh(specs('a'));
  assert.equal(fleet.state('b'), undefined, 'a cluster no longer listed is dropped');
  assert.equal(fleet.status(), 'healthy');
});

test('concurrent refreshes share one reading of each cluster', async () => {
  let reads = 0;
  const fleet = new Fleet(async () => {
    reads += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return healthy;
  });
  const specs: ClusterSpec[] = [{ name: 'a', endpoints: [] }, { name: 'b', endpoints: [] }];
  await Promise.all([fleet.refresh(specs), fleet.refresh(specs), fleet.refresh(specs)]);
  assert.equal(reads, 2);
});
