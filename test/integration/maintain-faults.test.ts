// Faults during maintenance, injected at exact points through the core's step events (handlers run synchronously at a
// step's start, before that member's defragmentation request is sent): a member killed, a member frozen, the leader
// moving. Then the lock (a second run is refused, and told who holds it) and a cluster in NOSPACE brought back.

import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { LocalCluster, writeChurn } from '../../shared/demo/local-cluster.ts';
import { CLI, runCli } from '../harness/cli.ts';
import { resolveConnectionOptions } from '../../shared/connect/options.ts';
import type { ConnectionOptions } from '../../shared/connect/types.ts';
import { leaderOf } from '../../shared/analyse/members.ts';
import { readCluster } from '../../shared/maintain/cluster-state.ts';
import { DEFAULT_POLICY, planDefrag } from '../../shared/maintain/plan.ts';
import { rollingDefrag, type MaintenanceEvent } from '../../shared/maintain/rolling-defrag.ts';
import { acquireMaintenanceLock } from '../../shared/maintain/lock.ts';

let cluster: LocalCluster;
let connection: ConnectionOptions;
const policy = { ...DEFAULT_POLICY, all: true };

before(async () => {
  cluster = await LocalCluster.start({ size: 3 });
  connection = resolveConnectionOptions({ endpoints: cluster.endpoints.join(',') }, {});
  await writeChurn(cluster, { rounds: 2, keys: 500 });
});

after(async () => { await cluster?.dispose(); });

beforeEach(async () => {
  // Every test starts from a healthy cluster: restart whatever an earlier test killed.
  for (const [i, member] of cluster.members.entries()) {
    if (member.process?.exitCode !== null || member.process?.signalCode !== null) await cluster.restart(i);
  }
  await cluster.waitHealthy(30_000);
});

const memberIndex = (name: string): number => cluster.members.findIndex((m) => m.name === name);

test('a member killed during the rolling defragmentation: stop before the next step, say which were done', async () => {
  const plan = planDefrag(await readCluster(connection), policy);
  const victim = plan.steps[1]?.name as string;
  const result = await rollingDefrag(connection, plan, {
    policy, moveLeader: false,
    onEvent: (event: MaintenanceEvent) => {
      if (event.type === 'step-start' && event.member === victim) cluster.kill(memberIndex(victim), 'SIGKILL');
    },
  });
  assert.equal(result.ok, false);
  assert.deepEqual(result.steps.map((s) => `${s.name}:${s.status}`), [`${plan.steps[0]?.name}:done`, `${victim}:failed`, `${plan.steps[2]?.name}:not-started`]);
  assert.match(result.stoppedReason ?? '', new RegExp(`stopped at ${victim}: defragment: .*(connection refused|No connection|unavailable)`, 'i'));
  // The two others still form a healthy cluster.
  const after = await readCluster(connection);
  assert.equal(after.members.filter((m) => m.healthy).length, 2);
});

test('a member frozen mid-step: its step times out and nothing else starts', async (t) => {
  const plan = planDefrag(await readCluster(connection), policy);
  const first = plan.steps[0]?.name as string;
  t.after(() => cluster.kill(memberIndex(first), 'SIGCONT'));
  const started = Date.now();
  const result = await rollingDefrag(connection, plan, {
    policy, moveLeader: false, stepTimeoutMs: 2000,
    onEvent: (event) => {
      if (event.type === 'step-start' && event.member === first) cluster.kill(memberIndex(first), 'SIGSTOP');
    },
  });
  assert.ok(Date.now() - started < 8000, 'bounded by the step timeout');
  assert.deepEqual(result.steps.map((s) => s.status), ['failed', 'not-started', 'not-started']);
  assert.match(result.steps[0]?.error ?? '', /no answer within 2s \(the member may still be defragmenting\)/);
});

test('the leader changes mid-run: the plan adapts and the new leader still goes last', async () => {
  const plan = planDefrag(await readCluster(connection), policy);
  const [a, b, leader] = plan.steps.map((s) => s.name) as [string, string, string];
  assert.equal(plan.steps[2]?.isLeader, true);
  const bId = plan.steps[1]?.id as string;
  const result = await rollingDefrag(connection, plan, {
    policy, moveLeader: false,
    onEvent: (event) => {
      if (event.type === 'step-start' && event.index === 1) {
        // Hand leadership from the planned leader to b, the second planned member, before a's step goes out.
        cluster.etcdctl(['move-leader', bId], [cluster.members[memberIndex(leader)]?.clientUrl as string]);
      }
    },
  });
  assert.equal(result.ok, true, result.stoppedReason ?? '');
  assert.deepEqual(result.steps.map((s) => s.name), [a, leader, b], 'the old leader moves up, the new leader goes last');
  assert.deepEqual(result.steps.map((s) => s.wasLeader), [false, false, true]);
  assert.equal(leaderOf(await readCluster(connection))?.member.name, b);
});

