// The version catalogue and what reads it: the advisor's findings (known bugs with the release to move to, end of
// life with the path, an upgrade left half done), the maintenance refusal that names the bug, and the configuration
// audit by version (3.6 deprecations as warnings with the fix in the file's own form, 3.7 removals as critical).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyse } from '../../shared/analyse/analyse.ts';
import { auditConfig } from '../../shared/analyse/config-audit.ts';
import { bugsOf, parseVersion, upgradePath, type EtcdVersion } from '../../shared/analyse/etcd-versions.ts';
import { readEtcdConfig } from '../../shared/collect/etcd-config.ts';
import { configProblems } from '../../shared/entry/config.ts';
import { DEFAULT_POLICY, planDefrag } from '../../shared/maintain/plan.ts';
import { cluster, member } from './snapshots.ts';

const v = (text: string): EtcdVersion => parseVersion(text) as EtcdVersion;
const versionFindings = (...versions: string[]) => analyse(cluster(versions.map((version, i) => member(i, { version }))))
  .filter((f) => f.category === 'version');

test('versions parse from releases, image tags and pre-releases; the upgrade path goes one minor version at a time', () => {
  assert.deepEqual(parseVersion('3.6.5-0'), { major: 3, minor: 6, patch: 5 });
  assert.deepEqual(parseVersion('v3.7.0-rc.0'), { major: 3, minor: 7, patch: 0 });
  assert.equal(parseVersion('latest'), null);
  assert.deepEqual(upgradePath(v('3.4.23')), ['3.5.35', '3.6.16', '3.7.3']);
  assert.deepEqual(upgradePath(v('3.4.20')), ['3.4.45', '3.5.35', '3.6.16', '3.7.3'], '3.5 needs 3.4.22+ first');
  assert.deepEqual(upgradePath(v('3.5.20')), ['3.5.35', '3.6.16', '3.7.3'], '3.6 needs 3.5.32+ first');
  assert.deepEqual(upgradePath(v('3.7.3')), []);
});

test('known bugs by range: 3.5.5 has the defragmentation crash, 3.5.6 not; 3.7.3 none', () => {
  assert.ok(bugsOf(v('3.5.5')).some((b) => b.id === 'defrag-crash-inconsistency' && b.blocksDefrag));
  assert.ok(!bugsOf(v('3.5.6')).some((b) => b.id === 'defrag-crash-inconsistency'));
  assert.ok(bugsOf(v('3.5.2')).some((b) => b.id === 'inconsistent-revision-3.5.0'));
  assert.deepEqual(bugsOf(v('3.7.3')), []);
  for (const bug of bugsOf(v('3.5.0'))) assert.match(bug.source, /github\.com\/etcd-io\/etcd|etcd\.io/, `${bug.id} cites its source`);
});

