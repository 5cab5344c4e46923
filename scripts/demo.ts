// The demo: a throwaway 3-member etcd cluster on loopback, ~300 MB of history compacted away (real fragmentation),
// then `kubectl etcd-perf status` and `check` against it, the safe `maintain`, and `status` again to see the space
// come back. Everything is removed on exit, Ctrl-C included.
// `npm run demo -- --keep` leaves the cluster running (until Ctrl-C) and prints the endpoints to try commands by hand.

import { spawnSync } from 'node:child_process';
import { startDemoCluster } from '../shared/demo/local-cluster.ts';

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const rounds = Number(process.env.DEMO_ROUNDS ?? 25);
  const cluster = await startDemoCluster({ rounds, onProgress: (message, fraction) => process.stderr.write(fraction > 0 ? `\r  ${message}` : `${message}\n`) });
  const endpoints = cluster.endpoints.join(',');
  process.stderr.write('\n\n$ kubectl etcd-perf status\n');
  const cli = ['dist/kubectl-etcd_perf.js'];
  spawnSync(process.execPath, [...cli, 'status', '--endpoints', endpoints], { stdio: 'inherit' });
  process.stderr.write('\n$ kubectl etcd-perf check --window 5s\n');
  const check = spawnSync(process.execPath, [...cli, 'check', '--window', '5s', '--endpoints', endpoints], { stdio: 'inherit' });
  process.stderr.write(`\n(check exited with ${check.status}: 0 = nothing critical, 1 = findings at --fail-on, 3 = no member reachable)\n`);
  process.stderr.write('\n$ kubectl etcd-perf maintain --yes    # compact, then defragment one member at a time, leader last\n');
  spawnSync(process.execPath, [...cli, 'maintain', '--yes', '--endpoints', endpoints], { stdio: 'inherit' });
  process.stderr.write('\n$ kubectl etcd-perf status\n');
  spawnSync(process.execPath, [...cli, 'status', '--endpoints', endpoints], { stdio: 'inherit' });
  if (keep) {
    process.stderr.write(`\nThe cluster keeps running; try:\n  node dist/kubectl-etcd_perf.js check --endpoints ${endpoints}\nCtrl-C removes it.\n`);
    await new Promise(() => undefined);
  }
  await cluster.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