test('two maintenance runs at once: the second is refused and told who holds the lock', async () => {
  const lock = await acquireMaintenanceLock(cluster.endpoints[0] as string, connection, 'kubectl etcd-perf maintain (test)');
  assert.equal(lock.state, 'acquired');
  try {
    const second = await runCli(['maintain', '--yes', '--all', '--endpoints', cluster.endpoints.join(',')]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /^error: another maintenance is running: etcd-perf run by .+@.+ \(pid \d+\) since \S+: kubectl etcd-perf maintain \(test\)$/m);
  } finally {
    if (lock.state === 'acquired') await lock.release();
  }
  const third = await runCli(['defrag', '--yes', '--all', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(third.code, 0, third.stderr);
});

test('a lock whose holder died expires with its lease', async () => {
  const holder = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
    const { acquireMaintenanceLock } = require(${JSON.stringify(require.resolve('../../shared/maintain/lock.ts'))});
    const { resolveConnectionOptions } = require(${JSON.stringify(require.resolve('../../shared/connect/options.ts'))});
    acquireMaintenanceLock(${JSON.stringify(cluster.endpoints[0])}, resolveConnectionOptions({ endpoints: ${JSON.stringify(cluster.endpoints[0])} }, {}), 'crashing holder')
      .then((lock) => { process.stdout.write(lock.state); process.kill(process.pid, 'SIGKILL'); });
  `], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(holder.signal, 'SIGKILL', holder.stderr);
  assert.equal(holder.stdout, 'acquired');
  const refused = await acquireMaintenanceLock(cluster.endpoints[1] as string, connection, 'second');
  assert.equal(refused.state, 'held');
  const until = Date.now() + 25_000;
  let state: string = refused.state;
  while (state === 'held' && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const attempt = await acquireMaintenanceLock(cluster.endpoints[1] as string, connection, 'second');
    state = attempt.state;
    if (attempt.state === 'acquired') await attempt.release();
  }
  assert.equal(state, 'acquired', 'the dead holder\'s lease expired');
});

test('cancellation finishes the current member and never starts another', async () => {
  const plan = planDefrag(await readCluster(connection), policy);
  const controller = new AbortController();
  const result = await rollingDefrag(connection, plan, {
    policy, moveLeader: false, signal: controller.signal,
    onEvent: (event) => { if (event.type === 'step-start' && event.index === 1) controller.abort(); },
  });
  assert.equal(result.cancelled, true);
  assert.deepEqual(result.steps.map((s) => s.status), ['done', 'not-started', 'not-started']);
  assert.equal(result.steps[0]?.healthyAfter, true);
  assert.match(result.stoppedReason ?? '', /^cancelled: no further member was started$/);
});

test('Ctrl-C in the CLI stops after the current member and exits 1', async () => {
  await writeChurn(cluster, { rounds: 3, keys: 2000, prefix: '/cancel/' });
  const child = spawn(process.execPath, [CLI, 'defrag', '--yes', '--all', '-o', 'json', '--endpoints', cluster.endpoints.join(',')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (/\[1\/3\] defragmenting/.test(stderr) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 1, stderr);
  assert.match(stderr, /stopping after the current member/);
  const result = JSON.parse(stdout) as { defrag: { cancelled: boolean; steps: Array<{ status: string }> } };
  assert.equal(result.defrag.cancelled, true);
  assert.deepEqual(result.defrag.steps.map((s) => s.status), ['done', 'not-started', 'not-started']);
});

test('compact: keep the last N revisions, refuse the future, say when there is nothing to do', async () => {
  await writeChurn(cluster, { rounds: 2, keys: 300, compact: false, prefix: '/compact/' });
  const flags = ['--endpoints', cluster.endpoints.join(',')];
  const kept = await runCli(['compact', '--keep-revisions', '100', '-o', 'json', ...flags]);
  assert.equal(kept.code, 0, kept.stderr);
  const result = JSON.parse(kept.stdout) as { revision: number; currentRevision: number; members: Array<{ finished: boolean }> };
  assert.equal(result.revision, result.currentRevision - 100);
  assert.deepEqual(result.members.map((m) => m.finished), [true, true, true]);
  assert.throws(() => cluster.etcdctl(['get', '/compact/000001', `--rev=${result.revision - 1}`]), /required revision has been compacted/);
  const future = await runCli(['compact', '--revision', String(result.currentRevision + 1000), ...flags]);
  assert.equal(future.code, 2);
  assert.match(future.stderr, /^error: --revision \d+ is in the future: the current revision is \d+$/m);
  const again = await runCli(['compact', '--revision', String(result.revision), ...flags]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /^nothing to compact: the cluster is already compacted at revision \d+/);
});

test('defrag refuses with the reason when a member is down, and changes nothing', async () => {
  const leader = leaderOf(await readCluster(connection))?.member.name;
  const victim = cluster.members.findIndex((m) => m.name !== leader);
  cluster.kill(victim, 'SIGKILL');
  const result = await runCli(['defrag', '--yes', '--all', '--endpoints', cluster.endpoints.join(',')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, new RegExp(`^error: refusing to defragment: ${cluster.members[victim]?.name} is unreachable \\(unreachable: connection refused\\)`, 'm'));
  assert.doesNotMatch(result.stderr, /defragmenting/);
});