test('advisor: a known-bad release is critical with the newest release of its line as the target', () => {
  const [bugs] = versionFindings('3.5.5', '3.5.5', '3.5.5');
  assert.equal(bugs?.id, 'etcd-version-bugs');
  assert.equal(bugs?.severity, 'crit');
  assert.equal(bugs?.value, '3.5.5');
  assert.equal(bugs?.threshold, '3.5.31', 'the newest first-fixed release among the bugs fixed on 3.5');
  assert.match(bugs?.title ?? '', /^etcd 3\.5\.5 \(etcd-1, etcd-2, etcd-3\) has \d+ known bugs fixed in later releases: /);
  assert.match(bugs?.evidence ?? '', /crashes during an online defragmentation .*fixed in 3\.5\.6; .*#14733/);
  assert.equal(bugs?.recommendation, 'Upgrade etcd-1, etcd-2, etcd-3 to 3.5.35, the newest 3.5 release, one member at a time.');
});

test('advisor: the newest 3.5 and 3.6 only inform of a bug fixed in 3.7; 3.7.3 says nothing', () => {
  for (const version of ['3.5.35', '3.6.16']) {
    const found = versionFindings(version);
    assert.deepEqual(found.map((f) => [f.id, f.severity]), [['etcd-version-bugs', 'info']], version);
    assert.match(found[0]?.recommendation ?? '', /Fixed only in a later minor version: plan the upgrade \(.*3\.7\.3\)/);
  }
  assert.deepEqual(versionFindings('3.7.3', '3.7.3'), []);
});

test('advisor: 3.4 is end of life, with the path through every minor version', () => {
  const eol = versionFindings('3.4.23').find((f) => f.id === 'etcd-version-eol');
  assert.equal(eol?.severity, 'warn');
  assert.equal(eol?.threshold, '3.7.3');
  assert.match(eol?.recommendation ?? '', /^Upgrade one minor version at a time, every member before the next step: 3\.4\.23 -> 3\.5\.35 -> 3\.6\.16 -> 3\.7\.3 \(3\.5 needs every member on 3\.4\.22\+ first; 3\.6 needs every member on 3\.5\.32\+ first; 3\.7 needs every member on 3\.6\.11\+ first\)\.$/);
});

test('advisor: mixed versions; an upgrade to 3.6 from below 3.5.32 is critical and names the members to bring up first', () => {
  const unsafe = versionFindings('3.5.20', '3.6.16', '3.6.16').find((f) => f.id === 'version-mismatch');
  assert.equal(unsafe?.severity, 'crit');
  assert.match(unsafe?.title ?? '', /members run 2 different etcd versions \(an upgrade from 3\.5 in progress\)/);
  assert.match(unsafe?.recommendation ?? '', /only supported from 3\.5\.32 on: bring etcd-1 to 3\.5\.32 or later \(3\.5\.35\)/);
  const fine = versionFindings('3.5.35', '3.6.16', '3.6.16').find((f) => f.id === 'version-mismatch');
  assert.equal(fine?.severity, 'warn');
  assert.match(fine?.recommendation ?? '', /run 3\.6\.16 on every member/);
});

test('maintain refuses to defragment 3.5.0-3.5.5 and names the bug; 3.5.6 is not refused for it', () => {
  const snapshot = (version: string) => cluster([0, 1, 2].map((i) => member(i, { version, dbSize: 300 * 2 ** 20, dbSizeInUse: 10 * 2 ** 20 })));
  const refused = planDefrag(snapshot('3.5.5'), DEFAULT_POLICY).refusals;
  assert.equal(refused.length, 3);
  assert.match(refused[0] ?? '', /^etcd-1 runs etcd 3\.5\.5: a member that crashes during an online defragmentation can come back with a revision that differs from the others \(fixed in 3\.5\.6; .*#14733\)+: upgrade to 3\.5\.35 first$/);
  assert.deepEqual(planDefrag(snapshot('3.5.6'), DEFAULT_POLICY).refusals, []);
});

const MANIFEST = (image: string, flags: string[]): string => `apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
spec:
  containers:
  - command:
    - etcd
    - --name=cp-1
${flags.map((f) => `    - ${f}`).join('\n')}
    - --snapshot-count=10000
    - --listen-metrics-urls=http://127.0.0.1:2381
    image: ${image}
    name: etcd
`;

const versionIds = (text: string, version?: string) => auditConfig(readEtcdConfig(text, 'etcd.yaml') as NonNullable<ReturnType<typeof readEtcdConfig>>, version)
  .filter((f) => /deprecated|removed|unknown|snapshot/.test(f.id)).map((f) => `${f.id}:${f.severity}:${f.flag}`);

test('config audit by version: the version comes from the image tag; 3.6 warns, 3.7 is critical, 3.5 is clean', () => {
  const old = ['--experimental-initial-corrupt-check=true', '--experimental-watch-progress-notify-interval=5s'];
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.5.24-0', old)), []);
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.6.5-0', old)), [
    'config-deprecated-flag:warn:experimental-initial-corrupt-check', 'config-deprecated-flag:warn:experimental-watch-progress-notify-interval']);
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.7.0-0', old)), [
    'config-removed-flag:crit:experimental-initial-corrupt-check', 'config-removed-flag:crit:experimental-watch-progress-notify-interval']);
  const current = ['--feature-gates=InitialCorruptCheck=true', '--watch-progress-notify-interval=5s'];
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.6.5-0', current)), [], 'kubeadm\'s 3.6 flags: nothing to say');
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.7.0-0', current)), []);
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.5.24-0', current)), [
    'config-unknown-flag:crit:feature-gates', 'config-unknown-flag:crit:watch-progress-notify-interval'], '3.5 does not know the new spellings');
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.6.5-0', ['--enable-v2=true'])), ['config-removed-flag:crit:enable-v2']);
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.5.24-0', ['--enable-v2=true'])), []);
});

test('config audit: the snapshot-count advice follows the version\'s default', () => {
  const without = (image: string) => MANIFEST(image, []).replace('    - --snapshot-count=10000\n', '');
  assert.deepEqual(versionIds(without('registry.k8s.io/etcd:3.5.24-0')), ['config-snapshot-count:info:snapshot-count'], '3.5 keeps 100,000 entries by default');
  assert.deepEqual(versionIds(without('registry.k8s.io/etcd:3.6.5-0')), [], '3.6 defaults to 10,000');
  assert.deepEqual(versionIds(MANIFEST('registry.k8s.io/etcd:3.6.5-0', []).replace('--snapshot-count=10000', '--snapshot-count=250000')), ['config-snapshot-count:warn:snapshot-count']);
});

