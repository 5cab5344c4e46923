// Captures the unit-test fixtures from a real etcd, the one first on PATH: /metrics of one member before and after a
// burst of writes, as test/fixtures/metrics-etcd-<version>[-extensive]-{before,after}.txt. Run, for a version:
//   ETCD_VERSION=3.7.3 bash scripts/with-etcd.sh node --import tsx scripts/capture-fixtures.ts [--metrics=extensive]
// The fixtures are committed; re-running replaces them with a fresh capture (test/fixtures/README.md says how).

import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { LocalCluster, writeChurn } from '../shared/demo/local-cluster.ts';
import { httpGetText } from '../shared/connect/grpc/http.ts';
import { resolveConnectionOptions } from '../shared/connect/options.ts';

async function main(): Promise<void> {
const out = 'test/fixtures';
const extensive = process.argv.includes('--metrics=extensive');
const version = /etcd Version: (\S+)/.exec(execFileSync('etcd', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
const name = `metrics-etcd-${version}${extensive ? '-extensive' : ''}`;
const cluster = await LocalCluster.start({ size: 3, extraFlags: extensive ? ['--metrics=extensive'] : [] });
try {
  const options = resolveConnectionOptions(cluster.connectionFlags(), {});
  const member = cluster.members[0]!;
  await writeChurn(cluster, { keys: 200, rounds: 2 });
  // etcd observes peer round-trip times every 30 s: wait for the first observation so the fixture has them.
  let before = '';
  for (let waited = 0; !before.includes('etcd_network_peer_round_trip_time_seconds_bucket'); waited += 1) {
    if (waited > 60) throw new Error('no peer RTT observation after 60 s');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    before = await httpGetText(member.metricsUrl, options);
  }
  writeFileSync(`${out}/${name}-before.txt`, before);
  await writeChurn(cluster, { keys: 500, rounds: 4 });
  writeFileSync(`${out}/${name}-after.txt`, await httpGetText(member.metricsUrl, options));
  process.stdout.write(`${out}/${name}-{before,after}.txt\n`);
} finally {
  await cluster.dispose();
}
}

void main();