test('quick fixes in the file\'s own form: a renamed flag in place, a feature gate joins the others and the old flag goes', () => {
  const manifest = MANIFEST('registry.k8s.io/etcd:3.6.5-0', ['--feature-gates=CompactHashCheck=true', '--experimental-initial-corrupt-check=true', '--experimental-watch-progress-notify-interval=5s']);
  const problems = configProblems(manifest, 'etcd.yaml') ?? [];
  const rename = problems.find((p) => p.id === 'config-deprecated-flag' && manifest.slice(p.start, p.end).includes('watch-progress'));
  assert.equal(rename?.fix?.title, 'Replace --experimental-watch-progress-notify-interval with --watch-progress-notify-interval=5s');
  assert.equal(rename?.fix?.text, manifest.replace('--experimental-watch-progress-notify-interval=5s', '--watch-progress-notify-interval=5s'));
  const gate = problems.find((p) => p.id === 'config-deprecated-flag' && manifest.slice(p.start, p.end).includes('corrupt'));
  assert.equal(gate?.fix?.title, 'Replace --experimental-initial-corrupt-check with --feature-gates=CompactHashCheck=true,InitialCorruptCheck=true');
  assert.equal(gate?.fix?.text, manifest
    .replace('--feature-gates=CompactHashCheck=true', '--feature-gates=CompactHashCheck=true,InitialCorruptCheck=true')
    .replace('    - --experimental-initial-corrupt-check=true\n', ''));
  // Applying both fixes leaves nothing deprecated.
  const once = rename?.fix?.text as string;
  const twice = configProblems(once, 'etcd.yaml')?.find((p) => p.id === 'config-deprecated-flag')?.fix?.text as string;
  assert.deepEqual(configProblems(twice, 'etcd.yaml')?.filter((p) => /deprecated|removed/.test(p.id)), []);

  const env = 'ETCD_NAME=m1\nETCD_EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL=5s\nETCD_DATA_DIR=/var/lib/etcd\n';
  const envProblem = configProblems(env, 'etcd.env')?.find((p) => p.id === 'config-deprecated-flag');
  assert.equal(envProblem?.severity, 'info', 'no version in an env file: noted, not warned');
  assert.equal(envProblem?.fix?.text, 'ETCD_NAME=m1\nETCD_WATCH_PROGRESS_NOTIFY_INTERVAL=5s\nETCD_DATA_DIR=/var/lib/etcd\n');
  const file = 'name: m1\ndata-dir: /var/lib/etcd\nexperimental-initial-corrupt-check: true\n';
  assert.equal(configProblems(file, 'etcd.conf.yml')?.find((p) => p.id === 'config-deprecated-flag')?.fix?.text,
    'name: m1\ndata-dir: /var/lib/etcd\nfeature-gates: InitialCorruptCheck=true\n');
});

test('kubeadm 1.34\'s own manifests (test/fixtures, written by kubeadm): clean for their image, critical on 3.7 with 3.5\'s flags', () => {
  const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures', name), 'utf8');
  const serious = (text: string, version?: string) => auditConfig(readEtcdConfig(text, 'etcd.yaml') as NonNullable<ReturnType<typeof readEtcdConfig>>, version)
    .filter((f) => f.severity === 'warn' || f.severity === 'crit').map((f) => `${f.id}:${f.severity}:${f.flag}`);
  const for36 = fixture('kubeadm-1.34-etcd-3.6.yaml');
  const for35 = fixture('kubeadm-1.34-etcd-3.5.yaml');
  assert.equal(readEtcdConfig(for36, 'etcd.yaml')?.version, '3.6.5');
  assert.equal(readEtcdConfig(for35, 'etcd.yaml')?.version, '3.5.24');
  assert.deepEqual(serious(for36), [], 'kubeadm\'s flags for 3.6: no false finding');
  assert.deepEqual(serious(for36, '3.7.3'), [], 'nor on 3.7');
  assert.deepEqual(serious(for35), [], '3.5\'s experimental flags are right for 3.5');
  assert.deepEqual(serious(for35, '3.7.3'), [
    'config-removed-flag:crit:experimental-initial-corrupt-check', 'config-removed-flag:crit:experimental-watch-progress-notify-interval']);
  assert.deepEqual(serious(for35, '3.6.16'), [
    'config-deprecated-flag:warn:experimental-initial-corrupt-check', 'config-deprecated-flag:warn:experimental-watch-progress-notify-interval']);
});
